// Smoothed next-token probabilities, whatever stores the counts: interpolated modified Kneser-Ney
// (default), absolute discounting, or Jelinek-Mercer, over "levels" (the context's last m tokens,
// m = 0..order-1). A subclass says how a store answers the few questions the formulas ask (which
// levels occur, the children of a level, the count of a word after a level, a word's own count);
// the formulas, the candidate bookkeeping and the summaries of busy contexts live here once, so the
// trie (scorer.ts) and the suffix index (indexScorer.ts) give the same probabilities bit for bit.
// One scorer per memory reuses its scratch arrays: a prediction allocates almost nothing.

export type Smoothing = 'mkn' | 'absolute' | 'jm';

/** A scored context: candidates (word ids) with probabilities, plus scoring of any other word. */
export class ScoredContext {
  /** Candidate word ids and their probabilities, in no particular order. */
  words: Int32Array = new Int32Array(64);
  probs: Float64Array = new Float64Array(64);
  size = 0;
  /** Longest context length (in tokens) that was found in the memory. */
  longest = 0;
  /** Number of observations behind the longest context. */
  evidence = 0;
}

/** Contexts with more children than this are summarized (cached aggregates and top children). */
export const MANY_CHILDREN = 48;
export const TOP_CHILDREN = 24;
/**
 * Children an index keeps per summary it builds (the best TOP_CHILDREN are the summary's top): the
 * live memory applies changes to a summary exactly from these unless many of the best drop.
 */
export const SUMMARY_RESERVE = 64;

/** What the predictor asks of a scorer, whatever stores the counts. */
export interface NextTokenScorer {
  score(context: ArrayLike<number>, minCandidates: number): ScoredContext;
  probOf(word: number): number;
}

export interface ContextSummary {
  sum: number;
  n1: number;
  n2: number;
  n3: number;
  /** Word ids of the most frequent children, most frequent first. */
  top: Int32Array;
  /** Their score counts, where the summary keeps them (no lookup needed for those). */
  topCounts?: Float64Array;
  /** A built summary's best children (SUMMARY_RESERVE of them, or all when `all`), best first. */
  reserve?: { words: Int32Array; counts: Float64Array; all: boolean };
}

/** What discounts and the unigram level are computed from, per order (1..order). */
export interface OrderStats {
  countsOfCounts(order: number, count: number): number;
  readonly liveByOrder: number[];
  readonly scoreSum: number[];
  readonly scoreLive: number[];
  /** Number of tokens counted. */
  readonly total: number;
}

const ABSOLUTE_DISCOUNT = 0.75;
const JM_LAMBDA = 0.6;

/**
 * Discounts per order into `out` (index order * 4 + min(count, 3)): Chen & Goodman's modified
 * Kneser-Ney estimates from the counts of counts, or one fixed discount for absolute discounting.
 */
function fillDiscounts(counts: OrderStats, order: number, smoothing: Smoothing, out: Float64Array): void {
  for (let d = 1; d <= order; d++) {
    const base = d * 4;
    if (smoothing !== 'mkn') {
      out[base + 1] = out[base + 2] = out[base + 3] = ABSOLUTE_DISCOUNT;
      continue;
    }
    const n1 = counts.countsOfCounts(d, 1);
    const n2 = counts.countsOfCounts(d, 2);
    const n3 = counts.countsOfCounts(d, 3);
    const n4 = counts.countsOfCounts(d, 4);
    const y = n1 > 0 && n2 > 0 ? n1 / (n1 + 2 * n2) : 0.5;
    const d1 = n1 > 0 && n2 > 0 ? 1 - (2 * y * n2) / n1 : 0.5;
    const d2 = n2 > 0 && n3 > 0 ? 2 - (3 * y * n3) / n2 : 1;
    const d3 = n3 > 0 && n4 > 0 ? 3 - (4 * y * n4) / n3 : 1.5;
    out[base + 1] = clamp(d1, 0.05, 0.95);
    out[base + 2] = clamp(d2, 0.1, 1.95);
    out[base + 3] = clamp(d3, 0.15, 2.95);
  }
}

function clamp(x: number, lo: number, hi: number): number {
  return Number.isFinite(x) ? Math.min(hi, Math.max(lo, x)) : (lo + hi) / 2;
}

