// The count store: a trie of n-grams in typed arrays. Node = n-gram; its parent is the n-gram
// without its last word (the context), so a node's children are the words seen after it.
// Per node: raw count (exact, what deltas change) and continuation count (how many distinct words
// precede it, derived, used by Kneser-Ney for lower orders). Counts of counts per order are kept
// incrementally so discounts never need a scan. Parents are always created before their children,
// so parent id < child id, and children are prepended, so nextSibling < id: the snapshot relies on it.
import { grow, PairTable } from './pairTable';

export const ROOT = 0;
const NONE = -1;
/** Counts-of-counts kept per order: exact numbers of n-grams with score count 1, 2, 3 and 4. */
const CC = 5;

export class NgramStore {
  table: PairTable;
  count: Uint32Array;
  cont: Uint32Array;
  firstChild: Int32Array;
  nextSibling: Int32Array;
  depth: Uint8Array;
  /** Live (count > 0) n-grams per order (index 1..order). */
  readonly liveByOrder: number[];
  /** Score counts (raw at the top order, continuation below): sum, n with score > 0, counts of counts. */
  readonly scoreSum: number[];
  readonly scoreLive: number[];
  readonly countOfCounts: number[];
  /** Nodes that count nothing (raw and continuation zero), kept until the next compaction. */
  dead = 0;
  /** Bumped on every change, so readers can cache derived values. */
  version = 0;

  constructor(
    readonly order: number,
    initialCapacity = 1024,
  ) {
    this.table = new PairTable(initialCapacity);
    const cap = this.table.capacity;
    this.count = new Uint32Array(cap);
    this.cont = new Uint32Array(cap);
    this.firstChild = new Int32Array(cap).fill(NONE);
    this.nextSibling = new Int32Array(cap).fill(NONE);
    this.depth = new Uint8Array(cap);
    this.table.onGrow = (c) => this.growValues(c);
    this.liveByOrder = new Array(order + 1).fill(0);
    this.scoreSum = new Array(order + 1).fill(0);
    this.scoreLive = new Array(order + 1).fill(0);
    this.countOfCounts = new Array((order + 1) * CC).fill(0);
    const root = this.table.insert(NONE, NONE);
    if (root !== ROOT) throw new Error('root must be node 0');
  }

  private growValues(cap: number): void {
    this.count = grow(this.count, cap);
    this.cont = grow(this.cont, cap);
    const oldLen = this.firstChild.length;
    this.firstChild = grow(this.firstChild, cap);
    this.firstChild.fill(NONE, oldLen);
    this.nextSibling = grow(this.nextSibling, cap);
    this.nextSibling.fill(NONE, oldLen);
    this.depth = grow(this.depth, cap);
  }

  get size(): number {
    return this.table.size;
  }

  parentOf(node: number): number {
    return this.table.keyA[node];
  }

  wordOf(node: number): number {
    return this.table.keyB[node];
  }

  child(parent: number, word: number): number {
    return this.table.find(parent, word);
  }

  childOrCreate(parent: number, word: number): number {
    const found = this.table.find(parent, word);
    if (found >= 0) return found;
    const id = this.table.insert(parent, word);
    this.depth[id] = this.depth[parent] + 1;
    this.nextSibling[id] = this.firstChild[parent];
    this.firstChild[parent] = id;
    this.dead++; // counts nothing yet
    return id;
  }

  /** The node of an n-gram given as word ids, or -1. */
  find(words: ArrayLike<number>, from = 0, to = words.length): number {
    let node = ROOT;
    for (let i = from; i < to && node >= 0; i++) node = this.table.find(node, words[i]);
    return node;
  }

  findOrCreate(words: ArrayLike<number>, from = 0, to = words.length): number {
    let node = ROOT;
    for (let i = from; i < to; i++) node = this.childOrCreate(node, words[i]);
    return node;
  }

  /** The score count Kneser-Ney uses for a node: raw at the top order, continuation below. */
  scoreCount(node: number): number {
    return this.depth[node] === this.order ? this.count[node] : this.cont[node];
  }

  /**
   * Changes a node's raw count by `delta` (the caller has checked it stays >= 0). `suffix` is the
   * node of the same n-gram without its first word (-1 for unigrams): its continuation count
   * changes when this n-gram appears or disappears.
   */
  adjust(node: number, suffix: number, delta: number): void {
    const old = this.count[node];
    const next = old + delta;
    this.count[node] = next;
    this.version++;
    const d = this.depth[node];
    if (d === 1) this.count[ROOT] += delta;
    if (d === this.order) this.rescore(d, old, next);
    if ((old === 0) === (next === 0)) return;
    if (this.cont[node] === 0) this.dead += next === 0 ? 1 : -1;
    if (next === 0) this.liveByOrder[d]--;
    else this.liveByOrder[d]++;
    if (suffix >= 0) {
      const c = this.cont[suffix];
      const nc = next === 0 ? c - 1 : c + 1;
      this.cont[suffix] = nc;
      if (this.count[suffix] === 0 && (c === 0) !== (nc === 0)) this.dead += nc === 0 ? 1 : -1;
      this.rescore(d - 1, c, nc);
    }
  }

