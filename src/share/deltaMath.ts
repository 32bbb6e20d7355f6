// Small pure helpers over delta batches: summing (merging equal n-grams) and chunking.
import type { DeltaBatch, NgramDelta } from '../memory/types';

const KEY_SEPARATOR = '\u0000';

/** Adds batches together: one entry per n-gram, zero sums dropped. Order of first appearance. */
export function sumBatches(batches: Iterable<DeltaBatch>): DeltaBatch {
  const sums = new Map<string, NgramDelta>();
  for (const batch of batches) {
    for (const { ngram, delta } of batch.entries) {
      const key = ngram.join(KEY_SEPARATOR);
      const existing = sums.get(key);
      if (existing) existing.delta += delta;
      else sums.set(key, { ngram, delta });
    }
  }
  return { entries: [...sums.values()].filter((entry) => entry.delta !== 0) };
}

export function chunkBatch(batch: DeltaBatch, maxEntries: number): DeltaBatch[] {
  const chunks: DeltaBatch[] = [];
  for (let start = 0; start < batch.entries.length; start += maxEntries) {
    chunks.push({ entries: batch.entries.slice(start, start + maxEntries) });
  }
  return chunks;
}
