// Engine v2: a memory whose counts are read from a suffix index over the token stream of its
// documents (suffixIndex.ts) instead of being kept per n-gram. It costs what the text costs (about
// 10-11 bytes per token in memory and on disk, against 80-100 for the trie at order 8), keeps where each
// n-gram occurs, and predicts exactly as the trie memory (memory.ts) does for the same documents.
//
// It is immutable: an IndexedMemoryBuilder learns documents (whole, or by replacing and removing
// those of an earlier memory) and builds one. Learning a document again replaces its contribution
// and removing it removes it, bit for bit, because the index is built from the documents alone.
import { buildSuffixIndexInSteps, type Range, type SuffixIndex } from './suffixIndex';
import { IndexScorer } from './indexScorer';
import type { NextTokenScorer, Smoothing } from './levelScorer';
import { SpacingTable, type SpacingVotes } from './spacing';
import { tokenizeWithSpacing } from './tokenizer';
import { HOLE, Vocabulary } from './vocabulary';
import { NEWLINE, type MemoryStats, type WordCount } from './types';
import { DEFAULT_ORDER, MAX_ORDER, type Memory } from './memory';
import { runSteps } from './steps';
import { decodeIds } from './varint';

/** Where each document lies in the stream: ids, first token, token count. */
export interface DocumentTable {
  ids: string[];
  starts: Float64Array;
  lengths: Int32Array;
}

/** What keep() reads of a memory: its documents' words and spacing (an IndexedMemory, or its parts sent to another thread). */
export interface KeptDocuments {
  readonly order: number;
  readonly vocab: { readonly words: readonly string[] };
  readonly documents: DocumentTable;
  readonly index: { readonly tokens: Int32Array };
  readonly spacedBits: Uint8Array;
}

export class IndexedMemory {
  readonly order: number;
  private readonly range: Range = { lo: 0, hi: 0 };
  private readonly docIndex = new Map<string, number>();

  /** Use IndexedMemoryBuilder.build or the codec: the parts must describe one consistent memory. */
  constructor(
    readonly vocab: Vocabulary,
    /** @internal */
    readonly spacing: SpacingTable,
    readonly index: SuffixIndex,
    readonly documents: DocumentTable,
    /** Bit i set: whitespace preceded stream token i. */
    readonly spacedBits: Uint8Array,
  ) {
    this.order = index.order;
    documents.ids.forEach((id, i) => this.docIndex.set(id, i));
  }

  /** Number of tokens counted. */
  get tokenTotal(): number {
    return this.index.total;
  }

  createScorer(smoothing: Smoothing): NextTokenScorer {
    return new IndexScorer(this.index, this.vocab.words, smoothing);
  }

  stats(): MemoryStats {
    const byOrder = this.index.liveByOrder.slice(1);
    return {
      order: this.order,
      documents: this.documents.ids.length,
      tokens: this.index.total,
      vocabulary: this.index.liveByOrder[1],
      ngrams: byOrder.reduce((a, b) => a + b, 0),
      ngramsByOrder: byOrder,
      bytes: this.bytes,
    };
  }

  /** Bytes of the arrays this memory holds (index, spacing, document bits), words not included. */
  get bytes(): number {
    return this.index.bytes + this.spacing.bytes + this.spacedBits.byteLength + this.documents.starts.byteLength + this.documents.lengths.byteLength;
  }

  /** The raw count of an n-gram of any length up to the order (0 when unknown). */
  count(ngram: string[]): number {
    if (ngram.length === 0 || ngram.length > this.order) return 0;
    const ids = new Int32Array(ngram.length);
    for (let i = 0; i < ngram.length; i++) {
      const id = this.vocab.get(ngram[i]);
      if (id === undefined) return 0;
      ids[i] = id;
    }
    this.index.find(ids, 0, ids.length, this.range);
    return this.range.hi - this.range.lo;
  }

