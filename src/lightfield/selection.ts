// Choosing the neurons of the light field: the N most frequent words across the local memory and
// the team layer, with a flag that says where each one comes from.
import { NEWLINE, type WordCount } from '../memory/types';
import { FLAG_LOCAL, FLAG_TEAM } from './packing';

/** What the selection needs from one memory: its most frequent words and exact counts. */
export interface WordSource {
  topWords(n: number): WordCount[];
  wordCount(word: string): number;
}

export interface Neuron {
  word: string;
  /** Occurrences in the local and team memories together. */
  count: number;
  flags: number;
}

/**
 * The `n` most frequent words (line breaks excluded), most frequent first, ties broken by word so the
 * order is stable. Candidates are each memory's own top `n`, then counted exactly in both memories.
 */
export function selectNeurons(local: WordSource, team: WordSource, n: number): Neuron[] {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`Neuron count must be a whole number >= 0, got ${n}`);
  const localTop = local.topWords(n);
  const teamTop = team.topWords(n);
  // Counts come from the top lists; a memory is asked for a word only when that word is missing
  // from its list but could still be in it (the list was full), which keeps this O(n) lookups at worst.
  const localCounts = new Map(localTop.map(({ word, count }) => [word, count]));
  const teamCounts = new Map(teamTop.map(({ word, count }) => [word, count]));
  const countIn = (source: WordSource, counts: Map<string, number>, full: boolean, word: string): number =>
    counts.get(word) ?? (full ? source.wordCount(word) : 0);
  const localFull = localTop.length >= n;
  const teamFull = teamTop.length >= n;

  const neurons: Neuron[] = [];
  for (const word of new Set([...localCounts.keys(), ...teamCounts.keys()])) {
    if (word === NEWLINE) continue;
    const localCount = countIn(local, localCounts, localFull, word);
    const teamCount = countIn(team, teamCounts, teamFull, word);
    if (localCount + teamCount <= 0) continue;
    const flags = (localCount > 0 ? FLAG_LOCAL : 0) | (teamCount > 0 ? FLAG_TEAM : 0);
    neurons.push({ word, count: localCount + teamCount, flags });
  }
  neurons.sort((a, b) => b.count - a.count || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
  return neurons.slice(0, n);
}
