// Deterministic synthetic memories for the share tests and bench: `count` distinct n-grams
// (unigrams of a small vocabulary, then bigrams over it) with counts from a seeded generator.
import type { DeltaBatch, NgramDelta } from '../../../src/memory/types';

export function syntheticBatch(count: number, seed: number): DeltaBatch {
  const words = Math.max(2, Math.ceil(Math.sqrt(count)) + 1);
  const vocabulary = Array.from({ length: words }, (_, i) => `w${seed}_${i}`);
  let state = seed >>> 0 || 1;
  const random = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0);
  const entries: NgramDelta[] = [];
  for (let i = 0; i < words && entries.length < count; i++) entries.push({ ngram: [vocabulary[i]], delta: 1 + (random() % 50) });
  for (let a = 0; a < words && entries.length < count; a++) {
    for (let b = 0; b < words && entries.length < count; b++) entries.push({ ngram: [vocabulary[a], vocabulary[b]], delta: 1 + (random() % 9) });
  }
  return { entries };
}

/** Sum of all deltas: the team's token-and-n-gram mass a converged peer must hold. */
export function massOf(batch: DeltaBatch): number {
  return batch.entries.reduce((sum, entry) => sum + entry.delta, 0);
}
