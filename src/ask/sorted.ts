// Binary search over ascending numbers (document starts in the stream, line starts in a file).

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
