// The memory a workspace learns into while it is open: an immutable indexed memory (engine v2,
// indexedMemory.ts) built off the host's thread, plus an overlay of the count changes made since
// (countOverlay.ts), the way an LSM tree keeps a small mutable level over a large immutable one.
//
// Invariant: the memory's counts, statistics and predictions are exactly those of an indexed
// memory built from its current documents. Learning a document again replaces its contribution
// and removing it removes it, bit for bit, at any time; a rebuild changes nothing that can be seen.
//
// Documents: those of the index not in `gone`, plus `docs` (learned or changed since the index was
// built; a changed document of the index is in both). Words: the index's, then new ones.
//
// A rebuild (compaction, or a training that learns many files at once) runs elsewhere from a
// snapshot (beginRebuild) and is installed with finishRebuild: the documents changed since the
// snapshot are learned again over the new index, so nothing done meanwhile is lost. With a
// `groupOf` (a file's key for the chunks of a file), the documents of a group changed since the
// snapshot are taken from this memory as a whole: the rebuild's own documents of that group go.
import { IndexedMemory, IndexedMemoryBuilder, type KeptDocuments } from './indexedMemory';
import { runSteps } from './steps';
import { lastAtMost, smallestPositions } from './sorted';
import { CountOverlay, ngramKey } from './countOverlay';
import { extendHash, NgramNet } from './ngramNet';
import { LiveScorer, type LiveCounts } from './liveScorer';
import type { NextTokenScorer, Smoothing } from './levelScorer';
import { LayeredSpacing, type SpacingVotes } from './spacing';
import type { SuffixIndex } from './suffixIndex';
import { scanTokens } from './tokenizer';
import { HOLE, type Vocabulary } from './vocabulary';
import { NEWLINE, type DeltaBatch, type MemoryStats, type NgramDelta, type WordCount } from './types';
import { DEFAULT_ORDER, type DeltaOptions } from './memory';

/** A document as word ids of the memory's vocabulary, with its spacing bits (bit i: space before token i). */
export interface LiveDocument {
  ids: Int32Array;
  bits: Uint8Array | undefined;
}

/** What a rebuild starts from: the index's documents to keep and the documents learned since. */
export interface RebuildSnapshot {
  base: KeptDocuments;
  /** Documents of `base` not to keep (removed, or changed since: their new version is in `documents`). */
  without: string[];
  /** Documents learned or changed since the index was built, in the words of `words`. */
  documents: Array<{ id: string } & LiveDocument>;
  words: readonly string[];
}

export interface LiveMemoryOptions {
  order?: number;
  /** Groups documents for finishRebuild (e.g. the chunks of one file); each document is its own group by default. */
  groupOf?: (documentId: string) => string;
}

export class LiveMemory implements LiveCounts {
  readonly order: number;
  private baseMemory!: IndexedMemory;
  private changes!: CountOverlay;
  private vocabulary!: Vocabulary;
  private spacingTable!: LayeredSpacing;
  private newlineId = 0;
  private readonly docs = new Map<string, LiveDocument>();
  private readonly gone = new Set<string>();
  private generationNumber = 0;
  private revisionNumber = 0;
  private since: { documents: Set<string>; forgotten: string[] } | undefined;
  private readonly groupOf: (documentId: string) => string;
  /** Scratch of replace() and tokens(), kept between edits. */
  private readonly net = new NgramNet();
  /** Per token of the text being read: its start and end, and (a bit) whether a space came before it. */
  private spans = new Int32Array(2048);
  private spaced = new Uint8Array(128);
  /** Scratch of pairCount. */
  private readonly pair = new Int32Array(2);
  /** Told which documents changed (see watchDocuments). */
  private readonly documentWatchers = new Set<(ids: readonly string[]) => void>();

  constructor(base?: IndexedMemory | PreparedIndex, options: LiveMemoryOptions = {}) {
    this.order = (base instanceof IndexedMemory ? base.order : base?.memory.order) ?? options.order ?? DEFAULT_ORDER;
    this.groupOf = options.groupOf ?? ownGroup;
    this.install(base ?? emptyMemory(this.order));
  }

  // ---- LiveCounts (what the scorer reads) ----

  get index(): SuffixIndex {
    return this.baseMemory.index;
  }

  get overlay(): CountOverlay {
    return this.changes;
  }

  get words(): readonly string[] {
    return this.vocabulary.words;
  }

  get generation(): number {
    return this.generationNumber;
  }

  // ---- what completion reads (RankSource) ----

  get vocab(): Vocabulary {
    return this.vocabulary;
  }

  /** Number of tokens counted. */
  get tokenTotal(): number {
    return this.changes.total;
  }

  /** Changes with every change of the memory. */
  get revision(): number {
    return this.revisionNumber;
  }

  /** The indexed memory under the overlay (immutable; replaced by a rebuild). */
  get base(): IndexedMemory {
    return this.baseMemory;
  }

