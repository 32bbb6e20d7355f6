// Smoothed next-token probabilities from a suffix index (engine v2): the same formulas as
// scorer.ts (interpolated modified Kneser-Ney by default, absolute discounting, Jelinek-Mercer),
// with contexts as ranges of the index instead of trie nodes. For the same documents it gives the
// trie scorer's probabilities bit for bit (test/unit/memory/suffixIndex.test.ts). The index never
// changes, so summaries of busy contexts are kept until the scorer is dropped (a bounded cache).
import {
  fillDiscounts,
  JM_LAMBDA,
  MANY_CHILDREN,
  ScoredContext,
  TOP_CHILDREN,
  type ContextSummary,
  type NextTokenScorer,
  type Smoothing,
} from './scorer';
import type { Range, SuffixIndex } from './suffixIndex';

/** Summaries kept at most (each about 200 bytes); the cache starts over when full. */
const MAX_SUMMARIES = 50_000;

export class IndexScorer implements NextTokenScorer {
  private readonly order: number;
  private readonly ctxLo: Int32Array;
  private readonly ctxHi: Int32Array;
  private readonly sum: Float64Array;
  private readonly gamma: Float64Array;
  private readonly discounts: Float64Array;
  private slotOf = new Int32Array(0);
  private stampOf = new Int32Array(0);
  private stamp = 0;
  private counts = new Float64Array(1024);
  private readonly result = new ScoredContext();
  private topUnigrams: Int32Array | undefined;
  private readonly summaries = new Map<number, ContextSummary>();
  private maxLevel = 0;
  private readonly big = new Uint8Array(64);
  /** Each level's summary in the last scored context (undefined: few children, counted directly). */
  private readonly levelSummary: Array<ContextSummary | undefined> = [];
  private childWords = new Int32Array(256);
  private childCounts = new Float64Array(256);
  private childCountN = 0;
  private readonly range: Range = { lo: 0, hi: 0 };
  /** The previous context's last tokens and ranges (see matchContexts). */
  private readonly prevContext: Int32Array;
  private prevLength = 0;
  private prevM = 0;
  private readonly prevLo: Int32Array;
  private readonly prevHi: Int32Array;

  constructor(
    private readonly index: SuffixIndex,
    private readonly words: readonly string[],
    readonly smoothing: Smoothing = 'mkn',
  ) {
    this.order = index.order;
    this.ctxLo = new Int32Array(this.order);
    this.ctxHi = new Int32Array(this.order);
    this.prevContext = new Int32Array(this.order);
    this.prevLo = new Int32Array(this.order);
    this.prevHi = new Int32Array(this.order);
    this.sum = new Float64Array(this.order);
    this.gamma = new Float64Array(this.order);
    this.discounts = new Float64Array((this.order + 1) * 4);
    fillDiscounts(index, this.order, smoothing, this.discounts);
  }

  /** The count a child n-gram of `depth` tokens at [lo, hi) is scored with. */
  private childCount(lo: number, hi: number, depth: number): number {
    if (this.smoothing === 'mkn' && depth < this.order) return this.index.cont(lo, hi, depth);
    return hi - lo;
  }

  /** Score count of a word as a unigram. */
  private wordScore(word: number): number {
    const index = this.index;
    if (this.smoothing === 'mkn' && this.order > 1) return index.wordCont(word);
    return index.wordHi(word) - index.wordLo(word);
  }

