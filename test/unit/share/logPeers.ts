// Helpers of the share log tests: in-process peers exchanging Yjs states, chunks of text named by
// a short name, one persisted writer key per writer name, and the exactness check: a team memory
// against an index built afresh from the documents it should hold.
import { strict as assert } from 'node:assert';
import * as Y from 'yjs';
import { IndexedMemoryBuilder, type IndexedMemory } from '../../../src/memory/indexedMemory';
import { chunkKey, type TextBatch, type TextRecord } from '../../../src/share/textBatch';
import type { TeamMemory } from '../../../src/share/teamMemory';
import { newWriterKey, type WriterKey } from '../../../src/share/writerKey';

/** Exchanges full states between all docs (what y-webrtc's sync achieves). */
export function syncAll(...docs: Y.Doc[]): void {
  const updates = docs.map((doc) => Y.encodeStateAsUpdate(doc));
  for (const doc of docs) for (const update of updates) Y.applyUpdate(doc, update);
}

const SALT = new Uint8Array(16).fill(7);

/** The chunk key of a short name. */
export function keyNamed(name: string): string {
  return chunkKey(SALT, name);
}

/** The tokens of a text: its words separated by spaces, `|` a cut. */
export function words(text: string): string[] {
  return text.split(' ').map((word) => (word === '|' ? '' : word));
}

/** A record: chunk `name` set to `text`, or removed (no text). */
export function rec(name: string, text?: string): TextRecord {
  return { key: keyNamed(name), tokens: text === undefined ? [] : words(text) };
}

export function batchOf(...records: TextRecord[]): TextBatch {
  return { records };
}

/** One key per writer name: the same name is the same (persisted) writer. */
const keys = new Map<string, WriterKey>();
export function keyOf(name: string): WriterKey {
  let key = keys.get(name);
  if (!key) keys.set(name, (key = newWriterKey()));
  return key;
}

/** An index built afresh from `documents` (a cut splits a document: no n-gram spans it). */
export function freshBuild(documents: ReadonlyMap<string, readonly string[]>, order: number): IndexedMemory {
  const builder = new IndexedMemoryBuilder({ order });
  for (const [id, tokens] of documents) {
    let part = 0;
    let run: string[] = [];
    for (const token of [...tokens, '']) {
      if (token !== '') run.push(token);
      else if (run.length > 0) {
        builder.addDocumentTokens(`${id}#${part++}`, run);
        run = [];
      }
    }
  }
  return builder.build();
}

/**
 * Asserts that `team` (idle) holds exactly `documents` (id -> tokens): the same document ids, the
 * same token total, and the count of every n-gram of the documents equal to a fresh build's.
 */
export function assertTeamHolds(team: TeamMemory, documents: ReadonlyMap<string, readonly string[]>, message = ''): void {
  assert.equal(team.idle, true, `${message}: the team memory is idle`);
  assert.deepEqual(team.live.documentIds().sort(), [...documents.keys()].sort(), `${message}: documents`);
  const fresh = freshBuild(documents, team.order);
  assert.equal(team.stats().tokens, fresh.stats().tokens, `${message}: tokens`);
  for (const tokens of documents.values()) {
    for (let i = 0; i < tokens.length; i++) {
      for (let n = 1; n <= team.order && i + n <= tokens.length; n++) {
        const ngram = tokens.slice(i, i + n);
        if (ngram.includes('')) break;
        assert.equal(team.count(ngram), fresh.count(ngram), `${message}: count of ${ngram.join(' ')}`);
      }
    }
  }
}
