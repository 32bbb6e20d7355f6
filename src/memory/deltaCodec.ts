// The wire format of a batch of n-gram deltas (what peers exchange and what logs store):
// "LNDB" | version u8 | string table | entries (n, token indices, zigzag delta) | checksum u32.
// Decoding validates everything against limits, so a hostile or damaged batch raises
// MemoryFormatError and never reaches a memory.
import { ByteReader, ByteWriter, checksum32 } from './binary';
import { MemoryFormatError, type DeltaBatch, type NgramDelta } from './types';

const MAGIC = [0x4c, 0x4e, 0x44, 0x42]; // "LNDB"
export const DELTA_VERSION = 1;
const MAX_NGRAM = 12;

export interface DeltaLimits {
  /** Most entries accepted in one batch (default 1,000,000). */
  maxEntries?: number;
  /** Longest token accepted, in UTF-16 code units (default 1024). */
  maxTokenLength?: number;
  /** Largest |delta| accepted (default 2^32 - 1). */
  maxAbsDelta?: number;
}

export function encodeDeltas(batch: DeltaBatch): Uint8Array {
  const w = new ByteWriter(64 + batch.entries.length * 8);
  for (const b of MAGIC) w.u8(b);
  w.u8(DELTA_VERSION);
  const index = new Map<string, number>();
  const table: string[] = [];
  for (const e of batch.entries) {
    if (!Array.isArray(e.ngram) || e.ngram.length < 1 || e.ngram.length > MAX_NGRAM) {
      throw new RangeError(`delta n-grams hold 1 to ${MAX_NGRAM} tokens`);
    }
    if (!Number.isSafeInteger(e.delta) || e.delta === 0) throw new RangeError('delta must be a non-zero integer');
    for (const t of e.ngram) {
      if (typeof t !== 'string' || t.length === 0) throw new RangeError('delta tokens must be non-empty strings');
      if (!index.has(t)) {
        index.set(t, table.length);
        table.push(t);
      }
    }
  }
  w.varint(table.length);
  for (const t of table) w.string(t);
  w.varint(batch.entries.length);
  for (const e of batch.entries) {
    w.varint(e.ngram.length);
    for (const t of e.ngram) w.varint(index.get(t) as number);
    w.zigzag(e.delta);
  }
  w.u32(checksum32(w.finish()));
  return w.finish();
}

/** Decodes and validates a batch (see decodeDeltasBulk) into plain entries. */
export function decodeDeltas(bytes: Uint8Array, limits: DeltaLimits = {}): DeltaBatch {
  const { table, starts, tokens, deltas, count } = decodeDeltasBulk(bytes, limits);
  const entries: NgramDelta[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const ngram: string[] = new Array(starts[i + 1] - starts[i]);
    for (let k = starts[i]; k < starts[i + 1]; k++) ngram[k - starts[i]] = table[tokens[k]];
    entries[i] = { ngram, delta: deltas[i] };
  }
  return { entries };
}

/** A batch in bulk form: the wire format's string table plus flat typed arrays (see bulkDelta.ts). */
export interface BulkDeltaBatch {
  /** The tokens the entries name (indices into this table). */
  readonly table: string[];
  /** Entry i's tokens are `tokens[starts[i] .. starts[i + 1])`. */
  readonly starts: Uint32Array;
  readonly tokens: Uint32Array;
  readonly deltas: Float64Array;
  readonly count: number;
}

/** decodeDeltas into the bulk form: the same checks, the same MemoryFormatError messages. */
export function decodeDeltasBulk(bytes: Uint8Array, limits: DeltaLimits = {}): BulkDeltaBatch {
  const maxEntries = limits.maxEntries ?? 1_000_000;
  const maxTokenLength = limits.maxTokenLength ?? 1024;
  const maxAbsDelta = limits.maxAbsDelta ?? 0xffffffff;
  if (!(bytes instanceof Uint8Array)) throw new MemoryFormatError('a delta batch must be bytes');
  if (bytes.length < 11) throw new MemoryFormatError('not a Light Network delta batch: too short');
  for (let i = 0; i < 4; i++) {
    if (bytes[i] !== MAGIC[i]) throw new MemoryFormatError('not a Light Network delta batch (bad magic bytes)');
  }
  const version = bytes[4];
  if (version > DELTA_VERSION) {
    throw new MemoryFormatError(`delta batch from a newer version (format ${version}, this reads ${DELTA_VERSION})`);
  }
  if (version < 1) throw new MemoryFormatError(`unknown delta format version ${version}`);
  const bodyEnd = bytes.length - 4;
  const stored = new DataView(bytes.buffer, bytes.byteOffset + bodyEnd, 4).getUint32(0, true);
  if (checksum32(bytes, 0, bodyEnd) !== stored) throw new MemoryFormatError('delta batch is corrupted (checksum mismatch)');

  const r = new ByteReader(bytes, 5, bodyEnd);
  const strings = r.varint('string count', Math.min(r.remaining, maxEntries * MAX_NGRAM));
  const table: string[] = new Array(strings);
  for (let i = 0; i < strings; i++) {
    const t = r.string('token', maxTokenLength * 3);
    if (t.length === 0) throw new MemoryFormatError('empty token in delta batch');
    if (t.length > maxTokenLength) throw new MemoryFormatError(`token longer than ${maxTokenLength} characters`);
    table[i] = t;
  }
  const count = r.varint('entry count', Math.min(maxEntries, r.remaining));
  // Each entry takes at least 3 bytes, and each of its tokens one: the remaining bytes bound both.
  const starts = new Uint32Array(count + 1);
  let tokens: Uint32Array = new Uint32Array(Math.min(r.remaining, count * 2 + 16));
  const deltas = new Float64Array(count);
  let used = 0;
  for (let i = 0; i < count; i++) {
    const n = r.varint('n-gram length', MAX_NGRAM);
    if (n < 1) throw new MemoryFormatError('empty n-gram in delta batch');
    if (used + n > tokens.length) tokens = grown(tokens, used + n);
    for (let j = 0; j < n; j++) tokens[used++] = r.varint('token index', strings - 1);
    const delta = r.zigzag('delta', maxAbsDelta);
    if (delta === 0) throw new MemoryFormatError('zero delta in delta batch');
    deltas[i] = delta;
    starts[i + 1] = used;
  }
  if (r.remaining !== 0) throw new MemoryFormatError('unexpected bytes after the delta batch');
  return { table, starts, tokens: tokens.subarray(0, used), deltas, count };
}

function grown(tokens: Uint32Array, needed: number): Uint32Array {
  const next = new Uint32Array(Math.max(needed, tokens.length * 2));
  next.set(tokens);
  return next;
}

