// Smoothed next-token probabilities from one memory's count store. Interpolated modified
// Kneser-Ney (default), absolute discounting, or Jelinek-Mercer. One Scorer per memory reuses its
// scratch arrays, so a prediction allocates almost nothing.
import type { Memory } from './memory';
import { ROOT, type NgramStore } from './ngramStore';

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
  /** Their score counts, where the summary keeps them (the scorer may look them up instead). */
  topCounts?: Float64Array;
}

const ABSOLUTE_DISCOUNT = 0.75;

export const JM_LAMBDA = 0.6;

export class Scorer implements NextTokenScorer {
  private readonly order: number;
  private ctx: Int32Array;
  private sum: Float64Array;
  private gamma: Float64Array;
  /** Discounts per order (index order*4 + min(c,3)). */
  private discounts: Float64Array;
  private discountVersion = -1;
  private slotOf = new Int32Array(0);
  private stampOf = new Int32Array(0);
  private stamp = 0;
  private counts = new Float64Array(1024);
  private readonly result = new ScoredContext();
  private topUnigrams: Int32Array = new Int32Array(0);
  private topUnigramsVersion = -1;

  constructor(
    private readonly memory: Memory,
    readonly smoothing: Smoothing = 'mkn',
  ) {
    this.order = memory.order;
    this.ctx = new Int32Array(this.order);
    this.sum = new Float64Array(this.order);
    this.gamma = new Float64Array(this.order);
    this.discounts = new Float64Array((this.order + 1) * 4);
  }

  private get store(): NgramStore {
    return this.memory.store;
  }

  /** The count a child at `depth` is scored with. */
  private childCount(store: NgramStore, node: number, depth: number): number {
    if (this.smoothing === 'mkn' && depth < this.order) return store.contOf(node);
    return store.countOf(node);
  }

  private refreshDiscounts(store: NgramStore): void {
    if (this.discountVersion === store.version) return;
    this.discountVersion = store.version;
    fillDiscounts(store, this.order, this.smoothing, this.discounts);
  }

