// The snapshot format of a whole memory: versioned, checksummed, and laid out as raw typed arrays
// so that loading a large memory is mostly copying. Readers validate every index, so truncated,
// corrupted or foreign bytes raise MemoryFormatError instead of producing a wrong memory.
//
// Layout: "LNMS" | version u8 | order | words | trie nodes | spacing | documents | checksum u32
// The trie is saved as its node records and hash index only: depths and child lists follow from
// the parents and are rebuilt in the one pass that validates the records (less to read and check).
import { ByteReader, ByteWriter, checksum32 } from './binary';
import { MAX_NODES, NgramStore, SLOT_ID_MASK, type StoreState } from './ngramStore';
import { PairTable } from './pairTable';
import type { SpacingParts } from './spacing';
import { checkIds } from './varint';
import { MemoryFormatError } from './types';

const MAGIC = [0x4c, 0x4e, 0x4d, 0x53]; // "LNMS"
export const SNAPSHOT_VERSION = 3;
const MAX_ORDER = 12;
const MAX_ITEMS = 0x7fffffff;

export interface SnapshotDocument {
  id: string;
  ids: Uint8Array;
  length: number;
  spacing?: Uint8Array;
}

/** The store's live records and hash index, and the derived numbers a snapshot keeps. */
export interface SnapshotStore {
  size: number;
  /** At least size * 4 node records (parent, word, count, continuation count). */
  rec: Int32Array;
  index: Int32Array;
  derived: number[];
}

/** What a snapshot is written from: plain data, so it can be copied and sent to a worker. */
export interface SnapshotInput {
  order: number;
  words: string[];
  store: SnapshotStore;
  spacing: SpacingParts;
  /** The documents section, as packDocuments() writes it. */
  documents: Uint8Array;
}

/** Writes the documents section: a count, then each document's id, length, ids and spacing. */
export function packDocuments(docs: Iterable<SnapshotDocument>, count: number, w = new ByteWriter(1024)): Uint8Array {
  w.varint(count);
  let written = 0;
  for (const d of docs) {
    writeDocument(w, d);
    written++;
  }
  if (written !== count) throw new RangeError(`packDocuments: expected ${count} documents, got ${written}`);
  return w.written();
}

/** One document of the documents section (for writers that pack in steps). */
export function writeDocument(w: ByteWriter, d: SnapshotDocument): void {
  w.string(d.id);
  w.varint(d.length);
  w.varint(d.ids.length);
  w.bytes(d.ids);
  w.u8(d.spacing ? 1 : 0);
  if (d.spacing) w.bytes(d.spacing);
}

export function writeSnapshot(input: SnapshotInput): Uint8Array {
  const { store, spacing } = input;
  const w = new ByteWriter(1024 + input.words.length * 8 + store.size * 16 + store.index.length * 4 + spacing.pairA.length * 16 + input.documents.length);
  for (const b of MAGIC) w.u8(b);
  w.u8(SNAPSHOT_VERSION);
  w.varint(input.order);
  w.varint(input.words.length);
  for (const word of input.words) w.string(word);
  w.varint(store.size);
  w.array32(store.rec.subarray(0, store.size * 4));
  w.array32(store.index);
  for (const x of store.derived) w.varint(x);
  w.array32(spacing.pairA);
  w.array32(spacing.pairB);
  w.array32(spacing.spaced);
  w.array32(spacing.joined);
  w.varint(spacing.classes.length);
  for (const [key, sp, jo] of spacing.classes) {
    w.varint(key);
    w.varint(sp);
    w.varint(jo);
  }
  w.bytes(input.documents);
  w.align(4);
  w.u32(checksum32(w.written()));
  return w.written();
}

/**
 * The store as encode() would save it: dead nodes compacted away and an index of the saved size.
 * For a copy taken from a live memory (which compacts only now and then), on the thread that saves.
 */
export function tidyForSnapshot(order: number, wordCount: number, s: SnapshotStore): SnapshotStore {
  if (NgramStore.savesAsIs(s.size, s.derived[0], s.index.length)) return s;
  const store = new NgramStore(order, 16);
  const trie = rebuildTrie(s.rec, s.size, order, wordCount, false);
  store.restore({ size: s.size, ...trie, index: s.index, derived: s.derived });
  if (store.dead > 0) store.compact();
  return store.exportState();
}

/** A read snapshot: plain data (transferable to another thread) that Memory.fromParts installs. */
export interface Snapshot {
  order: number;
  words: string[];
  docs: SnapshotDocument[];
  /** Validated trie arrays with room to grow (or views into the bytes when adopted). */
  store: StoreState;
  spacing: SpacingParts;
}

/**
 * Reads and validates a snapshot. With `adopt`, the trie records and index stay views into
 * `bytes` where aligned (no copy: the caller hands the bytes over and must not use them again);
 * the store then has no spare room and copies itself out on its first new n-gram. With `shared`,
 * the large arrays are made on SharedArrayBuffers: a thread that reads a memory for another
 * shares them with it, which, unlike transferring, does not make the receiver's garbage collector
 * stop for a full collection on a sudden gigabyte of new external memory.
 */
