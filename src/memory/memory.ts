// The memory: documents' exact contributions to an n-gram count store, plus applied deltas.
// Every change is exact: setting a document again replaces its contribution (only the n-grams
// around the edited region are touched), removing it restores the counts bit for bit.
import { MAX_COUNT, NgramStore, ROOT, type Room, type RoomPlan } from './ngramStore';
import { SpacingTable, type SpacingVotes } from './spacing';
import { tokenizeWithSpacing } from './tokenizer';
import { decodeIds, encodeIds } from './varint';
import { runSteps } from './steps';
import { HOLE, Vocabulary } from './vocabulary';
import { packDocuments, readSnapshot, writeSnapshot, type Snapshot, type SnapshotDocument } from './snapshotCodec';
import { bulkFromBatch, hasDuplicates, netDuplicates, type BulkDeltaBatch } from './bulkDelta';
import type { NextTokenScorer, Smoothing } from './levelScorer';
import { Scorer } from './scorer';
import { NEWLINE, type DeltaBatch, type MemoryStats, type NgramDelta, type WordCount } from './types';

export interface MemoryOptions {
  /** Longest n-gram counted (default 8). */
  order?: number;
}

export interface DeltaOptions {
  /** Return the net n-gram changes as a DeltaBatch (costs time; off by default). */
  collectDelta?: boolean;
}

export const DEFAULT_ORDER = 8;
export const MAX_ORDER = 12;

/** A stored document: its word ids as varints and, when known, which tokens had a space before. */
interface DocRecord {
  ids: Uint8Array;
  length: number;
  spacing?: Uint8Array;
}

export class Memory {
  readonly order: number;
  /** @internal The engine's own structures, read by the predictor and codecs. */
  vocab!: Vocabulary;
  /** @internal */
  store!: NgramStore;
  /** @internal */
  spacing!: SpacingTable;
  /** @internal */
  newlineId!: number;
  private docs = new Map<string, DocRecord>();
  private changes = 0;
  // Scratch chains of trie nodes for n-grams ending at the previous and current position.
  private prevChain: Int32Array;
  private curChain: Int32Array;

  constructor(options: MemoryOptions = {}) {
    const order = options.order ?? DEFAULT_ORDER;
    if (!Number.isInteger(order) || order < 1 || order > MAX_ORDER) {
      throw new RangeError(`order must be an integer from 1 to ${MAX_ORDER}, got ${order}`);
    }
    this.order = order;
    this.prevChain = new Int32Array(order + 1);
    this.curChain = new Int32Array(order + 1);
    this.reset();
  }

  private reset(): void {
    this.changes++;
    this.vocab = new Vocabulary();
    this.newlineId = this.vocab.intern(NEWLINE);
    this.store = new NgramStore(this.order);
    this.spacing = new SpacingTable(this.vocab);
    this.docs = new Map();
  }

  /** Replaces the contribution of document `id` with that of `text`. */
  setDocument(id: string, text: string, opts?: DeltaOptions): DeltaBatch {
    const { tokens, spaced } = tokenizeWithSpacing(text);
    const bits = new Uint8Array((tokens.length + 7) >> 3);
    for (let i = 0; i < spaced.length; i++) if (spaced[i]) bits[i >> 3] |= 1 << (i & 7);
    return this.setIds(id, this.intern(tokens), bits, opts);
  }

  /** Like setDocument for an already tokenized text (no spacing is learned from it). */
  setDocumentTokens(id: string, tokens: string[], opts?: DeltaOptions): DeltaBatch {
    for (const t of tokens) {
      if (typeof t !== 'string' || t.length === 0) throw new RangeError('tokens must be non-empty strings');
    }
    return this.setIds(id, this.intern(tokens), undefined, opts);
  }

  removeDocument(id: string, opts?: DeltaOptions): DeltaBatch {
    this.changes++;
    const old = this.docs.get(id);
    if (!old) return { entries: [] };
    const ids = this.idsOf(old);
    const collector = opts?.collectDelta ? new Map<number, number>() : undefined;
    this.applyRange(ids, 0, ids.length, ids.length, -1, collector);
    if (old.spacing) this.spacing.apply(ids, old.spacing, 0, ids.length, -1, this.newlineId);
    this.docs.delete(id);
    return this.finish(collector);
  }

