// The count store: a trie of n-grams in typed arrays, without per-n-gram objects. Node = n-gram;
// its parent is the n-gram without its last word (the context), so a node's children are the
// words seen after it. Each node keeps its raw count (exact: what documents and deltas change) and
// its continuation count (how many distinct words precede it; derived, used by Kneser-Ney for the
// lower orders). Counts of counts per order are kept incrementally so discounts need no scan.
//
// Layout, for cache locality on the hot path: one interleaved record per node [parent, word, count,
// cont] and an open-addressing index whose slots hold the node id plus a 5-bit hash fingerprint, so
// a probe rarely touches a record that does not match. Parents are created before their children,
// so parent id < child id, and children are prepended, so nextSibling < id: snapshots rely on it.
import type { ContextSummary } from './levelScorer';

export const ROOT = 0;
const NONE = -1;
const EMPTY = -1;
/** Counts-of-counts kept per order: exact numbers of n-grams with score count 1, 2, 3 and 4. */
const CC = 5;
const STRIDE = 4;
const ID_BITS = 26;
const ID_MASK = (1 << ID_BITS) - 1;
/** The most nodes one store can hold (ids share the index slot with a fingerprint). */
export const MAX_NODES = ID_MASK;
export const MAX_COUNT = 0x7fffffff;

function hashPair(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b ^ 0x7f4a7c15, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h;
}

export class NgramStore {
  /** [parent, word, count, cont] per node. */
  rec: Int32Array;
  firstChild: Int32Array;
  nextSibling: Int32Array;
  depth: Uint8Array;
  private index: Int32Array;
  private mask: number;
  size = 0;
  /** Live (count > 0) n-grams per order (index 1..order). */
  readonly liveByOrder: number[];
  /** Score counts (raw at the top order, continuation below): sum, n with score > 0, counts of counts. */
  readonly scoreSum: number[];
  readonly scoreLive: number[];
  private readonly countOfCounts: number[];
  /** Nodes that count nothing (raw and continuation zero), kept until the next compaction. */
  dead = 0;
  /** Bumped on every change, so readers can cache derived values. */
  version = 0;
  /**
   * Summaries of contexts with many children (sums, counts of counts, top children), computed on
   * demand by readers and dropped here as soon as a child's count changes.
   */
  readonly summaries = new Map<number, ContextSummary>();

  constructor(
    readonly order: number,
    initialCapacity = 1024,
  ) {
    const cap = Math.max(16, initialCapacity);
    this.rec = new Int32Array(cap * STRIDE);
    this.firstChild = new Int32Array(cap).fill(NONE);
    this.nextSibling = new Int32Array(cap).fill(NONE);
    this.depth = new Uint8Array(cap);
    const slots = slotsFor(cap);
    this.index = new Int32Array(slots).fill(EMPTY);
    this.mask = slots - 1;
    this.liveByOrder = new Array(order + 1).fill(0);
    this.scoreSum = new Array(order + 1).fill(0);
    this.scoreLive = new Array(order + 1).fill(0);
    this.countOfCounts = new Array((order + 1) * CC).fill(0);
    this.insert(NONE, NONE, 0); // the root: the empty context
  }

  get capacity(): number {
    return this.depth.length;
  }

  /**
   * Empties the store but keeps its arrays, so refilling it with about as much as before allocates
   * nothing (a recency cache is emptied and refilled whenever the cursor jumps back).
   */
  clear(): void {
    this.rec.fill(0, 0, this.size * STRIDE);
    this.firstChild.fill(NONE, 0, this.size);
    this.index.fill(EMPTY);
    this.size = 0;
    this.dead = 0;
    this.liveByOrder.fill(0);
    this.scoreSum.fill(0);
    this.scoreLive.fill(0);
    this.countOfCounts.fill(0);
    this.summaries.clear();
    this.insert(NONE, NONE, 0); // the root; bumps the version, so readers' caches go stale
  }