export function readSnapshot(bytes: Uint8Array, adopt = false, shared = false): Snapshot {
  if (!(bytes instanceof Uint8Array)) throw new MemoryFormatError('a memory snapshot must be bytes');
  // A plain Uint8Array view, so that slice() copies (a Node Buffer's slice() is a view).
  bytes = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12) throw new MemoryFormatError('not a Light Network memory: too short');
  for (let i = 0; i < 4; i++) {
    if (bytes[i] !== MAGIC[i]) throw new MemoryFormatError('not a Light Network memory (bad magic bytes)');
  }
  const version = bytes[4];
  if (version > SNAPSHOT_VERSION) {
    throw new MemoryFormatError(`memory written by a newer version (format ${version}, this reads ${SNAPSHOT_VERSION})`);
  }
  if (version < SNAPSHOT_VERSION) {
    throw new MemoryFormatError(`memory written in an older format (${version}); it has to be trained again`);
  }
  if (bytes.length % 4 !== 0) throw new MemoryFormatError('memory snapshot is truncated or padded');
  const bodyEnd = bytes.length - 4;
  const stored = new DataView(bytes.buffer, bytes.byteOffset + bodyEnd, 4).getUint32(0, true);
  if (checksum32(bytes, 0, bodyEnd) !== stored) throw new MemoryFormatError('memory snapshot is corrupted (checksum mismatch)');

  const r = new ByteReader(bytes, 5, bodyEnd);
  const order = r.varint('order', MAX_ORDER);
  if (order < 1) throw new MemoryFormatError('order must be at least 1');
  const wordCount = r.varint('vocabulary size', MAX_ITEMS);
  if (wordCount < 1) throw new MemoryFormatError('vocabulary lacks the hole entry');
  const words: string[] = new Array(wordCount);
  for (let i = 0; i < wordCount; i++) words[i] = r.string('word', 1 << 16);
  if (words[0] !== '') throw new MemoryFormatError('vocabulary entry 0 must be the hole');

  const n = r.varint('node count', MAX_NODES);
  const savedRec = r.int32Array('trie nodes', MAX_ITEMS);
  const savedIndex = r.int32Array('trie index', MAX_ITEMS);
  const derived: number[] = [];
  for (let i = 0; i < NgramStore.derivedLength(order); i++) derived.push(r.varint('statistics'));
  if (n < 1 || savedRec.length !== n * 4) throw new MemoryFormatError('trie arrays disagree in length');
  if (savedIndex.length < 32 || (savedIndex.length & (savedIndex.length - 1)) !== 0 || savedIndex.length <= n) {
    throw new MemoryFormatError('trie index has an invalid size');
  }
  if (savedRec[0] !== -1 || savedRec[1] !== -1) throw new MemoryFormatError('trie root is malformed');
  const inPlace = adopt && savedRec.buffer === bytes.buffer;
  const alloc = shared ? sharedArrays : plainArrays;
  const trie = rebuildTrie(savedRec, n, order, wordCount, inPlace, alloc);
  const index = adopt && savedIndex.buffer === bytes.buffer ? savedIndex : copyOf(savedIndex, alloc);
  // Branch-free (slots are empty at random): a slot is -1 (empty) or a node id below n plus a
  // fingerprint in bits the sign never reaches.
  let empty = 0;
  let bad = 0;
  const last = n - 1;
  const idMask = SLOT_ID_MASK; // a local: module bindings can cost a call each under some loaders
  for (let i = 0; i < index.length; i++) {
    const v = index[i];
    const negative = v >> 31;
    empty -= negative;
    bad |= ((v ^ -1) & negative) | ((last - (v & idMask & ~negative)) >> 31);
  }
  if (bad !== 0) throw new MemoryFormatError('trie index refers to an unknown node');
  if (empty !== index.length - n) throw new MemoryFormatError('trie index does not hold every node once');

  // Views into `bytes` are kept only when adopting; otherwise every array is a copy of its own.
  const own = <T extends Int32Array | Uint32Array>(view: T): T => (adopt && view.buffer === bytes.buffer ? view : copyOf(view, alloc));
  const pairA = own(r.int32Array('spacing pairs', MAX_ITEMS));
  const pairB = own(r.int32Array('spacing pairs', MAX_ITEMS));
  const spaced = own(r.uint32Array('spacing counts', MAX_ITEMS));
  const joined = own(r.uint32Array('spacing counts', MAX_ITEMS));
  const classCount = r.varint('spacing classes', MAX_ITEMS);
  const classes: [number, number, number][] = [];
  for (let i = 0; i < classCount; i++) {
    classes.push([r.varint('class key'), r.varint('class count', 0xffffffff), r.varint('class count', 0xffffffff)]);
  }
  const spacing = checkSpacingParts({ pairA, pairB, spaced, joined, classes }, wordCount);

  // Documents keep views into one buffer: the bytes when adopting, else one copy of the section
  // (one buffer rather than thousands of small ones, and cheap to hand to another thread).
  // The section starts on the same 4-byte boundary as in `bytes`, so the final padding reads alike.
  const start = r.offset & ~3;
  const section = adopt ? bytes.subarray(start, bodyEnd) : bytes.slice(start, bodyEnd);
  const docs = readDocuments(new ByteReader(section, r.offset - start), wordCount);

  return {
    order,
    words,
    docs,
    store: { size: n, ...trie, index, derived },
    spacing,
  };
}