  renameDocument(oldId: string, newId: string): void {
    this.changes++;
    if (oldId === newId) return;
    const rec = this.docs.get(oldId);
    if (!rec) return;
    this.removeDocument(newId);
    this.docs.delete(oldId);
    this.docs.set(newId, rec);
  }

  hasDocument(id: string): boolean {
    return this.docs.has(id);
  }

  documentIds(): string[] {
    return [...this.docs.keys()];
  }

  /** The tokens a stored document contributes (forgotten words read as ''). */
  documentTokens(id: string): string[] | undefined {
    const rec = this.docs.get(id);
    if (!rec) return undefined;
    return Array.from(this.idsOf(rec), (w) => this.vocab.word(w));
  }

  /**
   * Applies a batch of n-gram count changes. Validates first: throws RangeError, with no count
   * changed, if an entry is malformed or a count would leave 0..2^31-1.
   */
  applyDelta(batch: DeltaBatch): void {
    this.changes++;
    if (!batch || !Array.isArray(batch.entries)) throw new RangeError('a delta batch needs an entries array');
    for (const e of batch.entries) {
      const ngram = e?.ngram;
      if (!Array.isArray(ngram) || ngram.length < 1 || ngram.length > this.order) {
        throw new RangeError(`delta n-gram must hold 1 to ${this.order} tokens`);
      }
      for (const t of ngram) {
        if (typeof t !== 'string' || t.length === 0) throw new RangeError('delta tokens must be non-empty strings');
      }
      if (!Number.isSafeInteger(e.delta) || e.delta === 0) throw new RangeError('delta must be a non-zero integer');
    }
    this.applyBulk(bulkFromBatch(batch), 0, batch.entries.length, 1);
  }