  wordCount(word: string): number {
    const id = this.vocab.get(word);
    return id === undefined ? 0 : this.unigramCount(id);
  }

  unigramCount(id: number): number {
    return this.index.wordHi(id) - this.index.wordLo(id);
  }

  /** The `n` most frequent words (NEWLINE excluded), most frequent first, ties by word. */
  topWords(n: number): WordCount[] {
    const out: WordCount[] = [];
    const words = this.vocab.words;
    const newline = this.vocab.get(NEWLINE);
    for (let w = 1; w < this.index.vocabularySize; w++) {
      const c = this.unigramCount(w);
      if (c > 0 && w !== newline) out.push({ word: words[w], count: c });
    }
    out.sort((a, b) => b.count - a.count || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
    return out.slice(0, Math.max(0, n));
  }

  spacingVotes(prev: string, next: string, out: SpacingVotes): void {
    this.spacing.votes(prev, next, out);
  }

  hasDocument(id: string): boolean {
    return this.docIndex.has(id);
  }

  documentIds(): string[] {
    return this.documents.ids.slice();
  }

  /** A document's word ids (a view of the stream: not to be changed) and spacing bits. */
  documentIdsAndBits(id: string): { ids: Int32Array; bits: Uint8Array } | undefined {
    const i = this.docIndex.get(id);
    if (i === undefined) return undefined;
    const start = this.documents.starts[i];
    const n = this.documents.lengths[i];
    const bits = new Uint8Array((n + 7) >> 3);
    const all = this.spacedBits;
    for (let k = 0; k < n; k++) {
      const g = start + k;
      if ((all[g >> 3] >> (g & 7)) & 1) bits[k >> 3] |= 1 << (k & 7);
    }
    return { ids: this.index.tokens.subarray(start, start + n), bits };
  }

  /** The tokens a document contributes. */
  documentTokens(id: string): string[] | undefined {
    const i = this.docIndex.get(id);
    if (i === undefined) return undefined;
    const start = this.documents.starts[i];
    const out: string[] = [];
    for (let k = 0; k < this.documents.lengths[i]; k++) out.push(this.vocab.words[this.index.tokens[start + k]]);
    return out;
  }
}

/**
 * Learns documents into a new IndexedMemory. Tokens are appended to a growable shared buffer: it
 * reserves address space up front and grows in place, so the stream is never copied (not at each
 * growth, nor when it is built), and a parallel build's threads read it where it is.
 */
export class IndexedMemoryBuilder {
  readonly order: number;
  readonly vocab: Vocabulary;
  readonly spacing: SpacingTable;
  private readonly newlineId: number;
  private readonly buffer = new SharedArrayBuffer(INITIAL_TOKENS * 4, { maxByteLength: MAX_TOKENS * 4 });
  /** Tracks the buffer's length as it grows. */
  private readonly stream = new Int32Array(this.buffer);
  private used = 0;
  private streamLength = 0;
  private readonly bitChunks: Uint8Array[] = [];
  private bits: Uint8Array;
  private readonly ids: string[] = [];
  private readonly starts: number[] = [];
  private readonly lengths: number[] = [];
  private readonly known = new Set<string>();
  private joinedBits = new Uint8Array(0);

  constructor(options: { order?: number } = {}) {
    const order = options.order ?? DEFAULT_ORDER;
    if (!Number.isInteger(order) || order < 1 || order > MAX_ORDER) {
      throw new RangeError(`order must be an integer from 1 to ${MAX_ORDER}, got ${order}`);
    }
    this.order = order;
    this.bits = new Uint8Array(CHUNK >> 3);
    this.vocab = new Vocabulary();
    this.newlineId = this.vocab.intern(NEWLINE);
    this.spacing = new SpacingTable(this.vocab);
    this.append(HOLE, false); // the stream starts with HOLE
  }

  /** Learns a document (a document id may be learned once per build). */
  addDocument(id: string, text: string): void {
    const { tokens, spaced } = tokenizeWithSpacing(text);
    this.addTokens(id, tokens, spaced);
  }

