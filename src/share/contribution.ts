// A memory's whole contribution as deltas (every n-gram with its count): what a writer publishes
// as its snapshot when a session starts. Node ids are only stable while nothing changes the memory:
// the sliced walk is for a private copy (`Memory.decode(local.encode())`), which nothing else
// touches, so the host stays responsive while a big memory is walked.
import { Memory } from '../memory';
import type { LiveMemory } from '../memory/liveMemory';
import { ENTRIES_PER_BATCH } from './deltaLog';
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

/**
 * A live memory's whole contribution (see LiveMemory.ngramCounts: a consistent view even while it
 * changes), yielding to the event loop every `sliceMs`.
 */
export async function liveContributionInSlices(memory: LiveMemory, sliceMs = 8): Promise<DeltaBatch> {
  const entries: NgramDelta[] = [];
  let deadline = performance.now() + sliceMs;
  for (const entry of memory.ngramCounts()) {
    if (entry) entries.push(entry);
    else if (performance.now() > deadline) {
      await new Promise((resolve) => setImmediate(resolve));
      deadline = performance.now() + sliceMs;
    }
  }
  return { entries };
}

/**
 * A live memory's whole contribution in batches of `entries`, made as they are taken (see
 * LiveMemory.ngramCounts): a memory of millions of tokens has tens of millions of n-grams, which as
 * one array of entries would take gigabytes of the host's heap. Yields to the event loop every
 * `sliceMs` while it walks.
 */
export async function* liveContributionChunks(memory: LiveMemory, entries = ENTRIES_PER_BATCH, sliceMs = 8): AsyncGenerator<DeltaBatch> {
  let chunk: NgramDelta[] = [];
  let deadline = performance.now() + sliceMs;
  for (const entry of memory.ngramCounts()) {
    if (entry) {
      chunk.push(entry);
      if (chunk.length >= entries) {
        yield { entries: chunk };
        chunk = [];
      }
    } else if (performance.now() > deadline) {
      await new Promise((resolve) => setImmediate(resolve));
      deadline = performance.now() + sliceMs;
    }
  }
  if (chunk.length > 0) yield { entries: chunk };
}

/** The same walk over a private copy of `memory` (or a live memory's walk), yielding to the event loop every `sliceMs`. */
export async function memoryContributionInSlices(memory: Memory | LiveMemory, sliceMs = 8): Promise<DeltaBatch> {
  // Told apart by shape: bundles of their own (the share runtime, tests) each have their own classes.
  if ('ngramCounts' in memory) return liveContributionInSlices(memory, sliceMs);
  const copy = Memory.decode(memory.encode());
  const store = copy.store;
  const entries: NgramDelta[] = [];
  let deadline = performance.now() + sliceMs;
  for (let node = 1; node < store.size; node++) {
    if ((node & 1023) === 0 && performance.now() > deadline) {
      await new Promise((resolve) => setImmediate(resolve));
      deadline = performance.now() + sliceMs;
    }
    const count = store.countOf(node);
    if (count <= 0) continue;
    const ngram = copy.tokensOf(node);
    if (ngram.length === 0 || ngram.some((token) => !token)) continue;
    entries.push({ ngram, delta: count });
  }
  return { entries };
}
