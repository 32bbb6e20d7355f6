// The bulk form of a delta batch: a string table plus flat typed arrays, which Memory.applyDelta
// applies with one set of checks, all or nothing, each distinct token resolved once.
import type { DeltaBatch } from './types';

export interface BulkDeltaBatch {
  /** The tokens the entries name (indices into this table). */
  readonly table: string[];
  /** Entry i's tokens are `tokens[starts[i] .. starts[i + 1])`. */
  readonly starts: Uint32Array;
  readonly tokens: Uint32Array;
  readonly deltas: Float64Array;
  readonly count: number;
}

/** The bulk form of entries. */
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
