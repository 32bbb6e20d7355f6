// A memory's whole contribution as text: every document (a chunk of a file) with its tokens, what a
// writer publishes as its snapshot when a session starts. Walked through the memory's public
// `documentIds` / `documentTokens`, a slice of documents at a time.
import type { LiveMemory } from '../memory/liveMemory';
import type { TextSnapshotSource } from './snapshotBudget';
import { yieldToEventLoop } from '../threads/sliceScheduler';

/** What the walks read: a live memory, or a trie memory (the headless seed's) which keeps its documents too. */
export interface DocumentSource {
  documentIds(): string[];
  documentTokens(id: string): string[] | undefined;
  readonly documentCount?: number;
  stats(): { tokens: number };
}

/**
 * A memory's documents in slices of at most `documents` documents, made as they are taken: a
 * memory of millions of tokens held as one array of strings per token would take gigabytes of the
 * host's heap. Yields to the event loop after each slice and whenever `sliceMs` ran out. A
 * document removed while the walk is under way is skipped; one changed is read as it is then (the
 * change is published after the snapshot, and the latest record wins).
 */
export async function* documentChunks(memory: DocumentSource, documents = 256, sliceMs = 8): AsyncGenerator<Array<{ id: string; tokens: string[] }>> {
  const ids = memory.documentIds();
  let chunk: Array<{ id: string; tokens: string[] }> = [];
  let sliceStart = performance.now();
  for (const id of ids) {
    const tokens = memory.documentTokens(id);
    if (tokens) chunk.push({ id, tokens });
    if (chunk.length >= documents || performance.now() - sliceStart >= sliceMs) {
      if (chunk.length > 0) yield chunk;
      chunk = [];
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** A memory's documents as a snapshot to publish (walked afresh each time it is read). */
export function liveTextSource(memory: LiveMemory | DocumentSource): TextSnapshotSource {
  const documents = memory.documentCount ?? memory.documentIds().length;
  return { documents, tokens: memory.stats().tokens, chunks: () => documentChunks(memory) };
}

/** Every document of a memory with its tokens, held whole (tests and small memories). */
export function memoryDocuments(memory: DocumentSource): Array<{ id: string; tokens: string[] }> {
  const out: Array<{ id: string; tokens: string[] }> = [];
  for (const id of memory.documentIds()) {
    const tokens = memory.documentTokens(id);
    if (tokens) out.push({ id, tokens });
  }
  return out;
}