  parentOf(node: number): number {
    return this.rec[node * STRIDE];
  }
  wordOf(node: number): number {
    return this.rec[node * STRIDE + 1];
  }
  countOf(node: number): number {
    return this.rec[node * STRIDE + 2];
  }
  contOf(node: number): number {
    return this.rec[node * STRIDE + 3];
  }
  /** Sum of all unigram counts: the number of tokens counted. */
  get total(): number {
    return this.rec[ROOT * STRIDE + 2];
  }

  child(parent: number, word: number): number {
    const h = hashPair(parent, word);
    const fp = (h >>> 27) << ID_BITS;
    const { index, rec, mask } = this;
    let slot = h & mask;
    for (;;) {
      const v = index[slot];
      if (v === EMPTY) return NONE;
      if ((v & ~ID_MASK) === fp) {
        const id = v & ID_MASK;
        const r = id * STRIDE;
        if (rec[r] === parent && rec[r + 1] === word) return id;
      }
      slot = (slot + 1) & mask;
    }
  }

  /** The child node, created (counting nothing yet) when absent: one probe either way. */
  childOrCreate(parent: number, word: number): number {
    if (this.size === this.capacity) this.grow(Math.ceil(this.capacity * 1.5));
    if ((this.size + 1) * 5 > this.index.length * 4) this.rehash(this.index.length * 2);
    const h = hashPair(parent, word);
    const fp = (h >>> 27) << ID_BITS;
    const { index, rec, mask } = this;
    // A context without children cannot hold this child: skip comparing records.
    const fresh = this.firstChild[parent] === NONE;
    let slot = h & mask;
    for (;;) {
      const v = index[slot];
      if (v === EMPTY) break;
      if (!fresh && (v & ~ID_MASK) === fp) {
        const id = v & ID_MASK;
        const r = id * STRIDE;
        if (rec[r] === parent && rec[r + 1] === word) return id;
      }
      slot = (slot + 1) & mask;
    }
    const id = this.size++;
    const r = id * STRIDE;
    rec[r] = parent;
    rec[r + 1] = word;
    this.depth[id] = this.depth[parent] + 1;
    index[slot] = id | fp;
    this.nextSibling[id] = this.firstChild[parent];
    this.firstChild[parent] = id;
    this.dead++; // counts nothing yet
    this.version++;
    return id;
  }

  private insert(parent: number, word: number, depth: number): number {
    if (this.size === this.capacity) this.grow(Math.ceil(this.capacity * 1.5));
    if ((this.size + 1) * 5 > this.index.length * 4) this.rehash(this.index.length * 2);
    const id = this.size++;
    const r = id * STRIDE;
    this.rec[r] = parent;
    this.rec[r + 1] = word;
    this.depth[id] = depth;
    this.place(id);
    this.version++;
    return id;
  }

  private place(id: number): void {
    placeNode(this.index, this.mask, this.rec, id);
  }

  private rehash(slots: number): void {
    this.index = new Int32Array(slots).fill(EMPTY);
    this.mask = slots - 1;
    for (let id = 0; id < this.size; id++) this.place(id);
  }

  private grow(cap: number): void {
    if (cap > MAX_NODES) {
      cap = MAX_NODES;
      if (this.size >= cap) throw new RangeError('the memory is full (too many n-grams); prune it or lower the order');
    }
    const rec = new Int32Array(cap * STRIDE);
    rec.set(this.rec);
    this.rec = rec;
    const fc = new Int32Array(cap).fill(NONE);
    fc.set(this.firstChild);
    this.firstChild = fc;
    const ns = new Int32Array(cap).fill(NONE);
    ns.set(this.nextSibling);
    this.nextSibling = ns;
    const depth = new Uint8Array(cap);
    depth.set(this.depth);
    this.depth = depth;
  }

  /**
   * Makes room for `more` new nodes in one go (node arrays and index sized for the load factor),
   * so adding them never grows or rehashes the store: one pause now instead of a long one in the
   * middle of some later small change. Never shrinks; capped at MAX_NODES.
   */
  reserve(more: number): void {
    for (const step of this.reserveSteps(more, Infinity)) step();
  }

