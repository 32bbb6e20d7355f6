// Finds the most frequent vocabulary words that start with a partly typed word without scanning
// the vocabulary: word ids sorted by text (rebuilt lazily) with a snapshot of their counts, plus
// the few words added since the last rebuild, which are checked directly.
import type { Vocabulary } from './vocabulary';

/** Words added since the last sort that are still checked one by one before a rebuild. */
const MAX_PENDING = 512;

export class PrefixIndex {
  private sorted = new Int32Array(0);
  private counts = new Float64Array(0);
  private indexedSize = 1; // ids below this are in `sorted` (id 0 is the hole)

  constructor(
    readonly vocab: Vocabulary,
    private readonly countOf: (id: number) => number,
  ) {}

  /** Up to `n` ids of words starting with `prefix`, most frequent first (counts may be slightly stale). */
  top(prefix: string, n: number): number[] {
    const words = this.vocab.words;
    if (words.length - this.indexedSize > MAX_PENDING || words.length < this.indexedSize) this.rebuild();
    const lo = this.lowerBound(prefix);
    const hi = this.lowerBound(prefix + '\uffff');
    const best: number[] = [];
    const bestCount: number[] = [];
    const consider = (id: number, count: number) => {
      if (count <= 0 || (best.length === n && count <= bestCount[n - 1])) return;
      let pos = best.length < n ? best.push(id) - 1 : n - 1;
      bestCount[pos] = count;
      while (pos > 0 && bestCount[pos - 1] < count) {
        best[pos] = best[pos - 1];
        bestCount[pos] = bestCount[pos - 1];
        pos--;
      }
      best[pos] = id;
      bestCount[pos] = count;
    };
    for (let i = lo; i < hi; i++) consider(this.sorted[i], this.counts[i]);
    for (let id = this.indexedSize; id < words.length; id++) if (words[id].startsWith(prefix)) consider(id, this.countOf(id));
    return best;
  }

  private lowerBound(key: string): number {
    const words = this.vocab.words;
    const sorted = this.sorted;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (words[sorted[mid]] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private rebuild(): void {
    const words = this.vocab.words;
    const ids: number[] = [];
    for (let id = 1; id < words.length; id++) if (words[id] !== '') ids.push(id);
    ids.sort((a, b) => (words[a] < words[b] ? -1 : words[a] > words[b] ? 1 : 0));
    this.sorted = Int32Array.from(ids);
    this.counts = Float64Array.from(ids, (id) => this.countOf(id));
    this.indexedSize = words.length;
  }
}
