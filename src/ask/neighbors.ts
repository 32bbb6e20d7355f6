// `neighbors`: the words seen most often right after and right before a word, with how often in
// the local memory and in the team's, apart.
import type { CountingMemory } from './askable';

export interface Neighbor {
  word: string;
  local: number;
  /** Null when no team memory is attached. */
  team: number | null;
}

export interface NeighborsAnswer {
  word: string;
  /** How often the word itself occurs in each memory. */
  count: { local: number; team: number | null };
  following: Neighbor[];
  preceding: Neighbor[];
}

export function neighbors(local: CountingMemory, team: CountingMemory | undefined, word: string, limit: number): NeighborsAnswer {
  return {
    word,
    count: { local: local.count([word]), team: team ? team.count([word]) : null },
    following: merge(local, team, (m) => m.following(word, limit * 2), (w) => [word, w], limit),
    preceding: merge(local, team, (m) => m.preceding(word, limit * 2), (w) => [w, word], limit),
  };
}

/**
 * Both memories' lists as one, by summed counts. Each memory lists its best 2 x limit; a word one
 * memory listed gets its exact count in the other (a bigram count). With a team attached a word
 * just below both memories' cut-offs could be left out; alone, the local list is exact.
 */
function merge(
  local: CountingMemory,
  team: CountingMemory | undefined,
  list: (m: CountingMemory) => Array<{ word: string; count: number }>,
  pair: (w: string) => string[],
  limit: number,
): Neighbor[] {
  const byWord = new Map<string, Neighbor>();
  for (const w of list(local)) byWord.set(w.word, { word: w.word, local: w.count, team: null });
  if (team) {
    for (const w of list(team)) {
      const n = byWord.get(w.word);
      if (n) n.team = w.count;
      else byWord.set(w.word, { word: w.word, local: local.count(pair(w.word)), team: w.count });
    }
    for (const n of byWord.values()) n.team ??= team.count(pair(n.word));
  }
  const total = (n: Neighbor) => n.local + (n.team ?? 0);
  return [...byWord.values()].sort((a, b) => total(b) - total(a) || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0)).slice(0, limit);
}