  /** Like addDocument for an already tokenized text (no spacing is learned from it). */
  addDocumentTokens(id: string, tokens: string[]): void {
    for (const t of tokens) {
      if (typeof t !== 'string' || t.length === 0) throw new RangeError('tokens must be non-empty strings');
    }
    this.addTokens(id, tokens, undefined);
  }

  hasDocument(id: string): boolean {
    return this.known.has(id);
  }

  get tokens(): number {
    return this.streamLength - this.ids.length - 1;
  }

  private addTokens(id: string, tokens: string[], spaced: boolean[] | undefined): void {
    const ids = new Int32Array(tokens.length);
    for (let i = 0; i < tokens.length; i++) ids[i] = this.vocab.intern(tokens[i]);
    let bits: Uint8Array | undefined;
    if (spaced) {
      bits = new Uint8Array((ids.length + 7) >> 3);
      for (let i = 0; i < spaced.length; i++) if (spaced[i]) bits[i >> 3] |= 1 << (i & 7);
    }
    this.addDocumentIds(id, ids, bits);
  }

  /**
   * Learns a document already numbered with this builder's word ids (vocab.intern), with its
   * spacing bits (bit i: whitespace before token i) when known; `holes` allows HOLE in it.
   */
  addDocumentIds(id: string, ids: Int32Array, bits: Uint8Array | undefined, holes = false): void {
    if (this.known.has(id)) throw new RangeError(`document ${id} was learned twice`);
    const least = holes ? 0 : 1; // with `holes`, HOLE may stand for forgotten words
    for (let i = 0; i < ids.length; i++) {
      if (!(ids[i] >= least && ids[i] < this.vocab.size)) throw new RangeError(`document ${id} holds an unknown word id ${ids[i]}`);
    }
    this.known.add(id);
    if (bits) this.spacing.apply(ids, bits, 0, ids.length, 1, this.newlineId);
    this.addIds(id, ids, bits);
  }

  private addIds(id: string, ids: Int32Array, bits: Uint8Array | undefined): void {
    this.ids.push(id);
    this.starts.push(this.streamLength);
    this.lengths.push(ids.length);
    for (let i = 0; i < ids.length; i++) this.append(ids[i], bits !== undefined && ((bits[i >> 3] >> (i & 7)) & 1) === 1);
    this.append(HOLE, false); // ends the document
  }

  /**
   * Carries over the documents of `from` that are not in `without` (their words and spacing): how
   * an immutable memory learns files again or drops them. Documents learned here already win.
   */
  keep(from: KeptDocuments, without: ReadonlySet<string>): void {
    if (from.order !== this.order) throw new RangeError(`cannot keep documents of an order ${from.order} memory in an order ${this.order} one`);
    const { ids, starts, lengths } = from.documents;
    const words = from.vocab.words;
    const stream = from.index.tokens;
    for (let d = 0; d < ids.length; d++) {
      if (without.has(ids[d]) || this.known.has(ids[d])) continue;
      this.known.add(ids[d]);
      const start = starts[d];
      const n = lengths[d];
      const local = new Int32Array(n);
      const bits = new Uint8Array((n + 7) >> 3);
      for (let i = 0; i < n; i++) {
        const t = stream[start + i];
        local[i] = t === HOLE ? HOLE : this.vocab.intern(words[t]);
        const g = start + i;
        if ((from.spacedBits[g >> 3] >> (g & 7)) & 1) bits[i >> 3] |= 1 << (i & 7);
      }
      this.spacing.apply(local, bits, 0, n, 1, this.newlineId);
      this.addIds(ids[d], local, bits);
    }
  }