  score(context: ArrayLike<number>, minCandidates: number): ScoredContext {
    const index = this.index;
    const N = this.order;
    const M = this.matchContexts(context);
    const vocabSize = this.words.length;
    if (this.slotOf.length < vocabSize) {
      this.slotOf = new Int32Array(vocabSize * 2);
      this.stampOf = new Int32Array(vocabSize * 2);
      this.stamp = 0;
    }
    this.stamp++;
    const res = this.result;
    res.size = 0;
    const stride = N;
    this.setUnigramLevel();
    let longest = 0;
    let evidence = index.total;
    for (let m = 1; m <= M; m++) {
      const depth = m + 1;
      const summary = this.summarize(this.ctxLo[m], this.ctxHi[m], m);
      this.levelSummary[m] = summary;
      if (summary) {
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

  /**
   * Finds the range of each context length m (the last m tokens) up to the longest that occurs
   * with something after it; returns that length. A context that extends the previous one by a
   * token (as ghost text grows word by word) narrows the previous ranges by that token instead of
   * searching each length from its first token again.
   */
  private matchContexts(context: ArrayLike<number>): number {
    const index = this.index;
    const N = this.order;
    const r = this.range;
    const L = context.length;
    const prev = this.prevContext;
    const Lp = this.prevLength;
    // How many tokens before the new last one match the end of the previous context.
    let shared = 0;
    const most = Math.min(N - 2, L - 1, Lp);
    while (shared < most && context[L - 2 - shared] === prev[Lp - 1 - shared]) shared++;
    const prevM = this.prevM;
    const w = L > 0 ? context[L - 1] : -1;
    let M = 0;
    for (let m = 1; m < N && m <= L; m++) {
      if (m === 1) {
        r.lo = index.wordLo(w);
        r.hi = index.wordHi(w);
      } else if (m - 1 <= shared && m - 1 <= prevM) {
        index.narrow(this.prevLo[m - 1], this.prevHi[m - 1], m - 1, w, r);
      } else if (m - 1 <= shared && m - 1 <= Lp) {
        break; // the previous context of m - 1 tokens had nothing after it: nor has this one
      } else {
        index.find(context, L - m, L, r);
      }
      if (r.lo >= r.hi || !index.hasChildren(r.lo, r.hi, m)) break;
      this.ctxLo[m] = r.lo;
      this.ctxHi[m] = r.hi;
      M = m;
    }
    // Remember this context and its ranges for the next call.
    const keep = Math.min(L, N);
    for (let i = 0; i < keep; i++) prev[i] = context[L - keep + i];
    this.prevLength = keep;
    this.prevM = M;
    this.prevLo.set(this.ctxLo);
    this.prevHi.set(this.ctxHi);
    return M;
  }

  /**
   * Reads the children of the context at [lo, hi) (`m` tokens long). Few children: left in
   * childWords/childCounts (returns undefined). Many: its summary, computed on first use.
   */
  private summarize(lo: number, hi: number, m: number): ContextSummary | undefined {
    // A range start and a length name one n-gram.
    const key = lo * 16 + m;
    const cached = this.summaries.get(key);
    if (cached) return cached;
    if (this.smoothing === 'mkn') {
      const built = this.index.summaryAt(lo, m);
      if (built) {
        this.remember(key, built);
        return built;
      }
    }
    let n = 0;
    const depth = m + 1;
    this.index.forEachChild(lo, hi, m, (word, a, b) => {
      const cnt = this.childCount(a, b, depth);
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
    const words = this.words;
    const cw = this.childWords;
    const cc = this.childCounts;
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
    const summary: ContextSummary = { sum, n1, n2, n3, top: Int32Array.from(best, (i) => cw[i]) };
    this.remember(key, summary);
    return summary;
  }

  private remember(key: number, summary: ContextSummary): void {
    if (this.summaries.size >= MAX_SUMMARIES) this.summaries.clear();
    this.summaries.set(key, summary);
  }

  /** The count of `word` after the context of level m (0 when it never follows there). */
  private countAfter(m: number, word: number): number {
    if (word <= 0) return 0;
    // A busy context's best children come with their counts: no search for those.
    const summary = this.levelSummary[m];
    if (summary?.topCounts) {
      const top = summary.top;
      for (let t = 0; t < top.length; t++) if (top[t] === word) return summary.topCounts[t];
    }
    const r = this.range;
    this.index.narrow(this.ctxLo[m], this.ctxHi[m], m, word, r);
    return r.lo < r.hi ? this.childCount(r.lo, r.hi, m + 1) : 0;
  }

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

  private interpolate(base: number, word: number): number {
    const index = this.index;
    const vocab = index.liveByOrder[1] + 1;
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

  private setUnigramLevel(): void {
    const index = this.index;
    if (this.smoothing === 'mkn') {
      const n1 = index.countsOfCounts(1, 1);
      const n2 = index.countsOfCounts(1, 2);
      const n3 = index.scoreLive[1] - n1 - n2;
      this.sum[0] = index.scoreSum[1];
      this.gamma[0] = this.gammaOf(1, index.scoreSum[1], n1, n2, n3);
    } else {
      this.sum[0] = index.total;
      this.gamma[0] = this.gammaOf(1, index.total, 0, 0, index.liveByOrder[1]);
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
    if (!this.topUnigrams || this.topUnigrams.length < n) {
      const index = this.index;
      const all: number[] = [];
      for (let w = 1; w < index.vocabularySize; w++) if (index.wordHi(w) > index.wordLo(w)) all.push(w);
      const words = this.words;
      all.sort((a, b) => this.wordScore(b) - this.wordScore(a) || (words[a] < words[b] ? -1 : 1));
      this.topUnigrams = Int32Array.from(all.slice(0, Math.max(n, 32)));
    }
    for (let i = 0; i < this.topUnigrams.length && this.result.size < n; i++) this.slotFor(this.topUnigrams[i]);
  }
}