  createScorer(smoothing: Smoothing): NextTokenScorer {
    return new LiveScorer(this, smoothing);
  }

  unigramCount(id: number): number {
    const index = this.baseMemory.index;
    return index.wordHi(id) - index.wordLo(id) + this.changes.wordChange(id);
  }

  wordCount(word: string): number {
    const id = this.vocabulary.get(word);
    return id === undefined ? 0 : this.unigramCount(id);
  }

  /** The raw count of an n-gram of up to `order` tokens (0 when unknown). */
  count(ngram: string[]): number {
    if (ngram.length === 0 || ngram.length > this.order) return 0;
    const ids = new Int32Array(ngram.length);
    for (let i = 0; i < ngram.length; i++) {
      const id = this.vocabulary.get(ngram[i]);
      if (id === undefined) return 0;
      ids[i] = id;
    }
    return this.changes.count(ids, 0, ids.length);
  }

  /** The `n` most frequent words (NEWLINE excluded), most frequent first, ties by word. */
  topWords(n: number): WordCount[] {
    const out: WordCount[] = [];
    const words = this.vocabulary.words;
    for (let w = 1; w < words.length; w++) {
      if (w === this.newlineId) continue;
      const c = this.unigramCount(w);
      if (c > 0) out.push({ word: words[w], count: c });
    }
    out.sort((a, b) => b.count - a.count || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
    return out.slice(0, Math.max(0, n));
  }

  spacingVotes(prev: string, next: string, out: SpacingVotes): void {
    this.spacingTable.votes(prev, next, out);
  }

  stats(): MemoryStats {
    const live = this.changes.liveByOrder;
    const byOrder = live.slice(1);
    return {
      order: this.order,
      documents: this.documentCount,
      tokens: this.changes.total,
      vocabulary: live[1],
      ngrams: byOrder.reduce((a, b) => a + b, 0),
      ngramsByOrder: byOrder,
      bytes: this.bytes,
    };
  }

  /** Bytes held: the index's arrays, the overlay's, the documents learned since and spacing. */
  get bytes(): number {
    let docBytes = 0;
    for (const doc of this.docs.values()) docBytes += doc.ids.byteLength + (doc.bits?.byteLength ?? 0);
    return this.baseMemory.bytes + this.changes.bytes + docBytes + this.spacingTable.bytes;
  }

  /**
   * Whether the overlay is close to growing, which rehashes it whole (6 ms at 65k nodes, 32 ms at
   * 262k at 50M tokens): makeRoom does it now, when the editor is idle, rather than inside an edit.
   */
  get wantsRoom(): boolean {
    return this.changes.wantsRoom;
  }

  makeRoom(): void {
    this.changes.makeRoom();
  }

  /** Changed n-grams held by the overlay (what a rebuild folds into the index). */
  get overlaySize(): number {
    return this.changes.size;
  }

  /** Whether any document was learned, changed or removed since the index was built. */
  get changedSinceIndex(): boolean {
    return this.docs.size > 0 || this.gone.size > 0;
  }

  /** Tokens of the documents learned or changed since the index was built. */
  get overlayTokens(): number {
    let n = 0;
    for (const doc of this.docs.values()) n += doc.ids.length;
    return n;
  }

  /**
   * Every n-gram with a count, as it is when the walk starts (the index never changes and the
   * overlay's changes are read first), yielding undefined every few thousand n-grams so a caller
   * can pause between slices. Forgotten words' n-grams are gone already.
   */
  *ngramCounts(): Generator<NgramDelta | undefined, void> {
    const index = this.baseMemory.index;
    const words = this.vocabulary.words.slice();
    const order = this.order;
    const changed = new Map<string, number>();
    const added: Array<{ ids: Int32Array; count: number }> = [];
    const overlay = this.changes;
    for (const e of overlay.entries()) {
      const dc = overlay.rawChange(e);
      if (dc === 0) continue;
      const gram = overlay.ngram(e);
      if (overlay.baseCount(e) > 0) changed.set(ngramKey(gram, 0, gram.length), dc);
      else added.push({ ids: gram, count: dc });
    }
    const { tokens, positions } = index;
    const ids = new Int32Array(order);
    const lo = new Int32Array(order + 1);
    const hi = new Int32Array(order + 1);
    const at = new Int32Array(order + 1);
    let emitted = 0;
    const entry = (depth: number, count: number): NgramDelta | undefined => {
      const merged = changed.size > 0 ? count + (changed.get(ngramKey(ids, 0, depth)) ?? 0) : count;
      if (merged <= 0) return undefined;
      const ngram = new Array<string>(depth);
      for (let i = 0; i < depth; i++) ngram[i] = words[ids[i]];
      return ngram.includes('') ? undefined : { ngram, delta: merged };
    };
    for (let w = 1; w < index.vocabularySize; w++) {
      if (index.wordHi(w) <= index.wordLo(w)) continue;
      ids[0] = w;
      lo[1] = index.wordLo(w);
      hi[1] = index.wordHi(w);
      at[1] = lo[1];
      const first = entry(1, hi[1] - lo[1]);
      if (first) yield first;
      let depth = 1;
      while (depth >= 1) {
        if (depth === order || at[depth] >= hi[depth]) {
          depth--;
          continue;
        }
        const start = at[depth];
        const next = tokens[positions[start] + depth];
        const end = index.runEnd(start, hi[depth], depth, next);
        at[depth] = end;
        if (next === HOLE) continue;
        ids[depth] = next;
        depth++;
        lo[depth] = start;
        hi[depth] = end;
        at[depth] = start;
        const e = entry(depth, end - start);
        if (e) yield e;
        if ((++emitted & 4095) === 0) yield undefined;
      }
    }
    for (const { ids: gram, count } of added) {
      const ngram = Array.from(gram, (id) => words[id]);
      if (!ngram.includes('')) yield { ngram, delta: count };
    }
  }

  // ---- where text occurs (what "ask the memory" reads) ----

  /**
   * How many times the word-id sequence (any length; HOLE and unknown ids occur nowhere) occurs in
   * the current documents: the index's occurrences, less those in its documents removed or
   * changed since, plus those in the documents learned since.
   */
  occurrenceCount(ids: Int32Array): number {
    if (ids.length === 0 || ids.some((w) => w <= 0)) return 0;
    const index = this.baseMemory.index;
    const range = { lo: 0, hi: 0 };
    index.find(ids, 0, Math.min(ids.length, this.order), range);
    let n = 0;
    if (ids.length <= this.order) n = range.hi - range.lo;
    else for (let i = range.lo; i < range.hi; i++) if (tailMatches(index.tokens, index.positions[i], ids, this.order)) n++;
    for (const id of this.gone) {
      const doc = this.baseMemory.documentIdsAndBits(id);
      if (doc) n -= countIn(doc.ids, ids);
    }
    for (const doc of this.docs.values()) n += countIn(doc.ids, ids);
    return n;
  }

  /**
   * Up to `limit` occurrences of the sequence in the memory's order (the index's documents by stream
   * position, then the documents learned since, in the order they were learned), those with a key
   * above `after`. Keys hold while the memory does not change.
   */
  occurrences(ids: Int32Array, limit: number, after = -1): Array<{ document: string; offset: number; key: number }> {
    if (ids.length === 0 || limit <= 0 || ids.some((w) => w <= 0)) return [];
    const base = this.baseMemory;
    const { index } = base;
    const { ids: documents, starts } = base.documents;
    const range = { lo: 0, hi: 0 };
    index.find(ids, 0, Math.min(ids.length, this.order), range);
    const long = ids.length > this.order;
    const chosen = smallestPositions(index.positions, range.lo, range.hi, after, limit, (p) => {
      if (long && !tailMatches(index.tokens, p, ids, this.order)) return false;
      return this.gone.size === 0 || !this.gone.has(documents[lastAtMost(starts, p)]);
    });
    const out = chosen.map((p) => {
      const d = lastAtMost(starts, p);
      return { document: documents[d], offset: p - starts[d], key: p };
    });
    let key = index.tokens.length;
    for (const [document, doc] of this.docs) {
      if (out.length >= limit) break;
      for (let i = 0; i + ids.length <= doc.ids.length && out.length < limit; i++) {
        if (key + i > after && matchesAt(doc.ids, i, ids)) out.push({ document, offset: i, key: key + i });
      }
      key += doc.ids.length + 1;
    }
    return out;
  }

  /** The words seen right after word `id`, with their counts (unordered). */
  following(id: number): WordCount[] {
    const index = this.baseMemory.index;
    const words = this.vocabulary.words;
    const overlay = this.changes;
    const changed = overlay.context(Int32Array.of(id), 0, 1);
    const out: WordCount[] = [];
    index.forEachChild(index.wordLo(id), index.wordHi(id), 1, (w, lo, hi) => {
      const count = hi - lo + (changed >= 0 ? overlay.rawChange(overlay.child(changed, w)) : 0);
      if (count > 0) out.push({ word: words[w], count });
    });
    if (changed >= 0) {
      for (let e = overlay.firstChildOf(changed); e >= 0; e = overlay.nextChild(e)) {
        if (overlay.baseCount(e) === 0 && overlay.rawChange(e) > 0) out.push({ word: words[overlay.wordOf(e)], count: overlay.rawChange(e) });
      }
    }
    return out;
  }

  /** The words seen right before word `id` (a document's start is none), with their counts (unordered). */
  preceding(id: number): WordCount[] {
    const index = this.baseMemory.index;
    const tally = new Map<number, number>();
    const add = (w: number, n: number) => {
      if (w !== HOLE) tally.set(w, (tally.get(w) ?? 0) + n);
    };
    for (let i = index.wordLo(id); i < index.wordHi(id); i++) add(index.tokens[index.positions[i] - 1], 1);
    this.neighbourChanges(id, -1, add);
    const words = this.vocabulary.words;
    const out: WordCount[] = [];
    for (const [w, count] of tally) if (count > 0) out.push({ word: words[w], count });
    return out;
  }

  /** The count now of the word pair (a, b) (one range narrowing, about). */
  pairCount(a: number, b: number): number {
    if (a <= 0 || b <= 0 || this.order < 2) return 0;
    const pair = this.pair;
    pair[0] = a;
    pair[1] = b;
    return this.changes.count(pair, 0, 2);
  }

  /** The words seen more often now than in the index, with how often now (any order). */
  raisedWords(): Array<{ id: number; count: number }> {
    const overlay = this.changes;
    const out: Array<{ id: number; count: number }> = [];
    for (let e = overlay.firstChildOf(0); e >= 0; e = overlay.nextChild(e)) {
      if (overlay.rawChange(e) > 0) out.push({ id: overlay.wordOf(e), count: overlay.baseCount(e) + overlay.rawChange(e) });
    }
    return out;
  }

  /**
   * What the changes since the index did to the counts of the words seen right after word `id`
   * (side 1) or right before it (side -1): `add(w, n)` with n of either sign, never taking a
   * count below 0 once the index's are in. Returns how many entries or tokens it read: after a
   * word, its changed pairs in the overlay; before one, the documents changed since (the overlay
   * keeps no pairs by their second word).
   */
  neighbourChanges(id: number, side: 1 | -1, add: (w: number, n: number) => void): number {
    let read = 0;
    if (side === 1) {
      const overlay = this.changes;
      const changed = overlay.context(Int32Array.of(id), 0, 1);
      if (changed < 0) return 0;
      for (let e = overlay.firstChildOf(changed); e >= 0; e = overlay.nextChild(e), read++) {
        const n = overlay.rawChange(e);
        if (n !== 0) add(overlay.wordOf(e), n);
      }
      return read;
    }
    const each = (doc: Int32Array, n: number) => {
      read += doc.length;
      for (let i = 1; i < doc.length; i++) if (doc[i] === id && doc[i - 1] !== HOLE) add(doc[i - 1], n);
    };
    // Removals first: a count passes through no negative value on the way.
    for (const gone of this.gone) {
      const doc = this.baseMemory.documentIdsAndBits(gone);
      if (doc) each(doc.ids, -1);
    }
    for (const doc of this.docs.values()) each(doc.ids, 1);
    return read;
  }

  // ---- documents ----

  get documentCount(): number {
    return this.baseMemory.documents.ids.length - this.gone.size + this.docs.size;
  }

  hasDocument(id: string): boolean {
    return this.docs.has(id) || (!this.gone.has(id) && this.baseMemory.hasDocument(id));
  }

  documentIds(): string[] {
    const out: string[] = [];
    for (const id of this.baseMemory.documents.ids) if (!this.gone.has(id)) out.push(id);
    for (const id of this.docs.keys()) out.push(id);
    return out;
  }

  /** The tokens a document contributes (forgotten words read as ''). */
  documentTokens(id: string): string[] | undefined {
    const doc = this.current(id);
    return doc && Array.from(doc.ids, (w) => this.vocabulary.words[w]);
  }

  /** Replaces the contribution of document `id` with that of `text`. */
  setDocument(id: string, text: string, opts?: DeltaOptions): DeltaBatch {
    const old = this.current(id);
    const read = this.tokens(text, old);
    return this.replace([[id, read.doc]], opts?.collectDelta === true, old && { ...read, old });
  }

  /**
   * Like setDocument for an already tokenized text (no spacing is learned from it). An empty token
   * is a cut, as a forgotten word leaves (documentTokens reads it back as ''): no n-gram spans it.
   */
  setDocumentTokens(id: string, tokens: readonly string[], opts?: DeltaOptions): DeltaBatch {
    for (const t of tokens) {
      if (typeof t !== 'string') throw new RangeError('tokens must be strings');
    }
    const ids = Int32Array.from(tokens, (t) => (t === '' ? HOLE : this.vocabulary.intern(t)));
    return this.replace([[id, { ids, bits: undefined }]], opts?.collectDelta === true);
  }

  /**
   * Replaces document `oldId` with `text` learned as `newId` (an edited chunk of a file gets a new
   * id): as removing one and setting the other, but only the n-grams around what differs are
   * touched, so an edit costs what it changed.
   */
  swapDocument(oldId: string, newId: string, text: string, opts?: DeltaOptions): DeltaBatch {
    if (oldId === newId || !this.hasDocument(oldId) || this.hasDocument(newId)) {
      const removed = this.removeDocument(oldId, opts);
      const added = this.setDocument(newId, text, opts);
      return { entries: [...removed.entries, ...added.entries] };
    }
    const old = this.current(oldId);
    const read = this.tokens(text, old);
    return this.replace([[oldId, undefined], [newId, read.doc]], opts?.collectDelta === true, old && { ...read, old });
  }

  removeDocument(id: string, opts?: DeltaOptions): DeltaBatch {
    if (!this.hasDocument(id)) return { entries: [] };
    return this.replace([[id, undefined]], opts?.collectDelta === true);
  }

  /** Gives a document another id; no count changes (a document already at `newId` is removed first). */
  renameDocument(oldId: string, newId: string): void {
    if (oldId === newId) return;
    const doc = this.current(oldId);
    if (!doc) return;
    this.removeDocument(newId);
    this.forget(oldId);
    if (this.baseMemory.hasDocument(newId)) this.gone.add(newId);
    this.docs.set(newId, doc);
    this.since?.documents.add(oldId).add(newId);
    this.revisionNumber++;
    this.documentsChanged([oldId, newId]);
  }

  /** Removes every n-gram containing `word` (it becomes a hole in the documents holding it). */
  forgetWord(word: string): DeltaBatch {
    const target = this.vocabulary.get(word);
    if (target === undefined || target === HOLE) return { entries: [] };
    const holders = new Set<string>();
    for (const [id, doc] of this.docs) if (doc.ids.includes(target)) holders.add(id);
    const base = this.baseMemory;
    const { starts, ids: baseIds } = base.documents;
    const { positions } = base.index;
    for (let i = base.index.wordLo(target); i < base.index.wordHi(target); i++) {
      // The document holding stream position p: the last one starting at or before it.
      const d = lastAtMost(starts, positions[i]);
      const id = baseIds[d];
      if (!this.gone.has(id)) holders.add(id);
    }
    const changes: Array<[string, LiveDocument | undefined]> = [];
    for (const id of holders) {
      const doc = this.current(id) as LiveDocument;
      const ids = doc.ids.map((w) => (w === target ? HOLE : w));
      changes.push([id, { ids, bits: doc.bits }]);
    }
    const delta = this.replace(changes, true);
    this.vocabulary.remove(word);
    this.since?.forgotten.push(word);
    return delta;
  }

  /** Forgets every document and word. */
  clear(): void {
    const before = this.documentWatchers.size > 0 ? this.documentIds() : [];
    this.install(emptyMemory(this.order));
    this.since = undefined;
    this.documentsChanged(before);
  }

  /**
   * Tells `listener`, after each change, which documents were set, removed, renamed or lost a
   * forgotten word (what a share session republishes). An index installed by a rebuild reports the
   * documents it added or dropped (those a training fed the rebuild). Returns the unsubscribe.
   */
  watchDocuments(listener: (ids: readonly string[]) => void): () => void {
    this.documentWatchers.add(listener);
    return () => this.documentWatchers.delete(listener);
  }

  private documentsChanged(ids: readonly string[]): void {
    if (ids.length === 0) return;
    for (const listener of this.documentWatchers) listener(ids);
  }

  // ---- rebuilds ----

  /** Whether a rebuild's snapshot was taken and not yet installed or dropped. */
  get rebuilding(): boolean {
    return this.since !== undefined;
  }

  /**
   * What a rebuild starts from; changes from now on are remembered so that finishRebuild can
   * learn them again over the rebuilt index. Only one rebuild at a time.
   */
  beginRebuild(): RebuildSnapshot {
    if (this.since) throw new Error('a rebuild of this memory is already under way');
    this.since = { documents: new Set(), forgotten: [] };
    const without = new Set(this.gone);
    const documents: RebuildSnapshot['documents'] = [];
    for (const [id, doc] of this.docs) {
      without.add(id);
      documents.push({ id, ids: doc.ids, bits: doc.bits });
    }
    // Plain data (no class instance), so it can be sent to another thread: the stream is shared
    // memory there when the index was built or read onto it.
    const base = this.baseMemory;
    const kept: KeptDocuments = { order: base.order, vocab: { words: base.vocab.words }, documents: base.documents, index: { tokens: base.index.tokens }, spacedBits: base.spacedBits };
    return { base: kept, without: [...without], documents, words: this.vocabulary.words.slice() };
  }

  /** Drops the rebuild under way (it failed or was cancelled): the memory stays as it is. */
  abortRebuild(): void {
    this.since = undefined;
  }

  /**
   * Installs a rebuilt index (made from beginRebuild's snapshot, possibly with more documents)
   * and learns again over it what changed since the snapshot.
   */
  finishRebuild(next: IndexedMemory | PreparedIndex): void {
    if (!this.since) throw new Error('no rebuild of this memory is under way');
    const order = next instanceof IndexedMemory ? next.order : next.memory.order;
    if (order !== this.order) throw new RangeError(`a rebuilt memory of order ${order} cannot replace one of order ${this.order}`);
    const { documents: changed, forgotten } = this.since;
    this.since = undefined;
    const before = this.documentWatchers.size > 0 ? new Set(this.documentIds()) : undefined;
    // This memory's version of every group changed since the snapshot, as words.
    const groups = new Set<string>();
    for (const id of changed) groups.add(this.groupOf(id));
    const keep = new Map<string, { tokens: string[]; bits: Uint8Array | undefined }>();
    const kept = (id: string) => {
      const doc = this.current(id);
      if (doc) keep.set(id, { tokens: Array.from(doc.ids, (w) => this.vocabulary.words[w]), bits: doc.bits });
    };
    for (const id of changed) kept(id);
    if (this.groupOf !== ownGroup) for (const id of this.documentIds()) if (groups.has(this.groupOf(id)) && !keep.has(id)) kept(id);
    this.install(next);
    const replay = new Map<string, LiveDocument | undefined>();
    if (groups.size > 0) {
      for (const id of this.baseMemory.documents.ids) if (groups.has(this.groupOf(id)) && !keep.has(id)) replay.set(id, undefined);
    }
    for (const id of new Set([...changed, ...keep.keys()])) {
      const doc = keep.get(id);
      if (doc) replay.set(id, { ids: Int32Array.from(doc.tokens, (t) => (t === '' ? HOLE : this.vocabulary.intern(t))), bits: doc.bits });
      else if (this.hasDocument(id)) replay.set(id, undefined);
    }
    if (replay.size > 0) this.replace([...replay], false);
    for (const word of forgotten) {
      if (this.wordCount(word) === 0) this.vocabulary.remove(word);
    }
    if (before) {
      // What the rebuild added (a training fed it) or dropped; the replay above reported its own.
      const after = new Set(this.documentIds());
      const differ: string[] = [];
      for (const id of after) if (!before.has(id)) differ.push(id);
      for (const id of before) if (!after.has(id)) differ.push(id);
      this.documentsChanged(differ);
    }
  }

  // ---- internals ----

  private install(base: IndexedMemory | PreparedIndex): void {
    const prepared = base instanceof IndexedMemory ? runSteps(prepareIndex(base)) : base;
    this.baseMemory = prepared.memory;
    this.generationNumber++;
    this.revisionNumber++;
    this.changes = new CountOverlay(prepared.memory.index, this.order);
    this.vocabulary = prepared.vocab;
    this.newlineId = this.vocabulary.intern(NEWLINE);
    this.spacingTable = prepared.spacing;
    this.docs.clear();
    this.gone.clear();
  }

  /** A document's current ids and spacing (a view of the index's stream for its own documents). */
  private current(id: string): LiveDocument | undefined {
    const own = this.docs.get(id);
    if (own) return own;
    if (this.gone.has(id)) return undefined;
    return this.baseMemory.documentIdsAndBits(id);
  }

  private forget(id: string): void {
    this.docs.delete(id);
    if (this.baseMemory.hasDocument(id)) this.gone.add(id);
  }

  /**
   * `text` as a document: its words' ids (new words added) and spacing bits, as tokenizeWithSpacing
   * gives them, and how many words it shares with `old` at its start and then at its end. A token
   * that reads as the word `old` has at the same place (counted from the start, then from the end)
   * takes its id from `old` without making the token's string, so an edit only makes strings for
   * the tokens around what it changed. (The loops are written out, without calls: the first edits
   * of a session run before the engine compiles them.)
   */
  private tokens(text: string, old: LiveDocument | undefined): { doc: LiveDocument; head: number; tail: number } {
    let n = 0;
    let spans = this.spans;
    let spaced = this.spaced;
    spaced.fill(0);
    scanTokens(text, (start, end, space) => {
      if (2 * n + 2 > spans.length) {
        spans = grownTo(spans, spans.length * 2);
        spaced = grownTo(spaced, spans.length >> 4);
      }
      spans[2 * n] = start;
      spans[2 * n + 1] = end;
      if (space) spaced[n >> 3] |= 1 << (n & 7);
      n++;
    });
    this.spans = spans;
    this.spaced = spaced;
    const ids = new Int32Array(n);
    const bits = spaced.slice(0, (n + 7) >> 3);
    const words = this.vocabulary.words;
    const newline = NEWLINE;
    const oldIds = old?.ids ?? ids;
    const m = old ? oldIds.length : 0;
    let head = 0;
    while (head < n && head < m) {
      const w = oldIds[head];
      const word = words[w];
      const at = spans[2 * head];
      const c = text.charCodeAt(at);
      // A token starting with a line break is a NEWLINE (see isLineBreak).
      const breaks = c === 10 || c === 13 || c === 0x2028 || c === 0x2029 || c === 0x85;
      if (breaks ? word !== newline : word.length !== spans[2 * head + 1] - at || !text.startsWith(word, at)) break;
      ids[head++] = w;
    }
    let tail = 0;
    while (tail < n - head && tail < m - head) {
      const w = oldIds[m - 1 - tail];
      const word = words[w];
      const i = n - 1 - tail;
      const at = spans[2 * i];
      const c = text.charCodeAt(at);
      const breaks = c === 10 || c === 13 || c === 0x2028 || c === 0x2029 || c === 0x85;
      if (breaks ? word !== newline : word.length !== spans[2 * i + 1] - at || !text.startsWith(word, at)) break;
      ids[i] = w;
      tail++;
    }
    for (let i = head; i < n - tail; i++) {
      const at = spans[2 * i];
      ids[i] = this.vocabulary.intern(isLineBreak(text.charCodeAt(at)) ? newline : text.slice(at, spans[2 * i + 1]));
    }
    return { doc: { ids, bits }, head, tail };
  }

  /**
   * Sets (or with undefined removes) documents (each id at most once), netting their n-gram changes.
   * `read`: when the first document becomes `read.doc` (set again, or swapped for the second), its
   * current version `read.old` and how many words both share at their start and end.
   */
  private replace(changes: Array<[string, LiveDocument | undefined]>, collect: boolean, read?: { old: LiveDocument; doc: LiveDocument; head: number; tail: number }): DeltaBatch {
    const net = this.net;
    const order = this.order;
    const hole = HOLE;
    net.clear();
    /** Counts the n-grams of `doc` that start before `end` and end after `after` (the whole document by default). */
    const count = (doc: LiveDocument, sign: 1 | -1, after = 0, end = doc.ids.length) => {
      const { ids } = doc;
      const n = ids.length;
      for (let i = Math.max(0, after - order + 1); i < end; i++) {
        if (ids[i] === hole) continue;
        let hash = 0;
        for (let k = 1; k <= order && i + k <= n; k++) {
          const w = ids[i + k - 1];
          if (w === hole) break;
          hash = extendHash(hash, w);
          if (i + k <= after) continue; // wholly inside the part both versions share
          net.add(ids, i, k, hash, sign);
        }
      }
    };
    // One document becoming another: an edited chunk swapped for its new version, or a document set again.
    let pair: LiveDocument | undefined;
    let next: LiveDocument | undefined;
    if (changes.length === 2 && !changes[0][1] && changes[1][1] && !this.current(changes[1][0])) {
      pair = read?.old ?? this.current(changes[0][0]);
      next = changes[1][1];
    } else if (changes.length === 1 && changes[0][1]) {
      pair = read?.old ?? this.current(changes[0][0]);
      next = changes[0][1];
    }
    if (pair && next && (pair.bits === undefined) === (next.bits === undefined)) {
      // Only the n-grams and spacing pairs around what differs (a word or the space before it) change.
      const [a, b] = [pair.ids, next.ids];
      const [head, tail] = read && read.old === pair && read.doc === next ? [read.head, read.tail] : sharedEnds(a, b);
      count(pair, -1, head, a.length - tail);
      count(next, 1, head, b.length - tail);
      if (pair.bits && next.bits) {
        // Spacing pair i is (i - 1, i): those ending from `head` up to the first one wholly in the
        // shared end, where words and the spaces before them are the same.
        const [oldBits, newBits] = [pair.bits, next.bits];
        const [h, t] = sharedSpacing(a, b, head, oldBits, newBits);
        this.spacingTable.apply(a, oldBits, h, Math.min(a.length, a.length - t + 1), -1, this.newlineId);
        this.spacingTable.apply(b, newBits, h, Math.min(b.length, b.length - t + 1), 1, this.newlineId);
      }
    } else {
      for (const [id, doc] of changes) {
        const old = this.current(id);
        if (old) {
          count(old, -1);
          if (old.bits) this.spacingTable.apply(old.ids, old.bits, 0, old.ids.length, -1, this.newlineId);
        }
        if (doc) {
          count(doc, 1);
          if (doc.bits) this.spacingTable.apply(doc.ids, doc.bits, 0, doc.ids.length, 1, this.newlineId);
        }
      }
    }
    // Removals first, so no count passes through a negative value on the way.
    const entries: NgramDelta[] = [];
    const overlay = this.changes;
    const words = this.vocabulary.words;
    for (const pass of [-1, 1] as const) {
      net.forEach(pass, (ids, from, k, delta) => {
        overlay.add(ids, from, k, delta);
        if (collect) entries.push({ ngram: Array.from(ids.subarray(from, from + k), (w) => words[w]), delta });
      });
    }
    net.clear();
    for (const [id, next] of changes) {
      this.forget(id);
      if (next) this.docs.set(id, next);
      this.since?.documents.add(id);
    }
    this.revisionNumber++;
    if (this.documentWatchers.size > 0) this.documentsChanged(changes.map(([id]) => id));
    return { entries };
  }
}

/** How many words two documents share at their start, and then at their end (not overlapping it). */
function sharedEnds(a: Int32Array, b: Int32Array): [number, number] {
  const m = a.length;
  const n = b.length;
  let head = 0;
  while (head < m && head < n && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < m - head && tail < n - head && a[m - 1 - tail] === b[n - 1 - tail]) tail++;
  return [head, tail];
}

/**
 * As sharedEnds, for words with the same space before them (bits `x` of `a`, `y` of `b`), given
 * sharedEnds' `head`: the start needs no word compared again. The space before the first word is
 * in no pair, so it may differ (a chunk that starts with indentation, or no longer does) without
 * ending the shared start: otherwise the whole start would be unlearned and learned again.
 */
function sharedSpacing(a: Int32Array, b: Int32Array, head: number, x: Uint8Array, y: Uint8Array): [number, number] {
  const m = a.length;
  const n = b.length;
  let h = 0;
  // Whole bytes of bits first: the starts line up.
  while (h + 8 <= head && ((x[h >> 3] ^ y[h >> 3]) & (h === 0 ? 0xfe : 0xff)) === 0) h += 8;
  if (h === 0 && head > 0) h = 1;
  while (h < head && (((x[h >> 3] ^ y[h >> 3]) >> (h & 7)) & 1) === 0) h++;
  let t = 0;
  for (; t < m - h && t < n - h; t++) {
    const i = m - 1 - t;
    const j = n - 1 - t;
    if (a[i] !== b[j] || ((x[i >> 3] >> (i & 7)) & 1) !== ((y[j >> 3] >> (j & 7)) & 1)) break;
  }
  return [h, t];
}

/** A copy of `a` with room for `length` items. */
function grownTo<T extends Int32Array | Uint8Array>(a: T, length: number): T {
  const out = new (a.constructor as new (n: number) => T)(length);
  out.set(a);
  return out;
}

/** Whether a token starting with this character is a NEWLINE (the tokenizer's line breaks). */
function isLineBreak(code: number): boolean {
  return code === 10 || code === 13 || code === 0x2028 || code === 0x2029 || code === 0x85;
}

/** Whether `ids` follow at stream position p past the first `from` (a HOLE ends a document). */
function tailMatches(stream: Int32Array, p: number, ids: Int32Array, from: number): boolean {
  for (let k = from; k < ids.length; k++) if (stream[p + k] !== ids[k]) return false;
  return true;
}

function matchesAt(doc: Int32Array, at: number, ids: Int32Array): boolean {
  for (let k = 0; k < ids.length; k++) if (doc[at + k] !== ids[k]) return false;
  return true;
}

function countIn(doc: Int32Array, ids: Int32Array): number {
  let n = 0;
  for (let i = 0; i + ids.length <= doc.length; i++) if (matchesAt(doc, i, ids)) n++;
  return n;
}

/** An index with the live memory's own copy of its words and its spacing over the index's, made ahead (see prepareIndex). */
export interface PreparedIndex {
  memory: IndexedMemory;
  vocab: Vocabulary;
  spacing: LayeredSpacing;
}

/**
 * The copy a live memory makes of an index's words (it learns new ones on top), made between other
 * work (a few ms for millions of tokens), then installed at once; its spacing is the index's with
 * its own changes on top (LayeredSpacing), so the index's table is not copied.
 */
export function* prepareIndex(memory: IndexedMemory): Generator<void, PreparedIndex> {
  const vocab = memory.vocab.extended();
  yield;
  return { memory, vocab, spacing: new LayeredSpacing(memory.spacing, vocab) };
}

function ownGroup(id: string): string {
  return id;
}

/**
 * Adds a rebuild's snapshot to a builder: the index's documents it keeps and those learned since,
 * except the documents in `drop` and those the builder already learned (their newer version).
 */
export function addSnapshot(builder: IndexedMemoryBuilder, snapshot: RebuildSnapshot, drop: ReadonlySet<string> = new Set()): void {
  const without = new Set(snapshot.without);
  for (const id of drop) without.add(id);
  builder.keep(snapshot.base, without);
  const words = snapshot.words;
  for (const doc of snapshot.documents) {
    if (drop.has(doc.id) || builder.hasDocument(doc.id)) continue;
    const ids = Int32Array.from(doc.ids, (w) => (w === HOLE || words[w] === '' ? HOLE : builder.vocab.intern(words[w])));
    builder.addDocumentIds(doc.id, ids, doc.bits, true);
  }
}

function emptyMemory(order: number): IndexedMemory {
  return new IndexedMemoryBuilder({ order }).build();
}