  /**
   * reserve() as steps that each write at most about `chunk` array elements, for a caller that
   * must not block for long (touching fresh memory costs ~0.4 ms per MB): run them in order;
   * other changes may run between them. The new arrays are filled aside and the last step copies
   * the nodes in and swaps them in (work in proportion to the nodes held: little on a new memory).
   */
  reserveSteps(more: number, chunk = 1 << 22, room?: Room): Array<() => void> {
    if (!Number.isFinite(more) || more < 0) throw new RangeError(`cannot reserve room for ${more} n-grams`);
    const cap = room?.rec ? room.rec.length / STRIDE : Math.min(MAX_NODES, this.size + Math.ceil(more));
    const slots = room?.index ? room.index.length : slotsFor(cap);
    const steps: Array<() => void> = [];
    let rec = room?.rec;
    let depth = room?.depth;
    let firstChild = room?.firstChild;
    let nextSibling = room?.nextSibling;
    let index = room?.index;
    // Each array is allocated in a step of its own and written (so its pages are mapped: zeros
    // too) chunk by chunk, so no step pays for a whole array.
    const fillSteps = (make: () => Int32Array | Uint8Array, length: number, value: number): void => {
      steps.push(() => make());
      for (let from = 0; from < length; from += chunk) {
        const to = Math.min(length, from + chunk);
        steps.push(() => make().fill(value, from, to));
      }
    };
    if (room) {
      // Made and filled elsewhere (another thread takes the page faults of fresh memory).
    } else if (cap > this.capacity) {
      fillSteps(() => (rec ??= new Int32Array(cap * STRIDE)), cap * STRIDE, 0);
      fillSteps(() => (depth ??= new Uint8Array(cap)), cap, 0);
      fillSteps(() => (firstChild ??= new Int32Array(cap)), cap, NONE);
      fillSteps(() => (nextSibling ??= new Int32Array(cap)), cap, NONE);
    }
    const newIndex = cap * 5 > this.index.length * 4;
    if (newIndex && !room) fillSteps(() => (index ??= new Int32Array(slots)), slots, EMPTY);
    // The held nodes are copied (and placed in the new index) in steps too. The last step swaps
    // the new arrays in if the store did not change since the copy began (the caller ran the steps
    // back to back), and otherwise copies everything again in one go.
    const grows = cap > this.capacity;
    let held = -1;
    let versionAtCopy = -1;
    // Copies only what the new arrays can hold: a store that outgrew them meanwhile keeps its own.
    const copyNodes = (from: number, to: number): void => {
      if (rec && depth && firstChild && nextSibling && grows && to <= cap) {
        rec.set(this.rec.subarray(from * STRIDE, to * STRIDE), from * STRIDE);
        depth.set(this.depth.subarray(from, to), from);
        firstChild.set(this.firstChild.subarray(from, to), from);
        nextSibling.set(this.nextSibling.subarray(from, to), from);
      }
      if (index && newIndex && (to + 1) * 5 <= slots * 4) for (let id = from; id < to; id++) placeNode(index, slots - 1, this.rec, id);
    };
    const planned = this.size;
    // Placing a node in the index is a random write: a sixteenth of the chunk per step.
    const nodesPerStep = Math.max(1024, Math.floor(chunk / 16));
    for (let from = 0; from < planned; from += nodesPerStep) {
      const to = Math.min(planned, from + nodesPerStep);
      steps.push(() => {
        if (held < 0) {
          held = this.size;
          versionAtCopy = this.version;
        }
        copyNodes(from, Math.min(to, held));
      });
    }
    steps.push(() => {
      const n = this.size;
      if (held >= 0 && this.version === versionAtCopy && n >= held) {
        copyNodes(Math.min(planned, held), n); // nodes added after these steps were planned
      } else {
        if (index && newIndex) index.fill(EMPTY);
        copyNodes(0, n);
      }
      if (rec && depth && firstChild && nextSibling && grows && n <= cap) {
        this.rec = rec;
        this.depth = depth;
        this.firstChild = firstChild;
        this.nextSibling = nextSibling;
      }
      if (index && slots > this.index.length && (n + 1) * 5 <= slots * 4) {
        this.index = index;
        this.mask = slots - 1;
      }
    });
    return steps;
  }

