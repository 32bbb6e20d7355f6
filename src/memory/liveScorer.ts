// The scorer of the live memory: the suffix index's answers (indexScorer.ts) with the overlay's
// changes added (countOverlay.ts), so a memory edited since its index was built scores exactly as
// one built from its current documents. The formulas: levelScorer.ts.
//
// A level's children are the index's runs in the context's range plus the overlay's children of the
// context that the index never saw; a child's score count is the index's plus the overlay's change.
// Busy contexts use the index's summary while the overlay has not touched them; a touched one is
// summarized again from its merged children (once per change of the context, then cached).
import { LevelScorer, MANY_CHILDREN, TOP_CHILDREN, type ContextSummary, type OrderStats, type Smoothing } from './levelScorer';
import type { CountOverlay } from './countOverlay';
import type { Range, SuffixIndex } from './suffixIndex';

/** Summaries kept at most (each about 300 bytes); the cache starts over when full. */
const MAX_SUMMARIES = 50_000;

/** What the scorer reads: the live memory's current index, overlay and words (they change together). */
export interface LiveCounts {
  readonly index: SuffixIndex;
  readonly overlay: CountOverlay;
  readonly words: readonly string[];
  /** Changes whenever the index (and with it the overlay) is replaced. */
  readonly generation: number;
}

export class LiveScorer extends LevelScorer {
  private readonly ctxLo: Int32Array;
  private readonly ctxHi: Int32Array;
  /** The overlay's context node of each matched context (-1: none of its children changed). */
  private readonly ctx: Int32Array;
  private readonly range: Range = { lo: 0, hi: 0 };
  private generation = -1;
  /** Summaries of untouched contexts, by range start and length. */
  private readonly summaries = new Map<number, ContextSummary>();
  /** Summaries of touched contexts, by context node, valid while the context's stamp is the same. */
  private readonly touched = new Map<number, { stamp: number; summary: ContextSummary }>();

  constructor(
    private readonly live: LiveCounts,
    smoothing: Smoothing = 'mkn',
  ) {
    super(live.index.order, smoothing);
    this.ctxLo = new Int32Array(this.order);
    this.ctxHi = new Int32Array(this.order);
    this.ctx = new Int32Array(this.order).fill(-1);
  }

  protected stats(): OrderStats {
    return this.live.overlay;
  }

  protected statsVersion(): number {
    return this.live.generation * 2 ** 32 + this.live.overlay.version;
  }

  protected override unigramsVersion(): number {
    return this.live.generation * 2 ** 32 + this.live.overlay.contextStamp(0);
  }

  protected vocabularySize(): number {
    return this.live.words.length;
  }

  protected wordTexts(): readonly string[] {
    return this.live.words;
  }

  protected matchContexts(context: ArrayLike<number>): number {
    if (this.generation !== this.live.generation) {
      this.generation = this.live.generation;
      this.summaries.clear();
      this.touched.clear();
    }
    const { index, overlay } = this.live;
    const r = this.range;
    const N = this.order;
    const L = context.length;
    const anyChanges = !overlay.isEmpty;
    let M = 0;
    for (let m = 1; m < N && m <= L; m++) {
      const w = context[L - m];
      if (w <= 0) break;
      index.find(context, L - m, L, r);
      // Occurrences of the context followed by a word (not by a document's end).
      let sum = r.hi - r.lo;
      if (sum > 0 && index.keyAt(r.lo, m) === 0) sum -= index.runEnd(r.lo, r.hi, m, 0) - r.lo;
      const changed = anyChanges ? overlay.context(context, L - m, m) : -1;
      if (changed >= 0) sum += overlay.contextSum(changed);
      if (sum <= 0) break;
      this.ctxLo[m] = r.lo;
      this.ctxHi[m] = r.hi;
      this.ctx[m] = changed;
      M = m;
    }
    return M;
  }

  protected forEachChild(m: number, visit: (word: number, count: number) => void): void {
    const { index, overlay } = this.live;
    const depth = m + 1;
    const cont = this.scoresContinuation(depth);
    const changed = this.ctx[m];
    index.forEachChild(this.ctxLo[m], this.ctxHi[m], m, (word, a, b) => {
      let score = cont ? index.cont(a, b, depth) : b - a;
      if (changed >= 0) {
        const e = overlay.child(changed, word);
        score += cont ? overlay.contChange(e) : overlay.rawChange(e);
      }
      visit(word, score);
    });
    if (changed < 0) return;
    for (let e = overlay.firstChildOf(changed); e >= 0; e = overlay.nextChild(e)) {
      if (overlay.baseCount(e) === 0) visit(overlay.wordOf(e), cont ? overlay.contChange(e) : overlay.rawChange(e));
    }
  }

  protected childCountAfter(m: number, word: number): number {
    const { index, overlay } = this.live;
    const depth = m + 1;
    const cont = this.scoresContinuation(depth);
    const r = this.range;
    index.narrow(this.ctxLo[m], this.ctxHi[m], m, word, r);
    let score = r.lo < r.hi ? (cont ? index.cont(r.lo, r.hi, depth) : r.hi - r.lo) : 0;
    const changed = this.ctx[m];
    if (changed >= 0) {
      const e = overlay.child(changed, word);
      score += cont ? overlay.contChange(e) : overlay.rawChange(e);
    }
    return score;
  }

