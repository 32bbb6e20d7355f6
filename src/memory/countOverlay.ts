// Signed changes of n-gram counts over an immutable suffix index: the small mutable half of the live
// memory (liveMemory.ts), which keeps a memory exact between two builds of its index.
//
// Invariant: for every n-gram g of at most `order` tokens, the merged raw count is the index's count
// of g plus dc(g), and below the top order the merged continuation count (distinct words seen before
// g) is the index's plus dk(g); the per-order figures the scorer's formulas read (distinct n-grams,
// sums and counts of counts of score counts, tokens) are the index's plus the deltas kept here. Only
// n-grams whose merged counts changed have an entry, so the overlay's size follows the edits, not the
// memory.
//
// How it stays so: every change of a raw count is applied through add(), which reads the merged
// count before and after. When g appears or vanishes (its count crosses zero), the continuation
// count of its suffix g[1..] moves by one, because g's first word is one of the words seen before
// the suffix. Score counts (raw at the top order, continuation below, as modified Kneser-Ney
// scores them) then move between the counts-of-counts buckets. Each context keeps the entries of its
// children and a stamp that changes with any of them, so cached summaries of busy contexts can tell
// when they went stale.
import type { OrderStats } from './levelScorer';
import type { Range, SuffixIndex } from './suffixIndex';

/** Counts-of-counts buckets per order, as the index keeps them (score counts 1..4). */
const CC = 5;

export interface OverlayEntry {
  readonly ids: Int32Array;
  /** The index's raw count and (below the top order) continuation count of this n-gram. */
  readonly base: number;
  readonly baseCont: number;
  /** Changes of the raw and continuation counts. */
  dc: number;
  dk: number;
  /** The children of the context this n-gram extends (its first length - 1 tokens). */
  readonly context: OverlayContext;
}

export interface OverlayContext {
  /** Entries of this context's children, by their last word. */
  readonly children: Map<number, OverlayEntry>;
  /** Change of the sum of the children's raw counts. */
  dSum: number;
  /** Changes whenever a child's counts change. */
  stamp: number;
}

/** A key for an n-gram's ids (two UTF-16 units per id). */
export function ngramKey(ids: ArrayLike<number>, from: number, to: number): string {
  let key = '';
  for (let i = from; i < to; i++) key += String.fromCharCode(ids[i] >>> 16, ids[i] & 0xffff);
  return key;
}

export class CountOverlay implements OrderStats {
  private readonly entries = new Map<string, OverlayEntry>();
  private readonly contexts = new Map<string, OverlayContext>();
  private readonly range: Range = { lo: 0, hi: 0 };
  private readonly dLive: Float64Array;
  private readonly dScoreSum: Float64Array;
  private readonly dScoreLive: Float64Array;
  private readonly dCountOfCounts: Float64Array;
  private dTotal = 0;
  /** Changes with every applied change (the scorer's statistics version). */
  version = 0;
  // OrderStats views, refreshed when read after a change.
  private viewVersion = -1;
  private readonly live: number[];
  private readonly sums: number[];
  private readonly lives: number[];

  constructor(
    readonly index: SuffixIndex,
    readonly order: number,
  ) {
    const o = order + 1;
    this.dLive = new Float64Array(o);
    this.dScoreSum = new Float64Array(o);
    this.dScoreLive = new Float64Array(o);
    this.dCountOfCounts = new Float64Array(o * CC);
    this.live = index.liveByOrder.slice();
    this.sums = index.scoreSum.slice();
    this.lives = index.scoreLive.slice();
  }

  /** Number of n-grams with an entry (what the overlay costs, about 250 bytes each). */
  get size(): number {
    return this.entries.size;
  }

  get isEmpty(): boolean {
    return this.entries.size === 0;
  }

  /** Adds `delta` to the raw count of the n-gram ids[from..from+k) (its ngramKey, when known). Throws if it would go negative. */
  add(ids: ArrayLike<number>, from: number, k: number, delta: number, key = ngramKey(ids, from, from + k)): void {
    if (delta === 0) return;
    const e = this.entry(ids, from, k, key);
    const before = e.base + e.dc;
    const after = before + delta;
    if (after < 0) throw new RangeError(`the count of an n-gram would become negative (${before} ${delta})`);
    e.dc += delta;
    e.context.dSum += delta;
    e.context.stamp = ++this.version;
    if (k === 1) this.dTotal += delta;
    const appeared = before === 0 && after > 0;
    const vanished = before > 0 && after === 0;
    if (appeared) this.dLive[k]++;
    else if (vanished) this.dLive[k]--;
    if (k === this.order) this.rescore(k, before, after);
    if (k >= 2 && (appeared || vanished)) {
      const suffix = this.entry(ids, from + 1, k - 1, key.slice(2));
      const was = suffix.baseCont + suffix.dk;
      const step = appeared ? 1 : -1;
      suffix.dk += step;
      suffix.context.stamp = this.version;
      this.rescore(k - 1, was, was + step);
    }
  }

