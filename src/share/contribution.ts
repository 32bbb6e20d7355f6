// A memory's whole contribution as deltas (every n-gram with its count): what a writer publishes
// as its snapshot when a session starts. Synchronous on purpose: node ids are only stable while
// nothing else changes the memory, and local deltas published afterwards must follow it exactly.
import type { Memory } from '../memory';
import type { DeltaBatch, NgramDelta } from '../memory/types';

/**
 * Walks the engine's count store (nodes are dense ids 1..size-1). The engine exposes no public
 * iterator of its n-grams yet, so this reads the store marked internal: `countOf` and `tokensOf`.
 */
export function memoryContribution(memory: Memory): DeltaBatch {
  const store = memory.store;
  const entries: NgramDelta[] = [];
  for (let node = 1; node < store.size; node++) {
    const count = store.countOf(node);
    if (count <= 0) continue;
    const ngram = memory.tokensOf(node);
    if (ngram.length === 0 || ngram.some((token) => !token)) continue;
    entries.push({ ngram, delta: count });
  }
  return { entries };
}