export abstract class LevelScorer implements NextTokenScorer {
  protected readonly order: number;
  private readonly sum: Float64Array;
  private readonly gamma: Float64Array;
  /** Discounts per order (index order*4 + min(c,3)). */
  private readonly discounts: Float64Array;
  private discountVersion = -1;
  private slotOf = new Int32Array(0);
  private stampOf = new Int32Array(0);
  private stamp = 0;
  private counts = new Float64Array(1024);
  private readonly result = new ScoredContext();
  private topUnigrams: Int32Array = new Int32Array(0);
  private topUnigramsVersion = -1;
  private maxLevel = 0;
  /** Levels whose context has many children (counts looked up rather than enumerated). */
  private readonly big = new Uint8Array(64);
  /** Each level's summary in the last scored context (undefined: few children, enumerated). */
  private readonly levelSummary: Array<ContextSummary | undefined> = [];
  private childWords = new Int32Array(256);
  private childCounts = new Float64Array(256);
  private childCountN = 0;

  constructor(
    order: number,
    readonly smoothing: Smoothing,
  ) {
    this.order = order;
    this.sum = new Float64Array(order);
    this.gamma = new Float64Array(order);
    this.discounts = new Float64Array((order + 1) * 4);
  }

  // ---- what a store answers ----

  /** Counts per order, and a number that changes whenever they do. */
  protected abstract stats(): OrderStats;
  protected abstract statsVersion(): number;
  /** Words (ids below this) the memory knows. */
  protected abstract vocabularySize(): number;
  /** The text of each word id (ties between words go to the one that sorts first as text). */
  protected abstract wordTexts(): readonly string[];
  /** Finds the contexts of the last 1..order-1 tokens that occur with something after them; returns the longest m. */
  protected abstract matchContexts(context: ArrayLike<number>): number;
  /** Visits each child of level m with its score count (may include zeros, which are skipped). */
  protected abstract forEachChild(m: number, visit: (word: number, count: number) => void): void;
  /** The score count of `word` (> 0) after the context of level m. */
  protected abstract childCountAfter(m: number, word: number): number;
  /** The score count of a word (> 0) as a unigram. */
  protected abstract wordScore(word: number): number;
  /** Each word id counted at least once. */
  protected abstract countedWords(visit: (word: number) => void): void;
  /** A summary of level m's context kept by the store (cached or made while building), if any. */
  protected abstract storedSummary(m: number): ContextSummary | undefined;
  /** Keeps a summary computed here for level m's context. */
  protected abstract storeSummary(m: number, summary: ContextSummary): void;

  /** The score count a child at `depth` is scored with: continuation below the top order (MKN). */
  protected scoresContinuation(depth: number): boolean {
    return this.smoothing === 'mkn' && depth < this.order;
  }

  /**
   * Scores the next token after `context` (word ids, most recent last; -1 for unknown words).
   * Candidates are the words seen after any matched context of length >= 1, plus the most
   * frequent words when those are fewer than `minCandidates`.
   */
  score(context: ArrayLike<number>, minCandidates: number): ScoredContext {
    const N = this.order;
    const stats = this.stats();
    if (this.discountVersion !== this.statsVersion()) {
      this.discountVersion = this.statsVersion();
      fillDiscounts(stats, N, this.smoothing, this.discounts);
    }
    const M = this.matchContexts(context);
    const vocabSize = this.vocabularySize();
    if (this.slotOf.length < vocabSize) {
      this.slotOf = new Int32Array(vocabSize * 2);
      this.stampOf = new Int32Array(vocabSize * 2);
      this.stamp = 0;
    }
    this.stamp++;
    const res = this.result;
    res.size = 0;
    const stride = N;
    this.setUnigramLevel(stats);
    let longest = 0;
    let evidence = stats.total;
    for (let m = 1; m <= M; m++) {
      const depth = m + 1;
      const summary = this.summarize(m);
      this.levelSummary[m] = summary;
      if (summary) {
        // A context with many children: its aggregates are cached, its top children are the
        // candidates, and every candidate's count here is looked up.
        this.big[m] = 1;
        this.sum[m] = summary.sum;
        this.gamma[m] = this.gammaOf(depth, summary.sum, summary.n1, summary.n2, summary.n3);
        for (let i = 0; i < summary.top.length; i++) this.slotFor(summary.top[i]);
      } else {
        this.big[m] = 0;
        const n = this.childCountN;
        let sum = 0;
        let n1 = 0;
        let n2 = 0;
        let n3 = 0;
        for (let i = 0; i < n; i++) {
          const cnt = this.childCounts[i];
          sum += cnt;
          if (cnt === 1) n1++;
          else if (cnt === 2) n2++;
          else n3++;
          this.counts[this.slotFor(this.childWords[i]) * stride + m] = cnt;
        }
        this.sum[m] = sum;
        this.gamma[m] = this.gammaOf(depth, sum, n1, n2, n3);
      }
      if (this.sum[m] > 0) {
        longest = m;
        evidence = this.sum[m];
      }
    }
    res.longest = longest;
    res.evidence = evidence;
    this.maxLevel = M;
    if (res.size < minCandidates) this.addTopUnigrams(minCandidates);
    if (res.probs.length < res.size) res.probs = new Float64Array(res.words.length);
    for (let i = 0; i < res.size; i++) res.probs[i] = this.interpolate(i * stride, res.words[i]);
    return res;
  }