  /**
   * Entries [from, to) of `bulk`, each delta times `sign`. Each distinct token is resolved to its
   * word id once; deltas are netted per node (a batch may name an n-gram twice). Throws RangeError,
   * with no count changed and no word or node left behind.
   */
  private applyBulk(bulk: BulkDeltaBatch, from: number, to: number, sign: 1 | -1): void {
    if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 0 && from <= to && to <= bulk.count)) {
      throw new RangeError(`bulk delta range [${from}, ${to}) outside 0..${bulk.count}`);
    }
    const { starts, tokens, deltas, table } = bulk;
    for (let i = from; i < to; i++) {
      const n = starts[i + 1] - starts[i];
      if (n < 1 || n > this.order) throw new RangeError(`delta n-gram must hold 1 to ${this.order} tokens`);
      const delta = deltas[i];
      if (!Number.isSafeInteger(delta) || delta === 0) throw new RangeError('delta must be a non-zero integer');
    }
    const { vocab, store } = this;
    const vocabSize = vocab.size;
    // 0 (the HOLE) never names a word: it marks a token not resolved yet.
    const wordIds = new Int32Array(table.length);
    const ids = new Int32Array(this.order);
    const parts = to - from;
    const nodes = new Int32Array(parts);
    const suffixes = new Int32Array(parts);
    const nets = new Float64Array(parts);
    for (let i = from; i < to; i++) {
      const start = starts[i];
      const n = starts[i + 1] - start;
      for (let j = 0; j < n; j++) {
        const t = tokens[start + j];
        let w = wordIds[t];
        if (w === 0) {
          const token = table[t];
          if (typeof token !== 'string' || token.length === 0) {
            this.rollBack(vocabSize);
            throw new RangeError('delta tokens must be non-empty strings');
          }
          w = wordIds[t] = vocab.intern(token);
        }
        ids[j] = w;
      }
      const k = i - from;
      nodes[k] = store.findOrCreate(ids, 0, n);
      suffixes[k] = n > 1 ? store.findOrCreate(ids, 1, n) : -1;
      nets[k] = sign * deltas[i];
    }
    const count = hasDuplicates(nodes) ? netDuplicates(nodes, suffixes, nets) : parts;
    for (let k = 0; k < count; k++) {
      const next = store.countOf(nodes[k]) + nets[k];
      if (next < 0 || next > MAX_COUNT) {
        const label = this.tokensOf(nodes[k]).join(' ');
        this.rollBack(vocabSize);
        throw new RangeError(`delta would make the count of [${label}] ${next < 0 ? 'negative' : 'overflow'}`);
      }
    }
    for (let k = 0; k < count; k++) if (nets[k] !== 0) store.adjust(nodes[k], suffixes[k], nets[k]);
    this.maintain();
  }

  /** Drops the nodes and words a refused batch brought in (nothing was counted yet). */
  private rollBack(vocabSize: number): void {
    this.store.compact();
    this.vocab.truncate(vocabSize);
    this.spacing.forgetWordsFrom(vocabSize);
  }

  /** Number of tokens counted. */
  get tokenTotal(): number {
    return this.store.total;
  }

  createScorer(smoothing: Smoothing): NextTokenScorer {
    return new Scorer(this, smoothing);
  }

  /** The raw count of an n-gram (0 when unknown). */
  count(ngram: string[]): number {
    return this.countOfTokens(ngram);
  }

  private countOfTokens(ngram: string[]): number {
    const node = this.nodeOfTokens(ngram);
    return node < 0 ? 0 : this.store.countOf(node);
  }

  /** The node of an n-gram of tokens, or -1 when it was never stored. */
  private nodeOfTokens(ngram: string[]): number {
    let node = ROOT;
    for (const t of ngram) {
      const w = this.vocab.get(t);
      if (w === undefined) return -1;
      node = this.store.child(node, w);
      if (node < 0) return -1;
    }
    return node;
  }

  /** Removes every n-gram containing `word` (and the word from stored documents). */
  forgetWord(word: string): DeltaBatch {
    this.changes++;
    const target = this.vocab.get(word);
    if (target === undefined || target === HOLE) return { entries: [] };
    const store = this.store;
    const n = store.size;
    const contains = new Uint8Array(n);
    const entries: NgramDelta[] = [];
    const victims: number[] = [];
    for (let id = 1; id < n; id++) {
      contains[id] = store.wordOf(id) === target || contains[store.parentOf(id)] ? 1 : 0;
      if (contains[id] && store.countOf(id) > 0) victims.push(id);
    }
    for (const id of victims) {
      const count = store.countOf(id);
      entries.push({ ngram: this.tokensOf(id), delta: -count });
      store.adjust(id, this.suffixOf(id), -count);
    }
    for (const [docId, rec] of this.docs) {
      const ids = this.idsOf(rec);
      if (!ids.includes(target)) continue;
      if (rec.spacing) this.spacing.apply(ids, rec.spacing, 0, ids.length, -1, this.newlineId);
      for (let i = 0; i < ids.length; i++) if (ids[i] === target) ids[i] = HOLE;
      if (rec.spacing) this.spacing.apply(ids, rec.spacing, 0, ids.length, 1, this.newlineId);
      this.docs.set(docId, { ...rec, ids: encodeIds(ids) });
    }
    this.vocab.remove(word);
    this.maintain();
    return { entries };
  }

  clear(): void {
    this.reset();
  }

  /**
   * Makes room for at least `ngrams` more n-grams than the store holds, in one go: the store
   * otherwise grows by doubling, rehashing everything inside whichever small change crosses the
   * line (seconds at millions of n-grams). Cheap on a small memory; never shrinks; changes no
   * count or prediction. `stats().bytes` includes the room.
   */
  reserve(ngrams: number): void {
    this.changes++;
    this.store.reserve(ngrams);
  }

  /**
   * The same as reserve(), as steps that each touch at most about `chunk` array elements (a few
   * ms), to run in order between other work, e.g. as jobs of a sliced queue.
   */
  reserveSteps(ngrams: number, chunk?: number, room?: Room): Array<() => void> {
    return this.store.reserveSteps(ngrams, chunk, room).map((step) => () => {
      this.changes++;
      step();
    });
  }

  /** The fresh arrays reserveSteps(ngrams) would make (see NgramStore.roomFor). */
  roomFor(ngrams: number): RoomPlan[] {
    return this.store.roomFor(ngrams);
  }

  stats(): MemoryStats {
    const byOrder = this.store.liveByOrder.slice(1);
    return {
      order: this.order,
      documents: this.docs.size,
      tokens: this.store.total,
      vocabulary: this.store.liveByOrder[1],
      ngrams: byOrder.reduce((a, b) => a + b, 0),
      ngramsByOrder: byOrder,
      bytes: this.store.bytes,
    };
  }

  wordCount(word: string): number {
    const w = this.vocab.get(word);
    if (w === undefined) return 0;
    const node = this.store.child(ROOT, w);
    return node < 0 ? 0 : this.store.countOf(node);
  }

  /** @internal The count of a word by id. */
  unigramCount(id: number): number {
    const node = this.store.child(ROOT, id);
    return node < 0 ? 0 : this.store.countOf(node);
  }

  /** The most frequent words (NEWLINE excluded), most frequent first, ties by word. */
  /**
   * The `n` most frequent words, most frequent first (ties by word). Finds the n-th count with a
   * selection over a typed array and makes objects for the winners only: the light panel asks
   * for thousands of a vocabulary of hundreds of thousands while the host waits.
   */
  topWords(n: number): WordCount[] {
    const store = this.store;
    const ids: number[] = [];
    const counts: number[] = [];
    for (let c = store.firstChild[ROOT]; c >= 0; c = store.nextSibling[c]) {
      const w = store.wordOf(c);
      if (store.countOf(c) > 0 && w !== this.newlineId) {
        ids.push(w);
        counts.push(store.countOf(c));
      }
    }
    const take = Math.max(0, Math.min(n, ids.length));
    if (take === 0) return [];
    // Every word counted above `floor` is in; words counted exactly `floor` fill the rest by name.
    const floor = take === ids.length ? 0 : nthLargest(Float64Array.from(counts), take);
    const out: WordCount[] = [];
    for (let i = 0; i < ids.length; i++) if (counts[i] >= floor) out.push({ word: this.vocab.word(ids[i]), count: counts[i] });
    out.sort((a, b) => b.count - a.count || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
    return out.slice(0, take);
  }

  /**
   * Memory budget: drops the rarest n-grams of order >= 2 (highest orders first among equally
   * rare) until at most `maxNgrams` remain. Returns how many were dropped. Documents keep their
   * tokens; removing one later subtracts only what is still counted.
   */
  prune(maxNgrams: number): number {
    this.changes++;
    const store = this.store;
    let excess = store.liveNgrams - Math.max(0, Math.floor(maxNgrams));
    if (excess <= 0) return 0;
    // Suffix links of every node in one pass (parents come first): one lookup per node.
    const suffix = new Int32Array(store.size).fill(-1);
    for (let id = 1; id < store.size; id++) {
      const d = store.depth[id];
      if (d === 2) suffix[id] = store.child(ROOT, store.wordOf(id));
      else if (d > 2) {
        const ps = suffix[store.parentOf(id)];
        suffix[id] = ps >= 0 ? store.child(ps, store.wordOf(id)) : -1;
      }
    }
    let dropped = 0;
    for (let threshold = 1; excess > 0; threshold *= 2) {
      // One pass per threshold: the candidates of each order, newest first (deterministic).
      const byDepth: number[][] = Array.from({ length: this.order + 1 }, () => []);
      let any = false;
      for (let id = store.size - 1; id > 0; id--) {
        const c = store.countOf(id);
        if (c === 0 || store.depth[id] < 2) continue;
        any = true;
        if (c <= threshold) byDepth[store.depth[id]].push(id);
      }
      if (!any) break; // only unigrams are left
      for (let d = this.order; d >= 2 && excess > 0; d--) {
        for (const id of byDepth[d]) {
          if (excess === 0) break;
          store.adjust(id, suffix[id], -store.countOf(id));
          excess--;
          dropped++;
        }
      }
    }
    // The point of a budget is memory: give the dropped nodes' space back now.
    if (dropped > 0) store.compact();
    return dropped;
  }

  encode(): Uint8Array {
    if (this.store.dead > 0) this.store.compact();
    const state = this.store.exportState();
    return writeSnapshot({
      order: this.order,
      words: this.vocab.words,
      store: state,
      spacing: this.spacing.parts(),
      documents: packDocuments(this.documentRecords(), this.docs.size),
    });
  }

  /**
   * Loads a memory saved by encode(). With `adopt`, the memory may keep views into `bytes`
   * instead of copying them (faster for a large memory): the caller hands the bytes over and
   * must neither read nor change them afterwards.
   */
  static decode(bytes: Uint8Array, options?: { adopt?: boolean }): Memory {
    return Memory.fromSnapshot(readSnapshot(bytes, options?.adopt === true));
  }

  /** Installs a snapshot read (and validated) by readSnapshot, taking ownership of its arrays. */
  static fromSnapshot(snap: Snapshot): Memory {
    return runSteps(Memory.fromSnapshotInSteps(snap, Infinity));
  }

  /**
   * fromSnapshot in steps of about `piece` words or documents, for a caller that spreads a large
   * memory's install over several turns of its event loop.
   */
  static *fromSnapshotInSteps(snap: Snapshot, piece: number): Generator<void, Memory> {
    const m = new Memory({ order: snap.order });
    m.vocab = yield* Vocabulary.fromWordsInSteps(snap.words, piece);
    m.newlineId = m.vocab.intern(NEWLINE);
    m.store = new NgramStore(snap.order, 16);
    m.store.restore(snap.store);
    m.spacing = new SpacingTable(m.vocab);
    m.spacing.load(snap.spacing);
    const docs = snap.docs;
    for (let i = 0; i < docs.length; i++) {
      const d = docs[i];
      m.docs.set(d.id, { ids: d.ids, length: d.length, spacing: d.spacing });
      if ((i + 1) % piece === 0) yield;
    }
    return m;
  }

  /**
   * Counts every change to the memory, so that work done in steps between other work (copying
   * it for a save) can tell whether the memory changed meanwhile.
   */
  get revision(): number {
    return this.changes;
  }

  /** @internal The stored documents, for snapshot writers (records are replaced, never changed). */
  documentRecords(): IterableIterator<SnapshotDocument> {
    return mapIterator(this.docs, (id, rec) => ({ id, ids: rec.ids, length: rec.length, spacing: rec.spacing }));
  }

  get documentCount(): number {
    return this.docs.size;
  }

  /** @internal Spacing habits between two tokens, added into `out`. */
  spacingVotes(prev: string, next: string, out: SpacingVotes): void {
    this.spacing.votes(prev, next, out);
  }

  // ---- internals ----

  private intern(tokens: string[]): Int32Array {
    const ids = new Int32Array(tokens.length);
    for (let i = 0; i < tokens.length; i++) ids[i] = this.vocab.intern(tokens[i]);
    return ids;
  }

  private idsOf(rec: DocRecord): Int32Array {
    const ids = decodeIds(rec.ids, rec.length);
    if (!ids) throw new Error('corrupt document record');
    return ids;
  }

  private setIds(id: string, ids: Int32Array, bits: Uint8Array | undefined, opts?: DeltaOptions): DeltaBatch {
    this.changes++;
    const collector = opts?.collectDelta ? new Map<number, number>() : undefined;
    const old = this.docs.get(id);
    const oldIds = old ? this.idsOf(old) : new Int32Array(0);
    const oldBits = old?.spacing;
    // The common prefix and suffix of old and new tokens contribute identically: skip them.
    const sameSpacing = (i: number, j: number) =>
      !oldBits || !bits || ((oldBits[i >> 3] >> (i & 7)) & 1) === ((bits[j >> 3] >> (j & 7)) & 1);
    const limit = Math.min(oldIds.length, ids.length);
    let prefix = 0;
    while (prefix < limit && oldIds[prefix] === ids[prefix] && sameSpacing(prefix, prefix)) prefix++;
    let suffix = 0;
    while (
      suffix < limit - prefix &&
      oldIds[oldIds.length - 1 - suffix] === ids[ids.length - 1 - suffix] &&
      sameSpacing(oldIds.length - 1 - suffix, ids.length - 1 - suffix)
    ) {
      suffix++;
    }
    this.applyRange(oldIds, prefix, oldIds.length, oldIds.length - suffix, -1, collector);
    this.applyRange(ids, prefix, ids.length, ids.length - suffix, 1, collector);
    if (oldBits && bits) {
      this.spacing.apply(oldIds, oldBits, prefix, Math.min(oldIds.length, oldIds.length - suffix + 1), -1, this.newlineId);
      this.spacing.apply(ids, bits, prefix, Math.min(ids.length, ids.length - suffix + 1), 1, this.newlineId);
    } else {
      if (oldBits) this.spacing.apply(oldIds, oldBits, 0, oldIds.length, -1, this.newlineId);
      if (bits) this.spacing.apply(ids, bits, 0, ids.length, 1, this.newlineId);
    }
    this.docs.set(id, { ids: encodeIds(ids), length: ids.length, spacing: bits });
    return this.finish(collector);
  }

  /**
   * Adds (sign 1) or subtracts (sign -1) the n-grams of `ids` that end at positions [from, to) and
   * start before `suffixStart` (n-grams wholly inside the unchanged suffix are skipped). N-grams
   * never span a HOLE. Subtraction never goes below zero (a pruned n-gram is simply gone).
   */
  private applyRange(
    ids: Int32Array,
    from: number,
    to: number,
    suffixStart: number,
    sign: 1 | -1,
    collector: Map<number, number> | undefined,
  ): void {
    const N = this.order;
    const store = this.store;
    const create = sign > 0;
    // Locals, not module bindings: some loaders reach an imported constant through a call.
    const hole = HOLE;
    const root = ROOT;
    let prev = this.prevChain;
    let cur = this.curChain;
    prev.fill(-1);
    prev[0] = root;
    cur[0] = root;
    const end = Math.min(to, suffixStart + N - 1);
    for (let i = Math.max(0, from - N + 1); i < end; i++) {
      const w = ids[i];
      const counting = i >= from;
      for (let k = 1; k <= N; k++) {
        const parent = prev[k - 1];
        let node = -1;
        if (w !== hole && parent >= 0) node = create ? store.childOrCreate(parent, w) : store.child(parent, w);
        cur[k] = node;
        if (!counting || node < 0) continue;
        if (i - k + 1 >= suffixStart) continue;
        if (!create && store.countOf(node) === 0) continue;
        store.adjust(node, k > 1 ? cur[k - 1] : -1, sign);
        if (collector) collector.set(node, (collector.get(node) ?? 0) + sign);
      }
      const t = prev;
      prev = cur;
      cur = t;
    }
  }

  private finish(collector: Map<number, number> | undefined): DeltaBatch {
    const entries: NgramDelta[] = [];
    if (collector) {
      for (const [node, delta] of collector) if (delta !== 0) entries.push({ ngram: this.tokensOf(node), delta });
    }
    this.maintain();
    return { entries };
  }

  /** Compacts the store when many nodes count nothing (never while node ids are held). */
  private maintain(): void {
    if (this.store.wantsCompaction) this.store.compact();
  }

  /** The words seen right after word `id`, with their counts (unordered). */
  following(id: number): WordCount[] {
    const store = this.store;
    const node = store.child(ROOT, id);
    if (node < 0) return [];
    const out: WordCount[] = [];
    for (let c = store.firstChild[node]; c >= 0; c = store.nextSibling[c]) {
      const count = store.countOf(c);
      if (count > 0 && store.wordOf(c) > 0) out.push({ word: this.vocab.word(store.wordOf(c)), count });
    }
    return out;
  }

  /** The words seen right before word `id`, with their counts (unordered): one probe per word known. */
  preceding(id: number): WordCount[] {
    const store = this.store;
    const out: WordCount[] = [];
    for (let u = store.firstChild[ROOT]; u >= 0; u = store.nextSibling[u]) {
      const w = store.wordOf(u);
      if (w <= 0) continue;
      const node = store.child(u, id);
      const count = node >= 0 ? store.countOf(node) : 0;
      if (count > 0) out.push({ word: this.vocab.word(w), count });
    }
    return out;
  }

  /**
   * Every n-gram with a count, as the memory is now (the caller must not change it meanwhile),
   * yielding undefined every few thousand n-grams so a caller can pause between slices.
   */
  *ngramCounts(): Generator<NgramDelta | undefined, void> {
    const store = this.store;
    for (let node = 1; node < store.size; node++) {
      if ((node & 4095) === 0) yield undefined;
      const count = store.countOf(node);
      if (count <= 0) continue;
      const ngram = this.tokensOf(node);
      if (ngram.length > 0 && !ngram.some((token) => !token)) yield { ngram, delta: count };
    }
  }

  /** The tokens of a node's n-gram. */
  tokensOf(node: number): string[] {
    const out: string[] = [];
    for (let n = node; n > ROOT; n = this.store.parentOf(n)) out.push(this.vocab.word(this.store.wordOf(n)));
    return out.reverse();
  }

  /** The node of a node's n-gram without its first word (-1 for unigrams or when absent). */
  private suffixOf(node: number): number {
    const words: number[] = [];
    for (let n = node; n > ROOT; n = this.store.parentOf(n)) words.push(this.store.wordOf(n));
    if (words.length < 2) return -1;
    words.reverse();
    return this.store.find(words, 1);
  }
}

function* mapIterator<K, V, T>(map: Map<K, V>, to: (key: K, value: V) => T): IterableIterator<T> {
  for (const [key, value] of map) yield to(key, value);
}

/** The k-th largest value (1-based) of `values`, which it reorders (quickselect, O(length)). */
function nthLargest(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] > pivot) i++;
      while (values[j] < pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i++] = values[j];
        values[j--] = t;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return values[target];
  }
  return values[target];
}
