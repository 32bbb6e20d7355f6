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
  const candidates = new Set<string>();
  for (const { word } of local.topWords(n)) candidates.add(word);
  for (const { word } of team.topWords(n)) candidates.add(word);
  candidates.delete(NEWLINE);

  const neurons: Neuron[] = [];
  for (const word of candidates) {
    const localCount = local.wordCount(word);
    const teamCount = team.wordCount(word);
    if (localCount + teamCount <= 0) continue;
    const flags = (localCount > 0 ? FLAG_LOCAL : 0) | (teamCount > 0 ? FLAG_TEAM : 0);
    neurons.push({ word, count: localCount + teamCount, flags });
  }
  neurons.sort((a, b) => b.count - a.count || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
  return neurons.slice(0, n);
}
