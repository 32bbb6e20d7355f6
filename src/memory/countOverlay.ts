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
//
// Layout: a trie of nodes in typed arrays (node 0 is the empty context), found by an open-addressing
// table keyed by (parent, word). An edit runs on the editor's thread, so the overlay makes no object
// per n-gram (nothing for the garbage collector to copy or promote) and no string keys, and each
// node keeps its range of the suffix index: a child's range is its parent's narrowed by one word, so
// an n-gram's index count costs one binary search however long it is.
import type { OrderStats } from './levelScorer';
import type { Range, SuffixIndex } from './suffixIndex';

/** Counts-of-counts buckets per order, as the index keeps them (score counts 1..4). */
const CC = 5;

/** A key for an n-gram's ids (two UTF-16 units per id). */
export function ngramKey(ids: ArrayLike<number>, from: number, to: number): string {
  let key = '';
  for (let i = from; i < to; i++) key += String.fromCharCode(ids[i] >>> 16, ids[i] & 0xffff);
  return key;
}

/** Nodes made room for at first: enough for a long session's edits over a large index, so the table seldom grows inside one. */
function initialCapacity(indexTokens: number): number {
  let c = 4096;
  while (c < 65536 && c < indexTokens >>> 8) c *= 2;
  return c;
}

export class CountOverlay implements OrderStats {
  // Per node (an n-gram of `depth` words, or the context of its children).
  private parent: Int32Array;
  private word: Int32Array;
  private depth: Uint8Array;
  /** The node's range of the suffix index (its occurrences there). */
  private lo: Int32Array;
  private hi: Int32Array;
  // As an entry (an n-gram whose counts changed); a node that is only on the way to one has none.
  private isEntry: Uint8Array;
  private baseCont: Int32Array;
  private dc: Int32Array;
  private dk: Int32Array;
  private nextSibling: Int32Array;
  // As a context: its changed children in the order they became entries, the change of their raw
  // counts' sum, and a stamp that changes with any of them.
  private firstChild: Int32Array;
  private lastChild: Int32Array;
  private dSum: Float64Array;
  private stamp: Float64Array;
  private nodes = 1;
  /** Entries in the order they were made. */
  private order_: Int32Array;
  private entryCount = 0;
  /** Open addressing over hash(parent, word): [parent, word, node + 1] per slot (node + 1 = 0: empty), one cache line a probe. */
  private table: Int32Array;
  /**
   * The nodes of the last two n-grams made into entries, by where their words were read: an edit
   * adds an n-gram and then its extension by one word, and the suffix of each, so most walks
   * continue one of these.
   */
  private readonly paths: Array<{ ids: ArrayLike<number> | undefined; from: number; length: number; nodes: Int32Array }>;
  private lastPath = 0;
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
    const capacity = initialCapacity(index.total);
    this.parent = new Int32Array(capacity);
    this.word = new Int32Array(capacity);
    this.depth = new Uint8Array(capacity);
    this.lo = new Int32Array(capacity);
    this.hi = new Int32Array(capacity);
    this.isEntry = new Uint8Array(capacity);
    this.baseCont = new Int32Array(capacity);
    this.dc = new Int32Array(capacity);
    this.dk = new Int32Array(capacity);
    this.nextSibling = new Int32Array(capacity).fill(-1);
    this.firstChild = new Int32Array(capacity).fill(-1);
    this.lastChild = new Int32Array(capacity).fill(-1);
    this.dSum = new Float64Array(capacity);
    this.stamp = new Float64Array(capacity);
    this.order_ = new Int32Array(capacity);
    this.table = new Int32Array(capacity * 2 * 3);
    // Fresh arrays are mapped lazily: touch every page now, or the first edits pay a page fault for
    // each one they reach.
    for (const a of [this.parent, this.word, this.depth, this.lo, this.hi, this.isEntry, this.baseCont, this.dc, this.dk, this.dSum, this.stamp, this.order_, this.table]) a.fill(0);
    this.paths = [0, 1].map(() => ({ ids: undefined, from: 0, length: 0, nodes: new Int32Array(order + 1) }));
    this.parent[0] = -1;
    this.hi[0] = index.total;
  }

  /** Number of n-grams with an entry. */
  get size(): number {
    return this.entryCount;
  }

  get isEmpty(): boolean {
    return this.entryCount === 0;
  }

  /** Bytes of its arrays (made with room for many changes, and doubled when full). */
  get bytes(): number {
    let n = this.table.byteLength;
    for (const a of [this.parent, this.word, this.depth, this.lo, this.hi, this.isEntry, this.baseCont, this.dc, this.dk, this.nextSibling, this.firstChild, this.lastChild, this.dSum, this.stamp, this.order_]) n += a.byteLength;
    return n;
  }

  /** Adds `delta` to the raw count of the n-gram ids[from..from+k). Throws if it would go negative. */
  add(ids: ArrayLike<number>, from: number, k: number, delta: number): void {
    if (delta === 0) return;
    const e = this.entry(ids, from, k);
    const base = this.hi[e] - this.lo[e];
    const before = base + this.dc[e];
    const after = before + delta;
    if (after < 0) throw new RangeError(`the count of an n-gram would become negative (${before} ${delta})`);
    this.dc[e] += delta;
    const context = this.parent[e];
    this.dSum[context] += delta;
    this.stamp[context] = ++this.version;
    if (k === 1) this.dTotal += delta;
    const appeared = before === 0 && after > 0;
    const vanished = before > 0 && after === 0;
    if (appeared) this.dLive[k]++;
    else if (vanished) this.dLive[k]--;
    if (k === this.order) this.rescore(k, before, after);
    if (k >= 2 && (appeared || vanished)) {
      const suffix = this.entry(ids, from + 1, k - 1);
      const was = this.baseCont[suffix] + this.dk[suffix];
      const step = appeared ? 1 : -1;
      this.dk[suffix] += step;
      this.stamp[this.parent[suffix]] = this.version;
      this.rescore(k - 1, was, was + step);
    }
  }

  /** The merged raw count of ids[from..from+k). */
  count(ids: ArrayLike<number>, from: number, k: number): number {
    let n = 0;
    let j = 0;
    for (; j < k; j++) {
      const c = this.child(n, ids[from + j]);
      if (c < 0) break;
      n = c;
    }
    if (j === k) return this.hi[n] - this.lo[n] + this.dc[n];
    // Not in the overlay: the index's count, narrowing on from the longest prefix that is.
    const r = this.range;
    if (n === 0) {
      this.index.find(ids, from, from + k, r);
      return r.hi - r.lo;
    }
    r.lo = this.lo[n];
    r.hi = this.hi[n];
    for (; j < k && r.lo < r.hi; j++) {
      const w = ids[from + j];
      if (w <= 0) return 0;
      this.index.narrow(r.lo, r.hi, j, w, r);
    }
    return r.hi - r.lo;
  }

  // ---- nodes (what the scorer and the memory read) ----

  /** The node of ids[from..from+k) (k = 0: the empty context), or -1 when the overlay has none. */
  node(ids: ArrayLike<number>, from: number, k: number): number {
    let n = 0;
    for (let j = 0; j < k && n >= 0; j++) n = this.child(n, ids[from + j]);
    return n;
  }

  /** The node of n-gram `n` followed by `word`, or -1. */
  child(n: number, word: number): number {
    const table = this.table;
    const mask = table.length / 3 - 1;
    for (let slot = hashPair(n, word) & mask; ; slot = (slot + 1) & mask) {
      const at = slot * 3;
      const node = table[at + 2] - 1;
      if (node < 0) return -1;
      if (table[at] === n && table[at + 1] === word) return node;
    }
  }

  /**
   * The context node of ids[from..from+k) (k may be 0) when the counts of some of its children
   * changed, else -1.
   */
  context(ids: ArrayLike<number>, from: number, k: number): number {
    const n = this.node(ids, from, k);
    return n >= 0 && this.firstChild[n] >= 0 ? n : -1;
  }

  /** Change of the raw count of n-gram node `n` (0 for -1). */
  rawChange(n: number): number {
    return n < 0 ? 0 : this.dc[n];
  }

  /** Change of the continuation count of n-gram node `n` (0 for -1). */
  contChange(n: number): number {
    return n < 0 ? 0 : this.dk[n];
  }

  /** The index's raw count of an entry. */
  baseCount(n: number): number {
    return this.hi[n] - this.lo[n];
  }

  /** The index's continuation count of an entry (0 at the top order and where the index never saw it). */
  baseContinuation(n: number): number {
    return this.baseCont[n];
  }

  /** The last word of n-gram node `n`. */
  wordOf(n: number): number {
    return this.word[n];
  }

  /** The first changed child of context node `n` (-1 when none); nextChild walks the rest. */
  firstChildOf(n: number): number {
    return this.firstChild[n];
  }

  nextChild(e: number): number {
    return this.nextSibling[e];
  }

  /** Change of the sum of context node `n`'s children's raw counts. */
  contextSum(n: number): number {
    return this.dSum[n];
  }

  /** Changes whenever a child of context node `n` changes. */
  contextStamp(n: number): number {
    return this.stamp[n];
  }

  /** Change of the raw count of word `w`. */
  wordChange(w: number): number {
    return this.rawChange(this.child(0, w));
  }

  /** Every entry, in the order they were made. */
  *entries(): Generator<number, void> {
    for (let i = 0; i < this.entryCount; i++) yield this.order_[i];
  }

  /** The words of n-gram node `n`. */
  ngram(n: number): Int32Array {
    const out = new Int32Array(this.depth[n]);
    for (let i = out.length - 1; i >= 0; i--, n = this.parent[n]) out[i] = this.word[n];
    return out;
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

  /** The entry of ids[from..from+k), made (with the nodes on the way to it) when new. */
  private entry(ids: ArrayLike<number>, from: number, k: number): number {
    let p = this.paths[this.lastPath];
    if (p.ids !== ids || p.from !== from) {
      this.lastPath ^= 1;
      p = this.paths[this.lastPath];
      if (p.ids !== ids || p.from !== from) {
        p.ids = ids;
        p.from = from;
        p.length = 0;
      }
    }
    const path = p.nodes;
    // The walk so far holds while the words read there still are those words.
    const known = Math.min(k, p.length);
    let j = 0;
    while (j < known && this.word[path[j + 1]] === ids[from + j]) j++;
    const intact = j === known;
    let n = path[j];
    for (; j < k; j++) {
      const w = ids[from + j];
      const c = this.child(n, w);
      n = c >= 0 ? c : this.makeNode(n, w);
      path[j + 1] = n;
    }
    // A walk that left the old one at some word keeps only what it made.
    p.length = intact ? Math.max(p.length, k) : k;
    if (this.isEntry[n] === 0) {
      this.isEntry[n] = 1;
      const base = this.hi[n] - this.lo[n];
      if (k < this.order && base > 0) this.baseCont[n] = k === 1 ? this.index.wordCont(this.word[n]) : this.index.cont(this.lo[n], this.hi[n], k);
      const context = this.parent[n];
      const last = this.lastChild[context];
      if (last < 0) this.firstChild[context] = n;
      else this.nextSibling[last] = n;
      this.lastChild[context] = n;
      this.order_[this.entryCount++] = n;
    }
    return n;
  }

  private makeNode(parent: number, w: number): number {
    if (this.nodes === this.parent.length) this.grow();
    const n = this.nodes++;
    const d = this.depth[parent] + 1;
    this.parent[n] = parent;
    this.word[n] = w;
    this.depth[n] = d;
    const index = this.index;
    if (d === 1) {
      this.lo[n] = index.wordLo(w);
      this.hi[n] = index.wordHi(w);
    } else if (this.lo[parent] < this.hi[parent] && w > 0) {
      const r = this.range;
      index.narrow(this.lo[parent], this.hi[parent], d - 1, w, r);
      this.lo[n] = r.lo;
      this.hi[n] = r.hi;
    }
    this.insert(n);
    return n;
  }

  private insert(n: number): void {
    const table = this.table;
    const mask = table.length / 3 - 1;
    const parent = this.parent[n];
    const w = this.word[n];
    let slot = hashPair(parent, w) & mask;
    while (table[slot * 3 + 2] !== 0) slot = (slot + 1) & mask;
    table[slot * 3] = parent;
    table[slot * 3 + 1] = w;
    table[slot * 3 + 2] = n + 1;
  }

  /** Whether the node arrays are three quarters full: growing them now, between edits, spares the edit that would fill them. */
  get wantsRoom(): boolean {
    return this.nodes * 4 >= this.parent.length * 3;
  }

  /** Grows the node arrays (and rehashes the table) if they are three quarters full. */
  makeRoom(): void {
    if (this.wantsRoom) this.grow();
  }

  private grow(): void {
    const c = this.parent.length * 2;
    this.parent = grown(this.parent, c, 0);
    this.word = grown(this.word, c, 0);
    this.depth = grown(this.depth, c, 0);
    this.lo = grown(this.lo, c, 0);
    this.hi = grown(this.hi, c, 0);
    this.isEntry = grown(this.isEntry, c, 0);
    this.baseCont = grown(this.baseCont, c, 0);
    this.dc = grown(this.dc, c, 0);
    this.dk = grown(this.dk, c, 0);
    this.nextSibling = grown(this.nextSibling, c, -1);
    this.firstChild = grown(this.firstChild, c, -1);
    this.lastChild = grown(this.lastChild, c, -1);
    this.dSum = grown(this.dSum, c, 0);
    this.stamp = grown(this.stamp, c, 0);
    this.order_ = grown(this.order_, c, 0);
    this.table = new Int32Array(c * 2 * 3);
    for (let n = 1; n < this.nodes; n++) this.insert(n);
  }
}

function hashPair(parent: number, word: number): number {
  let h = Math.imul(parent, 0x9e3779b1) ^ Math.imul(word, 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 13);
}

function grown<T extends Int32Array | Uint8Array | Float64Array>(a: T, capacity: number, fill: number): T {
  const out = new (a.constructor as new (n: number) => T)(capacity);
  out.set(a);
  if (fill !== 0) out.fill(fill, a.length);
  return out;
}