  /** Probability of any word id under the last scored context (-1 or unknown ids allowed). */
  probOf(word: number): number {
    if (word >= 0 && word < this.stampOf.length && this.stampOf[word] === this.stamp) {
      return this.result.probs[this.slotOf[word]];
    }
    const scratch = this.counts.length - this.order;
    for (let m = 1; m <= this.maxLevel; m++) {
      if (this.big[m]) continue; // looked up in interpolate
      this.counts[scratch + m] = this.countAfter(m, word);
    }
    return this.interpolate(scratch, word);
  }

  /** The score count of `word` after the context of level m (0 when it never follows there). */
  private countAfter(m: number, word: number): number {
    if (word <= 0) return 0;
    const summary = this.levelSummary[m];
    if (summary?.topCounts) {
      const top = summary.top;
      for (let t = 0; t < top.length; t++) if (top[t] === word) return summary.topCounts[t];
    }
    return this.childCountAfter(m, word);
  }

  /**
   * Reads the children of level m's context. Few children: left in childWords/childCounts
   * (returns undefined). Many: returns the context's summary, computing it on first use.
   */
  private summarize(m: number): ContextSummary | undefined {
    const stored = this.storedSummary(m);
    if (stored) return stored;
    let n = 0;
    this.forEachChild(m, (word, cnt) => {
      if (cnt === 0) return;
      if (n === this.childWords.length) {
        const w = new Int32Array(n * 2);
        w.set(this.childWords);
        this.childWords = w;
        const k = new Float64Array(n * 2);
        k.set(this.childCounts);
        this.childCounts = k;
      }
      this.childWords[n] = word;
      this.childCounts[n] = cnt;
      n++;
    });
    this.childCountN = n;
    if (n <= MANY_CHILDREN) return undefined;
    let sum = 0;
    let n1 = 0;
    let n2 = 0;
    let n3 = 0;
    const words = this.wordTexts();
    const cw = this.childWords;
    const cc = this.childCounts;
    // The most frequent children by a bounded insertion (ties by word, so history never matters).
    const best: number[] = [];
    const before = (a: number, b: number) => cc[a] > cc[b] || (cc[a] === cc[b] && words[cw[a]] < words[cw[b]]);
    for (let i = 0; i < n; i++) {
      const cnt = cc[i];
      sum += cnt;
      if (cnt === 1) n1++;
      else if (cnt === 2) n2++;
      else n3++;
      if (best.length === TOP_CHILDREN && !before(i, best[TOP_CHILDREN - 1])) continue;
      let pos = best.length < TOP_CHILDREN ? best.push(i) - 1 : TOP_CHILDREN - 1;
      while (pos > 0 && before(i, best[pos - 1])) {
        best[pos] = best[pos - 1];
        pos--;
      }
      best[pos] = i;
    }
    const summary: ContextSummary = {
      sum,
      n1,
      n2,
      n3,
      top: Int32Array.from(best, (i) => cw[i]),
      topCounts: Float64Array.from(best, (i) => cc[i]),
    };
    this.storeSummary(m, summary);
    return summary;
  }

