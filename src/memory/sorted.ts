// Binary search over ascending numbers (document starts in a stream, line starts in a file), for
// the live memory and the questions asked of a memory. (The suffix index keeps its own, typed, on its hot path.)

/** The last index of the ascending `sorted` whose value is <= value (-1 when none is). */
export function lastAtMost(sorted: ArrayLike<number>, value: number): number {
  let a = 0;
  let b = sorted.length;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (sorted[mid] <= value) a = mid + 1;
    else b = mid;
  }
  return a - 1;
}

/**
 * The `limit` smallest stream positions in `positions[lo..hi)` above `after` that `accept` takes,
 * ascending: one pass keeping them in a sorted array. `accept` is asked only of positions that
 * would be kept (it may be costly: reading the stream, finding the document).
 */
export function smallestPositions(positions: Int32Array, lo: number, hi: number, after: number, limit: number, accept: (p: number) => boolean): number[] {
  const chosen: number[] = [];
  for (let i = lo; i < hi; i++) {
    const p = positions[i];
    if (p <= after || (chosen.length === limit && p >= chosen[limit - 1])) continue;
    if (!accept(p)) continue;
    let at = chosen.length === limit ? limit - 1 : chosen.length;
    if (chosen.length < limit) chosen.push(p);
    while (at > 0 && chosen[at - 1] > p) {
      chosen[at] = chosen[at - 1];
      at--;
    }
    chosen[at] = p;
  }
  return chosen;
}
