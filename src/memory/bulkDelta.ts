// The bulk form of a delta batch: the wire format's string table plus flat typed arrays, so a
// big batch from a peer (a first sync carries a million counts) is decoded, validated and applied
// without one string array or object per entry. deltaCodec decodes the wire format into this form
// (decodeDeltas builds its plain entries from it); Memory applies it (applyBulkDelta, and applyDelta
// through bulkFromBatch), with one set of checks and all-or-nothing.
import type { BulkDeltaBatch } from './deltaCodec';
import type { DeltaBatch, NgramDelta } from './types';

// The decoder lives with the wire format; re-exported here beside the bulk operations.
export { decodeDeltasBulk, type BulkDeltaBatch } from './deltaCodec';

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

/** Whether an n-gram (its node) appears twice in a batch. */
export function hasDuplicates(nodes: Int32Array): boolean {
  const sorted = nodes.slice().sort();
  for (let k = 1; k < sorted.length; k++) if (sorted[k] === sorted[k - 1]) return true;
  return false;
}

/** Folds repeated nodes into their first place; returns how many distinct nodes lead the arrays. */
export function netDuplicates(nodes: Int32Array, suffixes: Int32Array, nets: Float64Array): number {
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