  private interpolate(base: number, word: number): number {
    const stats = this.stats();
    const vocab = stats.liveByOrder[1] + 1;
    let p = 1 / vocab;
    const c0 = word > 0 ? this.wordScore(word) : 0;
    p = this.level(0, c0, p, 1);
    for (let m = 1; m <= this.maxLevel; m++) {
      const c = this.big[m] ? this.countAfter(m, word) : this.counts[base + m];
      p = this.level(m, c, p, m + 1);
    }
    return p;
  }

  private level(m: number, c: number, lower: number, depth: number): number {
    const sum = this.sum[m];
    if (sum <= 0) return lower;
    if (this.smoothing === 'jm') return (JM_LAMBDA * c) / sum + (1 - JM_LAMBDA) * lower;
    const d = c === 0 ? 0 : this.discounts[depth * 4 + (c >= 3 ? 3 : c)];
    return (Math.max(c - d, 0) + this.gamma[m] * lower) / sum;
  }

  private gammaOf(depth: number, sum: number, n1: number, n2: number, n3: number): number {
    if (this.smoothing === 'jm' || sum <= 0) return 0;
    const base = depth * 4;
    return this.discounts[base + 1] * n1 + this.discounts[base + 2] * n2 + this.discounts[base + 3] * n3;
  }

  private setUnigramLevel(stats: OrderStats): void {
    if (this.smoothing === 'mkn') {
      const n1 = stats.countsOfCounts(1, 1);
      const n2 = stats.countsOfCounts(1, 2);
      const n3 = stats.scoreLive[1] - n1 - n2;
      this.sum[0] = stats.scoreSum[1];
      this.gamma[0] = this.gammaOf(1, stats.scoreSum[1], n1, n2, n3);
    } else {
      this.sum[0] = stats.total;
      this.gamma[0] = this.gammaOf(1, stats.total, 0, 0, stats.liveByOrder[1]);
    }
  }

  private slotFor(word: number): number {
    const res = this.result;
    if (this.stampOf[word] === this.stamp) return this.slotOf[word];
    const slot = res.size++;
    if (slot >= res.words.length) {
      const words = new Int32Array(res.words.length * 2);
      words.set(res.words);
      res.words = words;
    }
    const need = (slot + 2) * this.order;
    if (this.counts.length < need) {
      const counts = new Float64Array(Math.max(need * 2, 1024));
      counts.set(this.counts);
      this.counts = counts;
    }
    this.counts.fill(0, slot * this.order, slot * this.order + this.order);
    res.words[slot] = word;
    this.stampOf[word] = this.stamp;
    this.slotOf[word] = slot;
    return slot;
  }

  private addTopUnigrams(n: number): void {
    const version = this.unigramsVersion();
    if (this.topUnigramsVersion !== version || this.topUnigrams.length < n) {
      this.topUnigrams = this.mostFrequentWords(Math.max(n, 32));
      this.topUnigramsVersion = version;
    }
    for (let i = 0; i < this.topUnigrams.length && this.result.size < n; i++) this.slotFor(this.topUnigrams[i]);
  }

  /** A number that changes whenever any word's score as a unigram may have changed. */
  protected unigramsVersion(): number {
    return this.statsVersion();
  }

  /** The `n` counted words of highest score as unigrams, ties by text: one pass, a bounded insertion. */
  private mostFrequentWords(n: number): Int32Array {
    const words = this.wordTexts();
    const best: number[] = [];
    const score: number[] = [];
    this.countedWords((w) => {
      const c = this.wordScore(w);
      if (best.length === n) {
        const last = score[n - 1];
        if (c < last || (c === last && words[w] > words[best[n - 1]])) return;
      }
      let pos = best.length < n ? best.length : n - 1;
      if (best.length < n) {
        best.push(w);
        score.push(c);
      }
      while (pos > 0 && (score[pos - 1] < c || (score[pos - 1] === c && words[best[pos - 1]] > words[w]))) {
        best[pos] = best[pos - 1];
        score[pos] = score[pos - 1];
        pos--;
      }
      best[pos] = w;
      score[pos] = c;
    });
    return Int32Array.from(best);
  }

}
