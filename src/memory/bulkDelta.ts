// The bulk form of a delta batch: the wire format's string table plus flat typed arrays, so a
// big batch from a peer (a first sync carries a million counts) is decoded, validated and applied
// without one string array or object per entry. Same format, limits and error messages as
// decodeDeltas; Memory.applyBulkDelta applies it with the same checks and atomicity as applyDelta.
import { ByteReader, checksum32 } from './binary';
import { DELTA_VERSION, type DeltaLimits } from './deltaCodec';
import type { Memory } from './memory';
import { MemoryFormatError, type DeltaBatch, type NgramDelta } from './types';

const MAGIC = [0x4c, 0x4e, 0x44, 0x42]; // "LNDB", as in deltaCodec
const MAX_NGRAM = 12;
const MAX_COUNT = 0x7fffffff;

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

/** The bulk form of entries (tests, and batches that did not come off the wire). */
export function bulkFromBatch(batch: DeltaBatch): BulkDeltaBatch {
  const index = new Map<string, number>();
  const table: string[] = [];
  const count = batch.entries.length;
  const starts = new Uint32Array(count + 1);
  const flat: number[] = [];
  const deltas = new Float64Array(count);
  batch.entries.forEach(({ ngram, delta }, i) => {
    for (const token of ngram) {
      let t = index.get(token);
      if (t === undefined) {
        t = table.length;
        table.push(token);
        index.set(token, t);
      }
      flat.push(t);
    }
    deltas[i] = delta;
    starts[i + 1] = flat.length;
  });
  return { table, starts, tokens: Uint32Array.from(flat), deltas, count };
}

/** Entries [from, to) as plain entries, each delta times `sign`. */
export function bulkToBatch(bulk: BulkDeltaBatch, from = 0, to = bulk.count, sign: 1 | -1 = 1): DeltaBatch {
  const entries: NgramDelta[] = [];
  for (let i = from; i < to; i++) {
    const ngram: string[] = [];
    for (let k = bulk.starts[i]; k < bulk.starts[i + 1]; k++) ngram.push(bulk.table[bulk.tokens[k]]);
    entries.push({ ngram, delta: sign * bulk.deltas[i] });
  }
  return { entries };
}

/** The entries whose `keep` flag is set (the table is shared, not copied). */
export function selectBulk(bulk: BulkDeltaBatch, keep: Uint8Array): BulkDeltaBatch {
  let kept = 0;
  let keptTokens = 0;
  for (let i = 0; i < bulk.count; i++) {
    if (keep[i]) {
      kept++;
      keptTokens += bulk.starts[i + 1] - bulk.starts[i];
    }
  }
  if (kept === bulk.count) return bulk;
  const starts = new Uint32Array(kept + 1);
  const tokens = new Uint32Array(keptTokens);
  const deltas = new Float64Array(kept);
  let e = 0;
  let used = 0;
  for (let i = 0; i < bulk.count; i++) {
    if (!keep[i]) continue;
    for (let k = bulk.starts[i]; k < bulk.starts[i + 1]; k++) tokens[used++] = bulk.tokens[k];
    deltas[e] = bulk.deltas[i];
    starts[++e] = used;
  }
  return { table: bulk.table, starts, tokens, deltas, count: kept };
}

/**
 * Memory.applyBulkDelta's work: entries [from, to) of `bulk`, each delta times `sign`. Each
 * distinct token is resolved to its word id once; deltas are netted per node. Throws RangeError,
 * with no count changed and no word or node left behind, as applyDelta does.
 */
export function applyBulkToMemory(memory: Memory, bulk: BulkDeltaBatch, from: number, to: number, sign: 1 | -1): void {
  if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 0 && from <= to && to <= bulk.count)) {
    throw new RangeError(`bulk delta range [${from}, ${to}) outside 0..${bulk.count}`);
  }
  const { starts, tokens, deltas, table } = bulk;
  for (let i = from; i < to; i++) {
    const n = starts[i + 1] - starts[i];
    if (n < 1 || n > memory.order) throw new RangeError(`delta n-gram must hold 1 to ${memory.order} tokens`);
    const delta = deltas[i];
    if (!Number.isSafeInteger(delta) || delta === 0) throw new RangeError('delta must be a non-zero integer');
  }
  const vocab = memory.vocab;
  const store = memory.store;
  const vocabSize = vocab.size;
  // 0 (the HOLE) never names a word: it marks a token not resolved yet.
  const wordIds = new Int32Array(table.length);
  const ids = new Int32Array(MAX_NGRAM);
  const parts = to - from;
  const nodes = new Int32Array(parts);
  const suffixes = new Int32Array(parts);
  const nets = new Float64Array(parts);
  for (let i = from; i < to; i++) {
    const start = starts[i];
    const n = starts[i + 1] - start;
    for (let j = 0; j < n; j++) {
      const t = tokens[start + j];
      let w = wordIds[t];
      if (w === 0) {
        const token = table[t];
        if (typeof token !== 'string' || token.length === 0) {
          rollBack(memory, vocabSize);
          throw new RangeError('delta tokens must be non-empty strings');
        }
        w = wordIds[t] = vocab.intern(token);
      }
      ids[j] = w;
    }
    const k = i - from;
    nodes[k] = store.findOrCreate(ids, 0, n);
    suffixes[k] = n > 1 ? store.findOrCreate(ids, 1, n) : -1;
    nets[k] = sign * deltas[i];
  }
  // A batch may name one n-gram twice (never from our encoder): net those before checking.
  const count = hasDuplicates(nodes) ? netDuplicates(nodes, suffixes, nets) : parts;
  for (let k = 0; k < count; k++) {
    const next = store.countOf(nodes[k]) + nets[k];
    if (next < 0 || next > MAX_COUNT) {
      const label = memory.tokensOf(nodes[k]).join(' ');
      rollBack(memory, vocabSize);
      throw new RangeError(`delta would make the count of [${label}] ${next < 0 ? 'negative' : 'overflow'}`);
    }
  }
  for (let k = 0; k < count; k++) if (nets[k] !== 0) store.adjust(nodes[k], suffixes[k], nets[k]);
  if (store.wantsCompaction) store.compact();
}

function hasDuplicates(nodes: Int32Array): boolean {
  const sorted = nodes.slice().sort();
  for (let k = 1; k < sorted.length; k++) if (sorted[k] === sorted[k - 1]) return true;
  return false;
}

/** Folds repeated nodes into their first place; returns how many distinct nodes lead the arrays. */
function netDuplicates(nodes: Int32Array, suffixes: Int32Array, nets: Float64Array): number {
  const at = new Map<number, number>();
  let count = 0;
  for (let k = 0; k < nodes.length; k++) {
    const first = at.get(nodes[k]);
    if (first !== undefined) {
      nets[first] += nets[k];
      continue;
    }
    at.set(nodes[k], count);
    nodes[count] = nodes[k];
    suffixes[count] = suffixes[k];
    nets[count] = nets[k];
    count++;
  }
  return count;
}

/** Drops the nodes and words a refused batch brought in (nothing was counted yet). */
function rollBack(memory: Memory, vocabSize: number): void {
  memory.store.compact();
  memory.vocab.truncate(vocabSize);
  memory.spacing.forgetWordsFrom(vocabSize);
}
