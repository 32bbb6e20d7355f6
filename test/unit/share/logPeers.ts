// Helpers of the share log tests: in-process peers exchanging Yjs states, one-entry batches, and
// one persisted writer key per writer name.
import * as Y from 'yjs';
import type { DeltaBatch } from '../../../src/memory/types';
import { newWriterKey, type WriterKey } from '../../../src/share/writerKey';

/** Exchanges full states between all docs (what y-webrtc's sync achieves). */
export function syncAll(...docs: Y.Doc[]): void {
  const updates = docs.map((doc) => Y.encodeStateAsUpdate(doc));
  for (const doc of docs) for (const update of updates) Y.applyUpdate(doc, update);
}

/** One entry: the n-gram's words separated by spaces, and its count change. */
export function inc(ngram: string, delta = 1): DeltaBatch {
  return { entries: [{ ngram: ngram.split(' '), delta }] };
}

/** One key per writer name: the same name is the same (persisted) writer. */
const keys = new Map<string, WriterKey>();
export function keyOf(name: string): WriterKey {
  let key = keys.get(name);
  if (!key) keys.set(name, (key = newWriterKey()));
  return key;
}