  /**
   * Scores the next token after `context` (word ids, most recent last; -1 for unknown words).
   * Candidates are the words seen after any matched context of length >= 1, plus the most
   * frequent words when those are fewer than `minCandidates`.
   */
  score(context: ArrayLike<number>, minCandidates: number): ScoredContext {
    const store = this.store;
    const N = this.order;
    this.refreshDiscounts(store);
    // Matched contexts: ctx[m] is the node of the last m tokens.
    const ctx = this.ctx;
    ctx[0] = ROOT;
    let M = 0;
    const L = context.length;
    for (let m = 1; m < N && m <= L; m++) {
      let node = ROOT;
      for (let j = L - m; j < L && node >= 0; j++) {
        const w = context[j];
        node = w < 0 ? -1 : store.child(node, w);
      }
      if (node < 0 || store.firstChild[node] < 0) break;
      ctx[m] = node;
      M = m;
    }
    const vocabSize = this.memory.vocab.size;
    if (this.slotOf.length < vocabSize) {
      this.slotOf = new Int32Array(vocabSize * 2);
      this.stampOf = new Int32Array(vocabSize * 2);
      this.stamp = 0;
    }
    this.stamp++;
    const res = this.result;
    res.size = 0;
    const stride = N;
    // Unigram level: aggregates kept by the store.
    this.setLevel(0, store);
    let longest = 0;
    let evidence = store.total;
    for (let m = 1; m <= M; m++) {
      const depth = m + 1;
      const summary = this.summarize(store, ctx[m], depth);
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

  private maxLevel = 0;
  /** Levels whose context has many children (counts looked up rather than enumerated). */
  private big = new Uint8Array(64);
  private childWords = new Int32Array(256);
  private childCounts = new Float64Array(256);
  private childCountN = 0;

  /**
   * Reads the children of a context. Few children: left in childWords/childCounts (returns
   * undefined). Many: returns the context's cached summary, computing it on first use.
   */
  private summarize(store: NgramStore, node: number, depth: number): ContextSummary | undefined {
    const key = this.smoothing === 'mkn' ? node : -1 - node;
    const cached = store.summaries.get(key) as ContextSummary | undefined;
    if (cached) return cached;
    let n = 0;
    for (let c = store.firstChild[node]; c >= 0; c = store.nextSibling[c]) {
      const cnt = this.childCount(store, c, depth);
      if (cnt === 0) continue;
      if (n === this.childWords.length) {
        const w = new Int32Array(n * 2);
        w.set(this.childWords);
        this.childWords = w;
        const k = new Float64Array(n * 2);
        k.set(this.childCounts);
        this.childCounts = k;
      }
      this.childWords[n] = store.wordOf(c);
      this.childCounts[n] = cnt;
      n++;
    }
    this.childCountN = n;
    if (n <= MANY_CHILDREN) return undefined;
    let sum = 0;
    let n1 = 0;
    let n2 = 0;
    let n3 = 0;
    const words = this.memory.vocab.words;
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
    const top = Int32Array.from(best, (i) => cw[i]);
    const summary: ContextSummary = { sum, n1, n2, n3, top };
    store.summaries.set(key, summary);
    return summary;
  }

  /** Probability of any word id under the last scored context (-1 or unknown ids allowed). */
  probOf(word: number): number {
    if (word >= 0 && word < this.stampOf.length && this.stampOf[word] === this.stamp) {
      return this.result.probs[this.slotOf[word]];
    }
    const store = this.store;
    const scratch = this.counts.length - this.order;
    for (let m = 1; m <= this.maxLevel; m++) {
      if (this.big[m]) continue; // looked up in interpolate
      const node = word >= 0 ? store.child(this.ctx[m], word) : -1;
      this.counts[scratch + m] = node >= 0 ? this.childCount(store, node, m + 1) : 0;
    }
    return this.interpolate(scratch, word);
  }

  private interpolate(base: number, word: number): number {
    const store = this.store;
    const uni = word > 0 ? store.child(ROOT, word) : -1;
    const vocab = store.liveByOrder[1] + 1;
    let p = 1 / vocab;
    const c0 = uni >= 0 ? this.childCount(store, uni, 1) : 0;
    p = this.level(0, c0, p, 1);
    for (let m = 1; m <= this.maxLevel; m++) {
      let c = this.counts[base + m];
      if (this.big[m]) {
        const node = word > 0 ? store.child(this.ctx[m], word) : -1;
        c = node >= 0 ? this.childCount(store, node, m + 1) : 0;
      }
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

  private setLevel(m: number, store: NgramStore): void {
    if (this.smoothing === 'mkn') {
      const n1 = store.countsOfCounts(1, 1);
      const n2 = store.countsOfCounts(1, 2);
      const n3 = store.scoreLive[1] - n1 - n2;
      this.sum[m] = store.scoreSum[1];
      this.gamma[m] = this.gammaOf(1, store.scoreSum[1], n1, n2, n3);
    } else {
      this.sum[m] = store.total;
      this.gamma[m] = this.gammaOf(1, store.total, 0, 0, store.liveByOrder[1]);
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
    const store = this.store;
    if (this.topUnigramsVersion !== store.version || this.topUnigrams.length < n) {
      const all: number[] = [];
      for (let c = store.firstChild[ROOT]; c >= 0; c = store.nextSibling[c]) if (store.countOf(c) > 0) all.push(c);
      const words = this.memory.vocab.words;
      const key = (node: number) => words[store.wordOf(node)];
      all.sort((a, b) => this.childCount(store, b, 1) - this.childCount(store, a, 1) || (key(a) < key(b) ? -1 : 1));
      const top = all.slice(0, Math.max(n, 32));
      this.topUnigrams = Int32Array.from(top, (node) => store.wordOf(node));
      this.topUnigramsVersion = store.version;
    }
    for (let i = 0; i < this.topUnigrams.length && this.result.size < n; i++) this.slotFor(this.topUnigrams[i]);
  }
}

/** What discounts are estimated from: counts of counts of the score counts, per order. */
export interface OrderCounts {
  countsOfCounts(order: number, count: number): number;
}

/**
 * Discounts per order into `out` (index order * 4 + min(count, 3)): Chen & Goodman's modified
 * Kneser-Ney estimates from the counts of counts, or one fixed discount for absolute discounting.
 */
export function fillDiscounts(counts: OrderCounts, order: number, smoothing: Smoothing, out: Float64Array): void {
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
