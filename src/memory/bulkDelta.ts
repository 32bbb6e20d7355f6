// The bulk form of a delta batch: the wire format's string table plus flat typed arrays, so a
// big batch from a peer (a first sync carries a million counts) is decoded, validated and applied
// without one string array or object per entry. deltaCodec decodes the wire format into this form
// (decodeDeltas builds its plain entries from it); Memory.applyBulkDelta applies it with the same
// checks and atomicity as applyDelta.
import type { BulkDeltaBatch } from './deltaCodec';
import type { Memory } from './memory';
import type { DeltaBatch, NgramDelta } from './types';

// The decoder lives with the wire format; re-exported here beside the bulk operations.
export { decodeDeltasBulk, type BulkDeltaBatch } from './deltaCodec';

const MAX_COUNT = 0x7fffffff;

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
  const ids = new Int32Array(memory.order); // n-grams are checked above to hold at most `order` tokens
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
