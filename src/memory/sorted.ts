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