  private rescore(d: number, old: number, next: number): void {
    if (old === next) return;
    const base = d * CC;
    if (old > 0 && old < CC) this.countOfCounts[base + old]--;
    if (next > 0 && next < CC) this.countOfCounts[base + next]++;
    this.scoreSum[d] += next - old;
    if (old === 0) this.scoreLive[d]++;
    else if (next === 0) this.scoreLive[d]--;
  }

  /** Number of n-grams of order `d` whose score count is exactly `c` (1..4). */
  countOf(d: number, c: number): number {
    return this.countOfCounts[d * CC + c];
  }

  get liveNgrams(): number {
    let n = 0;
    for (let d = 1; d <= this.order; d++) n += this.liveByOrder[d];
    return n;
  }

  get bytes(): number {
    return (
      this.table.bytes +
      this.count.byteLength +
      this.cont.byteLength +
      this.firstChild.byteLength +
      this.nextSibling.byteLength +
      this.depth.byteLength
    );
  }

  /** Recomputes every derived number (live counts, counts of counts) from the raw arrays. */
  recomputeDerived(): void {
    this.liveByOrder.fill(0);
    this.scoreSum.fill(0);
    this.scoreLive.fill(0);
    this.countOfCounts.fill(0);
    this.dead = 0;
    let rootCount = 0;
    for (let id = 1; id < this.size; id++) {
      const d = this.depth[id];
      if (this.count[id] > 0) this.liveByOrder[d]++;
      else if (this.cont[id] === 0) this.dead++;
      if (d === 1) rootCount += this.count[id];
      this.rescore(d, 0, this.scoreCount(id));
    }
    this.count[ROOT] = rootCount;
    this.version++;
  }

  /** Worth compacting: many nodes count nothing. */
  get wantsCompaction(): boolean {
    return this.dead > 1024 && this.dead * 3 > this.size;
  }

  /**
   * Drops nodes that count nothing and have no counting descendants, renumbering the rest in the
   * same relative order (so parent < child and nextSibling < id still hold).
   */
  compact(): void {
    const n = this.size;
    const keep = new Uint8Array(n);
    keep[ROOT] = 1;
    for (let id = n - 1; id > 0; id--) {
      if (this.count[id] > 0 || this.cont[id] > 0) keep[id] = 1;
      if (keep[id]) keep[this.parentOf(id)] = 1;
    }
    const remap = new Int32Array(n).fill(NONE);
    let kept = 0;
    for (let id = 0; id < n; id++) if (keep[id]) remap[id] = kept++;
    const table = new PairTable(Math.max(1024, Math.ceil(kept * 1.25)));
    const cap = table.capacity;
    const count = new Uint32Array(cap);
    const cont = new Uint32Array(cap);
    const firstChild = new Int32Array(cap).fill(NONE);
    const nextSibling = new Int32Array(cap).fill(NONE);
    const depth = new Uint8Array(cap);
    table.insert(NONE, NONE);
    for (let id = 1; id < n; id++) {
      if (!keep[id]) continue;
      const parent = remap[this.parentOf(id)];
      const nid = table.insert(parent, this.wordOf(id));
      count[nid] = this.count[id];
      cont[nid] = this.cont[id];
      depth[nid] = this.depth[id];
      nextSibling[nid] = firstChild[parent];
      firstChild[parent] = nid;
    }
    count[ROOT] = this.count[ROOT];
    this.replaceArrays(table, count, cont, firstChild, nextSibling, depth);
    this.dead = 0;
    this.version++;
  }

  /** Installs arrays (from compaction or a snapshot); the caller recomputes or keeps derived values. */
  replaceArrays(
    table: PairTable,
    count: Uint32Array,
    cont: Uint32Array,
    firstChild: Int32Array,
    nextSibling: Int32Array,
    depth: Uint8Array,
  ): void {
    this.table = table;
    table.onGrow = (c) => this.growValues(c);
    this.count = count;
    this.cont = cont;
    this.firstChild = firstChild;
    this.nextSibling = nextSibling;
    this.depth = depth;
  }
}