  /** The merged raw count of ids[from..from+k). */
  count(ids: ArrayLike<number>, from: number, k: number): number {
    const e = this.entries.get(ngramKey(ids, from, from + k));
    if (e) return e.base + e.dc;
    return this.baseCount(ids, from, k);
  }

  /** The entry of an n-gram, if its counts changed. */
  get(ids: ArrayLike<number>, from: number, k: number): OverlayEntry | undefined {
    return this.entries.get(ngramKey(ids, from, from + k));
  }

  /** The children of a context (ids[from..from+k), k may be 0) whose counts changed, if any. */
  context(ids: ArrayLike<number>, from: number, k: number): OverlayContext | undefined {
    return this.contexts.get(ngramKey(ids, from, from + k));
  }

  /** The same, by the context's key (ngramKey). */
  contextByKey(key: string): OverlayContext | undefined {
    return this.contexts.get(key);
  }

  /** The children of the empty context: words whose counts changed. */
  get words(): OverlayContext | undefined {
    return this.contexts.get('');
  }

  /** Every entry (for walking the merged n-grams). */
  values(): IterableIterator<OverlayEntry> {
    return this.entries.values();
  }

  // ---- OrderStats: the index's figures plus the changes ----

  countsOfCounts(d: number, c: number): number {
    return this.index.countsOfCounts(d, c) + this.dCountOfCounts[d * CC + c];
  }

  get liveByOrder(): number[] {
    this.refresh();
    return this.live;
  }

  get scoreSum(): number[] {
    this.refresh();
    return this.sums;
  }

  get scoreLive(): number[] {
    this.refresh();
    return this.lives;
  }

  get total(): number {
    return this.index.total + this.dTotal;
  }

  private refresh(): void {
    if (this.viewVersion === this.version) return;
    this.viewVersion = this.version;
    const index = this.index;
    for (let d = 0; d <= this.order; d++) {
      this.live[d] = index.liveByOrder[d] + this.dLive[d];
      this.sums[d] = index.scoreSum[d] + this.dScoreSum[d];
      this.lives[d] = index.scoreLive[d] + this.dScoreLive[d];
    }
  }

  /** Moves an n-gram of order d from score count a to b in the per-order figures. */
  private rescore(d: number, a: number, b: number): void {
    if (a === b) return;
    if (a > 0) {
      this.dScoreSum[d] -= a;
      this.dScoreLive[d]--;
      if (a < CC) this.dCountOfCounts[d * CC + a]--;
    }
    if (b > 0) {
      this.dScoreSum[d] += b;
      this.dScoreLive[d]++;
      if (b < CC) this.dCountOfCounts[d * CC + b]++;
    }
  }

  private entry(ids: ArrayLike<number>, from: number, k: number, key: string): OverlayEntry {
    let e = this.entries.get(key);
    if (e) return e;
    const contextKey = key.slice(0, key.length - 2);
    let context = this.contexts.get(contextKey);
    if (!context) {
      context = { children: new Map(), dSum: 0, stamp: this.version };
      this.contexts.set(contextKey, context);
    }
    const own = Int32Array.from({ length: k }, (_, i) => ids[from + i]);
    const base = this.baseCount(own, 0, k);
    const baseCont = k < this.order && base > 0 ? this.baseContinuation(own, k) : 0;
    e = { ids: own, base, baseCont, dc: 0, dk: 0, context };
    this.entries.set(key, e);
    context.children.set(own[k - 1], e);
    return e;
  }

  private baseCount(ids: ArrayLike<number>, from: number, k: number): number {
    this.index.find(ids, from, from + k, this.range);
    return this.range.hi - this.range.lo;
  }

  private baseContinuation(ids: Int32Array, k: number): number {
    if (k === 1) return this.index.wordCont(ids[0]);
    const r = this.range;
    this.index.find(ids, 0, k, r);
    return this.index.cont(r.lo, r.hi, k);
  }
}