  /**
   * The fresh arrays reserveSteps(more) would make, with the value each starts filled with: a
   * caller may make and fill them on another thread (as SharedArrayBuffers) and pass them in.
   */
  roomFor(more: number): RoomPlan[] {
    const cap = Math.min(MAX_NODES, this.size + Math.ceil(Math.max(0, more)));
    const plan: RoomPlan[] = [];
    if (cap > this.capacity) {
      plan.push({ name: 'rec', length: cap * STRIDE, bytesPerElement: 4, value: 0 });
      plan.push({ name: 'depth', length: cap, bytesPerElement: 1, value: 0 });
      plan.push({ name: 'firstChild', length: cap, bytesPerElement: 4, value: NONE });
      plan.push({ name: 'nextSibling', length: cap, bytesPerElement: 4, value: NONE });
    }
    if (cap * 5 > this.index.length * 4) plan.push({ name: 'index', length: slotsFor(cap), bytesPerElement: 4, value: EMPTY });
    return plan;
  }

  /** The node of an n-gram given as word ids, or -1. */
  find(words: ArrayLike<number>, from = 0, to = words.length): number {
    let node = ROOT;
    for (let i = from; i < to && node >= 0; i++) node = this.child(node, words[i]);
    return node;
  }

  findOrCreate(words: ArrayLike<number>, from = 0, to = words.length): number {
    let node = ROOT;
    for (let i = from; i < to; i++) node = this.childOrCreate(node, words[i]);
    return node;
  }

  /** The score count Kneser-Ney uses for a node: raw at the top order, continuation below. */
  scoreCount(node: number): number {
    return this.rec[node * STRIDE + (this.depth[node] === this.order ? 2 : 3)];
  }

