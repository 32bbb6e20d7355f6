// A memory's whole contribution as deltas (every n-gram with its count): what a writer publishes
// as its snapshot when a session starts, walked through the engine's public `ngramCounts`.
import { Memory } from '../memory';
import type { LiveMemory } from '../memory/liveMemory';
import { ENTRIES_PER_BATCH } from './deltaLog';
import { inSlices } from '../threads/sliceScheduler';
import type { DeltaBatch, NgramDelta } from '../memory/types';
import type { SnapshotSource } from './snapshotBudget';

/** A memory's whole contribution: every n-gram with its count. */
export function memoryContribution(memory: Memory): DeltaBatch {
  const entries: NgramDelta[] = [];
  for (const entry of memory.ngramCounts()) if (entry) entries.push(entry);
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
  for await (const entry of inSlices(memory.ngramCounts(), sliceMs)) {
    chunk.push(entry);
    if (chunk.length >= entries) {
      yield { entries: chunk };
      chunk = [];
    }
  }
  if (chunk.length > 0) yield { entries: chunk };
}

/** A live memory's contribution as a snapshot to publish (walked afresh each time it is read). */
export function liveSnapshotSource(memory: LiveMemory): SnapshotSource {
  return { ngrams: memory.stats().ngrams, order: memory.order, chunks: () => liveContributionChunks(memory) };
}

/**
 * The same, yielding to the event loop every `sliceMs`: a live memory's walk is a consistent view
 * while it changes (see LiveMemory.ngramCounts); a trie's node ids are not, so a private copy of
 * it is walked.
 */
export async function memoryContributionInSlices(memory: Memory | LiveMemory, sliceMs = 8): Promise<DeltaBatch> {
  // Told apart by shape: bundles of their own (the share runtime, tests) each have their own classes.
  const walk = 'overlaySize' in memory ? memory.ngramCounts() : Memory.decode(memory.encode()).ngramCounts();
  const entries: NgramDelta[] = [];
  for await (const entry of inSlices(walk, sliceMs)) entries.push(entry);
  return { entries };
}