  /**
   * Carries over the documents of a trie memory (engine v1) not in `without`, with their spacing:
   * how a memory saved by the previous engine is converted, exactly (the same documents give the
   * same predictions in both engines).
   */
  keepTrie(from: Memory, without: ReadonlySet<string> = new Set()): void {
    if (from.order !== this.order) throw new RangeError(`cannot keep documents of an order ${from.order} memory in an order ${this.order} one`);
    const words = from.vocab.words;
    for (const doc of from.documentRecords()) {
      if (without.has(doc.id) || this.known.has(doc.id)) continue;
      const ids = decodeIds(doc.ids, doc.length);
      if (!ids) throw new RangeError(`document ${doc.id} of the trie memory is corrupt`);
      this.known.add(doc.id);
      for (let i = 0; i < ids.length; i++) ids[i] = ids[i] === HOLE || words[ids[i]] === '' ? HOLE : this.vocab.intern(words[ids[i]]);
      if (doc.spacing) this.spacing.apply(ids, doc.spacing, 0, ids.length, 1, this.newlineId);
      this.addIds(doc.id, ids, doc.spacing);
    }
  }

  private append(token: number, spaced: boolean): void {
    if (this.used === CHUNK) {
      this.bitChunks.push(this.bits);
      this.bits = new Uint8Array(CHUNK >> 3);
      this.used = 0;
    }
    if (this.streamLength === this.stream.length) {
      if (this.streamLength === MAX_TOKENS) throw new RangeError(`a memory holds at most ${MAX_TOKENS.toLocaleString('en-US')} tokens`);
      this.buffer.grow(Math.min(MAX_TOKENS, this.streamLength * 2) * 4);
    }
    if (spaced) this.bits[this.used >> 3] |= 1 << (this.used & 7);
    this.used++;
    this.stream[this.streamLength++] = token;
  }

  /** Builds the memory (the builder must not be used afterwards). */
  build(): IndexedMemory {
    return runSteps(this.buildInSteps());
  }

  /** build() as a generator yielding a word for each phase (for progress reports). */
  *buildInSteps(): Generator<string, IndexedMemory> {
    const tokens = this.joinStream();
    yield 'joined';
    const index = yield* buildSuffixIndexInSteps(tokens, this.vocab.words, this.order);
    return this.finish(index);
  }

  /**
   * Builds the memory with an index built elsewhere (e.g. on several threads): `buildIndex` gets
   * the stream, on shared memory, with the vocabulary and order.
   */
  async buildWith(buildIndex: (tokens: Int32Array, words: readonly string[], order: number) => Promise<SuffixIndex>): Promise<IndexedMemory> {
    return this.finish(await buildIndex(this.joinStream(), this.vocab.words, this.order));
  }

  /** The stream as one array (a view of the shared buffer, not a copy); spacing bits joined. */
  private joinStream(): Int32Array {
    const n = this.streamLength;
    const spacedBits = new Uint8Array((n + 7) >> 3);
    let at = 0;
    for (let c = 0; c < this.bitChunks.length; c++) {
      spacedBits.set(this.bitChunks[c], at >> 3);
      at += CHUNK;
    }
    spacedBits.set(this.bits.subarray(0, (this.used + 7) >> 3), at >> 3);
    this.bitChunks.length = 0;
    this.joinedBits = spacedBits;
    return new Int32Array(this.buffer, 0, n);
  }

  private finish(index: SuffixIndex): IndexedMemory {
    const spacedBits = this.joinedBits;
    const documents: DocumentTable = {
      ids: this.ids,
      starts: Float64Array.from(this.starts),
      lengths: Int32Array.from(this.lengths),
    };
    return new IndexedMemory(this.vocab, this.spacing, index, documents, spacedBits);
  }
}

/** Stream tokens per chunk (a multiple of 8, so spacing bits split on byte boundaries). */
const CHUNK = 1 << 20;
/** The stream's first room, and the most tokens one memory holds (4 GiB of address space). */
const INITIAL_TOKENS = 1 << 16;
const MAX_TOKENS = 2 ** 30 - 1;