  protected wordScore(word: number): number {
    const { index, overlay } = this.live;
    const cont = this.scoresContinuation(1);
    const score = cont ? index.wordCont(word) : index.wordHi(word) - index.wordLo(word);
    const e = overlay.isEmpty ? -1 : overlay.child(0, word);
    return score + (cont ? overlay.contChange(e) : overlay.rawChange(e));
  }

  protected countedWords(visit: (word: number) => void): void {
    const { index, overlay } = this.live;
    const changed = !overlay.isEmpty;
    const size = this.live.words.length;
    for (let w = 1; w < size; w++) {
      const count = index.wordHi(w) - index.wordLo(w) + (changed ? overlay.wordChange(w) : 0);
      if (count > 0) visit(w);
    }
  }

  protected storedSummary(m: number): ContextSummary | undefined {
    const changed = this.ctx[m];
    if (changed >= 0) {
      const kept = this.touched.get(changed);
      if (kept && kept.stamp === this.live.overlay.contextStamp(changed)) return kept.summary;
      const merged = this.mergedSummary(m, changed);
      if (merged) this.storeSummary(m, merged);
      return merged;
    }
    const key = this.ctxLo[m] * 16 + m;
    const cached = this.summaries.get(key);
    if (cached) return cached;
    const built = this.smoothing === 'mkn' ? this.live.index.summaryAt(this.ctxLo[m], m) : undefined;
    if (built) this.storeSummary(m, built);
    return built;
  }

  /**
   * The index's summary of a busy context with the overlay's changes applied (sum and counts of
   * counts exactly; the best children from the index's reserve of best children and the changed
   * ones), when that is exact: the last best child must still rank at or above the reserve's last,
   * since children the overlay did not touch rank below that one. Otherwise undefined (summarized
   * from every child).
   */
  private mergedSummary(m: number, changed: number): ContextSummary | undefined {
    if (this.smoothing !== 'mkn' || this.ctxLo[m] >= this.ctxHi[m]) return undefined;
    const base = this.live.index.summaryAt(this.ctxLo[m], m);
    const reserve = base?.reserve;
    if (!base || !reserve || reserve.words.length < TOP_CHILDREN) return undefined;
    const cont = this.scoresContinuation(m + 1);
    let { sum, n1, n2, n3 } = base;
    const bucket = (score: number, step: number) => {
      if (score === 1) n1 += step;
      else if (score === 2) n2 += step;
      else if (score >= 3) n3 += step;
    };
    const overlay = this.live.overlay;
    const scores = new Map<number, number>();
    for (let e = overlay.firstChildOf(changed); e >= 0; e = overlay.nextChild(e)) {
      const delta = cont ? overlay.contChange(e) : overlay.rawChange(e);
      if (delta === 0) continue;
      const was = cont ? overlay.baseContinuation(e) : overlay.baseCount(e);
      bucket(was, -1);
      bucket(was + delta, 1);
      sum += delta;
      scores.set(overlay.wordOf(e), was + delta);
    }
    if (n1 + n2 + n3 <= MANY_CHILDREN) return undefined;
    const words = this.live.words;
    const candidates: Array<{ word: number; score: number }> = [];
    const kept = new Set<number>();
    for (let t = 0; t < reserve.words.length; t++) {
      const word = reserve.words[t];
      kept.add(word);
      const score = scores.get(word) ?? reserve.counts[t];
      if (score > 0) candidates.push({ word, score });
    }
    for (const [word, score] of scores) if (score > 0 && !kept.has(word)) candidates.push({ word, score });
    candidates.sort((a, b) => b.score - a.score || (words[a.word] < words[b.word] ? -1 : 1));
    if (candidates.length < TOP_CHILDREN) return undefined;
    // A full reserve leaves out children that rank below its last one; a short one left out none.
    if (!reserve.all) {
      const end = reserve.words.length - 1;
      const last = candidates[TOP_CHILDREN - 1];
      const reserveLastScore = reserve.counts[end];
      const reserveLastWord = words[reserve.words[end]];
      if (last.score < reserveLastScore || (last.score === reserveLastScore && words[last.word] > reserveLastWord)) return undefined;
    }
    const best = candidates.slice(0, TOP_CHILDREN);
    return { sum, n1, n2, n3, top: Int32Array.from(best, (c) => c.word), topCounts: Float64Array.from(best, (c) => c.score) };
  }

  protected storeSummary(m: number, summary: ContextSummary): void {
    const changed = this.ctx[m];
    if (changed >= 0) {
      if (this.touched.size >= MAX_SUMMARIES) this.touched.clear();
      this.touched.set(changed, { stamp: this.live.overlay.contextStamp(changed), summary });
      return;
    }
    if (this.summaries.size >= MAX_SUMMARIES) this.summaries.clear();
    this.summaries.set(this.ctxLo[m] * 16 + m, summary);
  }
}