/**
 * Checks saved spacing parts against a vocabulary of `wordCount` ids and builds the pairs' hash
 * index (every pair checked to be new), so that installing the table later, maybe on another
 * thread than this one, is free.
 */
export function checkSpacingParts(parts: SpacingParts, wordCount: number): SpacingParts {
  const { pairA, pairB, spaced, joined } = parts;
  const pairs = pairA.length;
  if (pairB.length !== pairs || spaced.length !== pairs || joined.length !== pairs) {
    throw new MemoryFormatError('spacing arrays disagree in length');
  }
  const table = new PairTable(16);
  table.reserve(pairs);
  for (let i = 0; i < pairs; i++) {
    if (pairA[i] < 1 || pairA[i] >= wordCount || pairB[i] < 1 || pairB[i] >= wordCount) {
      throw new MemoryFormatError('spacing pair refers to an unknown word');
    }
    if (table.insertIfAbsent(pairA[i], pairB[i]) !== i) throw new MemoryFormatError('duplicate spacing pair');
  }
  return { ...parts, index: table.index };
}

function readDocuments(r: ByteReader, wordCount: number): SnapshotDocument[] {
  const docCount = r.varint('document count', MAX_ITEMS);
  const docs: SnapshotDocument[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < docCount; i++) {
    const id = r.string('document id');
    if (seen.has(id)) throw new MemoryFormatError('duplicate document id');
    seen.add(id);
    const length = r.varint('document length', MAX_ITEMS);
    const idBytes = r.bytes(r.varint('document size', MAX_ITEMS), 'document tokens');
    const check = checkIds(idBytes, length, wordCount);
    if (check === 'malformed') throw new MemoryFormatError(`document ${JSON.stringify(id)} is malformed`);
    if (check === 'unknown') throw new MemoryFormatError(`document ${JSON.stringify(id)} refers to an unknown word`);
    const hasSpacing = r.u8('spacing flag');
    if (hasSpacing > 1) throw new MemoryFormatError('invalid spacing flag');
    const spacing = hasSpacing ? r.bytes((length + 7) >> 3, 'document spacing') : undefined;
    docs.push({ id, ids: idBytes, length, spacing });
  }
  r.align(4);
  if (r.remaining !== 0) throw new MemoryFormatError('unexpected bytes after the memory snapshot');
  return docs;
}

/**
 * Copies the saved node records into arrays with room to grow (or keeps them in place) and derives each node's depth and
 * the child lists (children newest first, as the store keeps them) in one sequential pass, which
 * also validates every record. Parents precede their children, so every list ends.
 */
function rebuildTrie(saved: Int32Array, n: number, order: number, wordCount: number, inPlace: boolean, alloc = plainArrays) {
  const cap = inPlace ? n : NgramStore.capacityToLoad(n);
  let rec = saved;
  if (!inPlace) {
    rec = alloc.int32(cap * 4);
    rec.set(saved);
  }
  const depth = alloc.uint8(cap);
  const firstChild = alloc.int32(cap).fill(-1);
  const nextSibling = alloc.int32(cap);
  nextSibling[0] = -1;
  nextSibling.fill(-1, n);
  for (let id = 1, r = 4; id < n; id++, r += 4) {
    const p = rec[r];
    const wd = rec[r + 1];
    if (p < 0 || p >= id || wd < 1 || wd >= wordCount || (rec[r + 2] | rec[r + 3]) < 0 || depth[p] >= order) {
      let what = 'a negative count';
      if (p < 0 || p >= id) what = 'an invalid parent';
      else if (wd < 1 || wd >= wordCount) what = 'an invalid word';
      else if (depth[p] >= order) what = 'an invalid depth';
      throw new MemoryFormatError(`trie node ${id} has ${what}`);
    }
    depth[id] = depth[p] + 1;
    nextSibling[id] = firstChild[p];
    firstChild[p] = id;
  }
  return { rec, depth, firstChild, nextSibling };
}

interface ArrayMaker {
  int32(length: number): Int32Array;
  uint8(length: number): Uint8Array;
}

const plainArrays: ArrayMaker = {
  int32: (length) => new Int32Array(length),
  uint8: (length) => new Uint8Array(length),
};

const sharedArrays: ArrayMaker = {
  int32: (length) => new Int32Array(new SharedArrayBuffer(length * 4)),
  uint8: (length) => new Uint8Array(new SharedArrayBuffer(length)),
};

function copyOf<T extends Int32Array | Uint32Array>(view: T, alloc: ArrayMaker): T {
  if (alloc === plainArrays) return view.slice() as T;
  const out = alloc.int32(view.length);
  out.set(view);
  return (view instanceof Uint32Array ? new Uint32Array(out.buffer, 0, view.length) : out) as T;
}