  /**
   * Changes a node's raw count by `delta` (the caller has checked it stays within 0..MAX_COUNT).
   * `suffix` is the node of the same n-gram without its first word (-1 for unigrams): its
   * continuation count changes when this n-gram appears or disappears.
   */
  adjust(node: number, suffix: number, delta: number): void {
    const rec = this.rec;
    const r = node * STRIDE;
    const old = rec[r + 2];
    const next = old + delta;
    rec[r + 2] = next;
    this.version++;
    const d = this.depth[node];
    if (d === 1) rec[ROOT * STRIDE + 2] += delta;
    if (d === this.order) this.rescore(d, old, next);
    // A parent's summaries: by its node (modified Kneser-Ney) and by -1 - node (raw counts).
    if (this.summaries.size !== 0) {
      this.summaries.delete(rec[r]);
      this.summaries.delete(-1 - rec[r]);
    }
    if ((old === 0) === (next === 0)) return;
    if (rec[r + 3] === 0) this.dead += next === 0 ? 1 : -1;
    if (next === 0) this.liveByOrder[d]--;
    else this.liveByOrder[d]++;
    if (suffix >= 0) {
      const s = suffix * STRIDE;
      const c = rec[s + 3];
      const nc = next === 0 ? c - 1 : c + 1;
      rec[s + 3] = nc;
      if (rec[s + 2] === 0 && (c === 0) !== (nc === 0)) this.dead += nc === 0 ? 1 : -1;
      this.rescore(d - 1, c, nc);
      if (this.summaries.size !== 0) {
        this.summaries.delete(rec[s]);
        this.summaries.delete(-1 - rec[s]);
      }
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
  countsOfCounts(d: number, c: number): number {
    return this.countOfCounts[d * CC + c];
  }

  get liveNgrams(): number {
    let n = 0;
    for (let d = 1; d <= this.order; d++) n += this.liveByOrder[d];
    return n;
  }

  get bytes(): number {
    return this.rec.byteLength + this.firstChild.byteLength + this.nextSibling.byteLength + this.depth.byteLength + this.index.byteLength;
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
      if (this.countOf(id) > 0 || this.contOf(id) > 0) keep[id] = 1;
      if (keep[id]) keep[this.parentOf(id)] = 1;
    }
    const remap = new Int32Array(n).fill(NONE);
    let kept = 0;
    for (let id = 0; id < n; id++) if (keep[id]) remap[id] = kept++;
    const rec = new Int32Array(Math.max(16, Math.ceil(kept * 1.25)) * STRIDE);
    for (let id = 0; id < n; id++) {
      if (!keep[id]) continue;
      const nid = remap[id];
      rec[nid * STRIDE] = id === ROOT ? NONE : remap[this.parentOf(id)];
      rec[nid * STRIDE + 1] = this.wordOf(id);
      rec[nid * STRIDE + 2] = this.countOf(id);
      rec[nid * STRIDE + 3] = this.contOf(id);
    }
    const depth = new Uint8Array(rec.length / STRIDE);
    for (let id = 0; id < n; id++) if (keep[id]) depth[remap[id]] = this.depth[id];
    this.load(rec, depth, kept);
    this.summaries.clear();
    this.dead = 0;
    this.version++;
  }

  /** Installs compacted node records (keys unique by construction): rebuilds index and child lists. */
  private load(rec: Int32Array, depth: Uint8Array, size: number): void {
    const cap = depth.length;
    this.rec = rec;
    this.depth = depth;
    this.size = size;
    this.summaries.clear();
    this.firstChild = new Int32Array(cap).fill(NONE);
    this.nextSibling = new Int32Array(cap).fill(NONE);
    for (let id = 1; id < size; id++) {
      const p = rec[id * STRIDE];
      this.nextSibling[id] = this.firstChild[p];
      this.firstChild[p] = id;
    }
    const slots = slotsFor(cap);
    this.index = new Int32Array(slots).fill(EMPTY);
    this.mask = slots - 1;
    for (let id = 0; id < size; id++) this.place(id);
  }

  /** The raw arrays and derived numbers a snapshot saves (trimmed to the live size). */
  exportState(): StoreState {
    // Leave room to grow so the first edits after a reload never pay for a full rehash.
    if (this.size * 5 > this.index.length * 3) this.rehash(this.index.length * 2);
    const n = this.size;
    return {
      size: n,
      rec: this.rec.subarray(0, n * STRIDE),
      depth: this.depth.subarray(0, n),
      firstChild: this.firstChild.subarray(0, n),
      nextSibling: this.nextSibling.subarray(0, n),
      index: this.indexToSave(),
      derived: this.derivedNumbers(),
    };
  }

  /**
   * Views of the live records and index, changing nothing (unlike exportState, which may rehash):
   * what a copy for saving elsewhere reads. Valid until the store next changes.
   */
  liveState(): { size: number; rec: Int32Array; index: Int32Array; derived: number[] } {
    return { size: this.size, rec: this.rec.subarray(0, this.size * STRIDE), index: this.index, derived: this.derivedNumbers() };
  }

  private derivedNumbers(): number[] {
    return [this.dead, ...this.liveByOrder, ...this.scoreSum, ...this.scoreLive, ...this.countOfCounts];
  }

  /**
   * The index as saved. A room reserved but mostly unused would bloat the file with empty slots:
   * then a copy sized as growth alone would have sized it is saved instead (the live index stays).
   */
  private indexToSave(): Int32Array {
    const grown = Math.max(slotsFor(1024), savedSlotsFor(this.size));
    if (this.index.length <= grown * 2) return this.index;
    const index = new Int32Array(grown).fill(EMPTY);
    for (let id = 0; id < this.size; id++) placeNode(index, grown - 1, this.rec, id);
    return index;
  }

  /** Whether exportState would save this state as it is: no dead nodes and an index of the saved size. */
  static savesAsIs(size: number, dead: number, slots: number): boolean {
    return dead === 0 && size * 5 <= slots * 3 && slots <= Math.max(slotsFor(1024), savedSlotsFor(size)) * 2;
  }

  /** How many derived numbers exportState writes for this order. */
  static derivedLength(order: number): number {
    return 1 + 3 * (order + 1) + (order + 1) * CC;
  }

  /** The capacity a loaded store of `size` nodes gets: room for edits without growing at once. */
  static capacityToLoad(size: number): number {
    return Math.max(16, Math.ceil(size * 1.125) + 1024);
  }

  /**
   * Installs a validated saved state, taking ownership of its arrays (which may be longer than
   * `size`: the spare room to grow). The index must hold node ids below `size` (checked by the
   * snapshot reader).
   */
  restore(state: StoreState): void {
    const n = state.size;
    this.rec = state.rec;
    this.depth = state.depth;
    this.firstChild = state.firstChild;
    this.nextSibling = state.nextSibling;
    this.index = state.index;
    this.mask = this.index.length - 1;
    this.size = n;
    const d = state.derived;
    const o = this.order + 1;
    this.dead = d[0];
    for (let i = 0; i < o; i++) {
      this.liveByOrder[i] = d[1 + i];
      this.scoreSum[i] = d[1 + o + i];
      this.scoreLive[i] = d[1 + 2 * o + i];
    }
    for (let i = 0; i < o * CC; i++) this.countOfCounts[i] = d[1 + 3 * o + i];
    this.summaries.clear();
    this.version++;
  }

  /** Recomputes every derived number (live counts, counts of counts) from the records. */
  recomputeDerived(): void {
    this.liveByOrder.fill(0);
    this.scoreSum.fill(0);
    this.scoreLive.fill(0);
    this.countOfCounts.fill(0);
    this.dead = 0;
    let rootCount = 0;
    for (let id = 1; id < this.size; id++) {
      const d = this.depth[id];
      if (this.countOf(id) > 0) this.liveByOrder[d]++;
      else if (this.contOf(id) === 0) this.dead++;
      if (d === 1) rootCount += this.countOf(id);
      this.rescore(d, 0, this.scoreCount(id));
    }
    this.rec[ROOT * STRIDE + 2] = rootCount;
    this.version++;
  }
}

/** Fresh arrays for a reservation, made and filled as roomFor() said. */
export interface Room {
  rec?: Int32Array;
  depth?: Uint8Array;
  firstChild?: Int32Array;
  nextSibling?: Int32Array;
  index?: Int32Array;
}

export interface RoomPlan {
  name: keyof Room;
  length: number;
  bytesPerElement: 1 | 4;
  value: number;
}

export interface StoreState {
  size: number;
  rec: Int32Array;
  depth: Uint8Array;
  firstChild: Int32Array;
  nextSibling: Int32Array;
  index: Int32Array;
  derived: number[];
}

/** The bits of an index slot value that hold the node id (the rest is a hash fingerprint). */
export const SLOT_ID_MASK = ID_MASK;

/** Puts node `id` in the first free slot of its probe sequence (linear probing). */
function placeNode(index: Int32Array, mask: number, rec: Int32Array, id: number): void {
  const h = hashPair(rec[id * STRIDE], rec[id * STRIDE + 1]);
  let slot = h & mask;
  while (index[slot] !== EMPTY) slot = (slot + 1) & mask;
  index[slot] = id | ((h >>> 27) << ID_BITS);
}

function slotsFor(capacity: number): number {
  let slots = 32;
  while (slots * 4 < capacity * 5) slots *= 2;
  return slots;
}

/** The smallest index exportState keeps for `size` nodes: at most 60% full. */
function savedSlotsFor(size: number): number {
  let slots = 32;
  while (slots * 3 < size * 5) slots *= 2;
  return slots;
}
