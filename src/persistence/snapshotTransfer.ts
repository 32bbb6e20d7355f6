// A read snapshot in a form that crosses threads cheaply. postMessage clones each string and each
// typed-array view on its own: ~80k words and ~8k documents (two views each) cost the receiving
// thread tens of ms. Packed, they are one string with lengths and one buffer with offsets, and
// unpacking them is a few ms of slicing.
import type { Snapshot, SnapshotDocument } from '../memory/snapshotCodec';
import { runSteps } from '../memory/steps';

export interface PackedStrings {
  text: string;
  lengths: Int32Array;
}

export interface PackedSnapshot extends Omit<Snapshot, 'words' | 'docs'> {
  words: PackedStrings;
  docIds: PackedStrings;
  /** Every document's token ids and spacing bits. */
  docBytes: Uint8Array;
  /** Per document: ids offset, ids length, token count, spacing offset (-1: none). */
  docFields: Int32Array;
}

export function packSnapshot(snap: Snapshot): PackedSnapshot {
  const { words, docs, ...rest } = snap;
  const docBytes = oneBuffer(docs);
  const fields = new Int32Array(docs.length * 4);
  docs.forEach((d, i) => {
    fields[i * 4] = d.ids.byteOffset - docBytes.byteOffset;
    fields[i * 4 + 1] = d.ids.length;
    fields[i * 4 + 2] = d.length;
    fields[i * 4 + 3] = d.spacing ? d.spacing.byteOffset - docBytes.byteOffset : -1;
  });
  return { ...rest, words: packStrings(words), docIds: packStrings(docs.map((d) => d.id)), docBytes, docFields: fields };
}

export function unpackSnapshot(packed: PackedSnapshot): Snapshot {
  return runSteps(unpackSnapshotInSteps(packed, Infinity));
}

/** unpackSnapshot, yielding after about every `piece` words or documents. */
export function* unpackSnapshotInSteps(packed: PackedSnapshot, piece: number): Generator<void, Snapshot> {
  const { words, docIds, docBytes, docFields, ...rest } = packed;
  const ids = yield* unpackStrings(docIds, piece);
  const docs: SnapshotDocument[] = new Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const at = docFields[i * 4];
    const length = docFields[i * 4 + 2];
    const spacingAt = docFields[i * 4 + 3];
    docs[i] = {
      id: ids[i],
      ids: docBytes.subarray(at, at + docFields[i * 4 + 1]),
      length,
      spacing: spacingAt < 0 ? undefined : docBytes.subarray(spacingAt, spacingAt + ((length + 7) >> 3)),
    };
    if ((i + 1) % piece === 0) yield;
  }
  return { ...rest, words: yield* unpackStrings(words, piece), docs };
}

/** The buffer all documents' views share (the reader makes one), or a new one holding them all. */
function oneBuffer(docs: SnapshotDocument[]): Uint8Array {
  const views = docs.flatMap((d) => (d.spacing ? [d.ids, d.spacing] : [d.ids]));
  if (views.length === 0) return new Uint8Array(0);
  const buffer = views[0].buffer;
  if (views.every((v) => v.buffer === buffer)) return new Uint8Array(buffer);
  const out = new Uint8Array(views.reduce((n, v) => n + v.length, 0));
  let at = 0;
  for (const d of docs) {
    out.set(d.ids, at);
    d.ids = out.subarray(at, (at += d.ids.length));
    if (d.spacing) {
      out.set(d.spacing, at);
      d.spacing = out.subarray(at, (at += d.spacing.length));
    }
  }
  return out;
}

export function packStrings(strings: string[]): PackedStrings {
  return { text: strings.join(''), lengths: Int32Array.from(strings, (s) => s.length) };
}

export function* unpackStrings(packed: PackedStrings, piece: number): Generator<void, string[]> {
  const out: string[] = new Array(packed.lengths.length);
  let at = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = packed.text.slice(at, (at += packed.lengths[i]));
    if ((i + 1) % piece === 0) yield;
  }
  return out;
}
