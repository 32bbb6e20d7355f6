// The scorer of the indexed memory (engine v2): levels are ranges of the suffix index, a level's
// children are the runs inside its range, counts are range sizes (raw) or continuation counts. The
// index never changes, so summaries of busy contexts (made while building, or here on first use)
// are kept until the scorer is dropped (a bounded cache). The formulas: levelScorer.ts.
import { LevelScorer, type ContextSummary, type OrderStats, type Smoothing } from './levelScorer';
import type { Range, SuffixIndex } from './suffixIndex';

/** Summaries kept at most (each about 300 bytes); the cache starts over when full. */
const MAX_SUMMARIES = 50_000;

export class IndexScorer extends LevelScorer {
  private readonly ctxLo: Int32Array;
  private readonly ctxHi: Int32Array;
  private readonly range: Range = { lo: 0, hi: 0 };
  /** The previous context's last tokens and ranges (see matchContexts). */
  private readonly prevContext: Int32Array;
  private prevLength = 0;
  private prevM = 0;
  private readonly prevLo: Int32Array;
  private readonly prevHi: Int32Array;
  private readonly summaries = new Map<number, ContextSummary>();

  constructor(
    private readonly index: SuffixIndex,
    private readonly words: readonly string[],
    smoothing: Smoothing = 'mkn',
  ) {
    super(index.order, smoothing);
    this.ctxLo = new Int32Array(this.order);
    this.ctxHi = new Int32Array(this.order);
    this.prevContext = new Int32Array(this.order);
    this.prevLo = new Int32Array(this.order);
    this.prevHi = new Int32Array(this.order);
  }

  /** The count a child n-gram of `depth` tokens at [lo, hi) is scored with. */
  private rangeScore(lo: number, hi: number, depth: number): number {
    return this.scoresContinuation(depth) ? this.index.cont(lo, hi, depth) : hi - lo;
  }

  protected stats(): OrderStats {
    return this.index;
  }

  protected statsVersion(): number {
    return 0; // the index never changes
  }

  protected vocabularySize(): number {
    return this.words.length;
  }

  protected wordTexts(): readonly string[] {
    return this.words;
  }

  protected matchContexts(context: ArrayLike<number>): number {
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

  protected forEachChild(m: number, visit: (word: number, count: number) => void): void {
    const depth = m + 1;
    this.index.forEachChild(this.ctxLo[m], this.ctxHi[m], m, (word, a, b) => visit(word, this.rangeScore(a, b, depth)));
  }

  protected childCountAfter(m: number, word: number): number {
    const r = this.range;
    this.index.narrow(this.ctxLo[m], this.ctxHi[m], m, word, r);
    return r.lo < r.hi ? this.rangeScore(r.lo, r.hi, m + 1) : 0;
  }

  protected wordScore(word: number): number {
    const index = this.index;
    return this.scoresContinuation(1) ? index.wordCont(word) : index.wordHi(word) - index.wordLo(word);
  }

  protected countedWords(visit: (word: number) => void): void {
    const index = this.index;
    for (let w = 1; w < index.vocabularySize; w++) if (index.wordHi(w) > index.wordLo(w)) visit(w);
  }

  /** A range start and a length name one n-gram. */
  private summaryKey(m: number): number {
    return this.ctxLo[m] * 16 + m;
  }

  protected storedSummary(m: number): ContextSummary | undefined {
    const key = this.summaryKey(m);
    const cached = this.summaries.get(key);
    if (cached) return cached;
    const built = this.smoothing === 'mkn' ? this.index.summaryAt(this.ctxLo[m], m) : undefined;
    if (built) this.storeSummary(m, built);
    return built;
  }

  protected storeSummary(m: number, summary: ContextSummary): void {
    if (this.summaries.size >= MAX_SUMMARIES) this.summaries.clear();
    this.summaries.set(this.summaryKey(m), summary);
  }
}
