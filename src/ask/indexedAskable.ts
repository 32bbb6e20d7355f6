// The indexed memory (engine v2) as a memory to ask: every answer is read off its suffix index, whose
// ranges are an n-gram's occurrences (positions in the token stream), and its document table, which
// says which document and offset a stream position is. Origins (where each document's text began
// in its file) come from the record `train` writes beside the memory (origins.ts).
import type { IndexedMemory } from '../memory/indexedMemory';
import type { Range } from '../memory/suffixIndex';
import type { NextTokenScorer, Smoothing } from '../memory/levelScorer';
import type { SpacingVotes } from '../memory/spacing';
import type { Vocabulary } from '../memory/vocabulary';
import type { WordCount } from '../memory/types';
import type { DocumentOrigin, LocatingMemory, TokenOccurrence, WordFilter } from './askable';
import { lastAtMost, smallestPositions } from '../memory/sorted';
import { isSafeWord } from '../workspace/completionFilter';
import { boundedNeighbours, frequencyOrder } from './boundedNeighbours';
import { fileKeyOfDocument } from '../workspace/chunks';

/** Where each document of a memory came from (see origins.ts). */
export interface OriginLookup {
  get(document: string): DocumentOrigin | undefined;
}

const NOTHING_FORGOTTEN: ReadonlySet<string> = new Set();

/** A stream walk is tried when it should read this many times fewer tokens than the range holds. */
const STREAM_WALK_ADVANTAGE = 4;

export class IndexedAskable implements LocatingMemory {
  private readonly range: Range = { lo: 0, hi: 0 };
  private readonly documentIndex = new Map<string, number>();
  private joins: ChunkJoins | undefined;
  private lastCrossing: { ids: string; positions: number[] } | undefined;

  constructor(
    readonly memory: IndexedMemory,
    private readonly origins: OriginLookup | undefined,
    /**
     * Words the neighbour lists may show; the others are left out before the best are chosen. By
     * default none that looks secret, whatever the memory holds (as ghost text never shows one).
     */
    private readonly keep: WordFilter = (word) => isSafeWord(word, NOTHING_FORGOTTEN),
  ) {
    memory.documents.ids.forEach((id, i) => this.documentIndex.set(id, i));
  }

  // What the predictor needs (RankSource), as the memory answers it.
  get order(): number {
    return this.memory.order;
  }
  get vocab(): Vocabulary {
    return this.memory.vocab;
  }
  get tokenTotal(): number {
    return this.memory.tokenTotal;
  }
  createScorer(smoothing: Smoothing): NextTokenScorer {
    return this.memory.createScorer(smoothing);
  }
  unigramCount(id: number): number {
    return this.memory.unigramCount(id);
  }
  topWords(n: number): WordCount[] {
    return this.memory.topWords(n);
  }
  spacingVotes(prev: string, next: string, out: SpacingVotes): void {
    this.memory.spacingVotes(prev, next, out);
  }

  count(tokens: readonly string[]): number {
    return this.memory.count(tokens.slice());
  }

  following(word: string, limit: number): WordCount[] {
    return this.neighbours(word, limit, 1);
  }

  preceding(word: string, limit: number): WordCount[] {
    return this.neighbours(word, limit, -1);
  }

  /** The best words right after (side 1) or right before (side -1) the word. */
  private neighbours(word: string, limit: number, side: 1 | -1): WordCount[] {
    const id = this.memory.vocab.get(word);
    if (id === undefined) return [];
    const index = this.memory.index;
    const lo = index.wordLo(id);
    const hi = index.wordHi(id);
    const { tokens, positions } = index;
    return boundedNeighbours({
      names: this.memory.vocab.words,
      index,
      lo,
      hi,
      occurrences: hi - lo,
      neighbourAt: (i) => tokens[positions[i] + side],
      // After the word: its range narrowed by the next token (a range is sorted by the tokens
      // after its start). Before it: the neighbour's range narrowed by the word.
      pairCount: (x) => {
        if (side === 1) index.narrow(lo, hi, 1, x, this.range);
        else index.narrow(index.wordLo(x), index.wordHi(x), 1, id, this.range);
        return this.range.hi - this.range.lo;
      },
    }, limit, this.keep, this);
  }

  /** Index reads the neighbour lists have taken so far, about (a measure of their work, for tests). */
  steps = 0;

  prepare(): void {
    frequencyOrder(this.memory.index);
    this.chunkJoins();
  }

  occurrenceCount(tokens: readonly string[]): number {
    const ids = this.ids(tokens);
    if (!ids) return 0;
    return this.withinCount(ids) + this.crossing(ids).length;
  }

  /** Occurrences inside one document. */
  private withinCount(ids: Int32Array): number {
    const { lo, hi } = this.find(ids);
    if (ids.length <= this.order) return hi - lo;
    let n = 0;
    const positions = this.memory.index.positions;
    for (let i = lo; i < hi; i++) if (this.tailMatches(positions[i], ids)) n++;
    return n;
  }

  occurrences(tokens: readonly string[], limit: number, after = -1): TokenOccurrence[] {
    const ids = this.ids(tokens);
    if (!ids || limit <= 0) return [];
    const { lo, hi } = this.find(ids);
    const within = this.fromStream(ids, limit, after, hi - lo) ?? this.fromRange(ids, limit, after, lo, hi);
    const across = this.crossing(ids).filter((p) => p > after);
    const chosen = across.length === 0 ? within : [...within, ...across].sort((a, b) => a - b).slice(0, limit);
    const { ids: documents, starts, lengths } = this.memory.documents;
    return chosen.map((p) => {
      const d = lastAtMost(starts, p);
      const occurrence: TokenOccurrence = { document: documents[d], offset: p - starts[d], key: p };
      if (p + ids.length > starts[d] + lengths[d]) {
        // It runs on into the next chunks of the file: as many as its remaining tokens reach.
        const continues: string[] = [];
        for (let e = d + 1, left = p + ids.length - (starts[d] + lengths[d]); left > 0; left -= lengths[e], e++) continues.push(documents[e]);
        occurrence.continues = continues;
      }
      return occurrence;
    });
  }

  /**
   * Stream positions (ascending) where the sequence starts in one document and runs on into the
   * next chunks of the same file, across the HOLEs that separate them in the stream (a file is
   * learned as chunks, and the index knows no n-gram across a HOLE). For each split of the
   * sequence, the joins whose chunk before ends with its first part (searched among the joins
   * sorted by the tokens before them) or whose chunks after begin with the rest (sorted by the
   * tokens after them), whichever are fewer, are checked in full: a few binary searches of the
   * joins per split, plus the joins that share up to `order` tokens with the sequence there.
   */
  private crossing(ids: Int32Array): number[] {
    const n = ids.length;
    if (n < 2) return [];
    // A question asks the count and then the first occurrences of the same sequence.
    const asked = ids.join(',');
    if (this.lastCrossing?.ids === asked) return this.lastCrossing.positions;
    const positions = this.crossingNow(ids);
    this.lastCrossing = { ids: asked, positions };
    return positions;
  }

  private crossingNow(ids: Int32Array): number[] {
    const n = ids.length;
    const joins = this.chunkJoins();
    if (joins.holes.length === 0) return [];
    const out: number[] = [];
    const key = new Int32Array(this.order);
    for (let split = 1; split < n; split++) {
      // Chunks end at line ends (a line longer than a chunk is the rare exception): only a split
      // after a token that ends some chunk can cross.
      if (!joins.lastTokens.has(ids[split - 1])) continue;
      // The rest, as the tokens after a join read: ids[split..], at most `order` of them.
      const a = Math.min(n - split, this.order);
      for (let k = 0; k < a; k++) key[k] = ids[split + k];
      const [afterLo, afterHi] = this.joinRange(joins.byAfter, key, a, (h, k) => this.afterJoin(h, k));
      if (afterLo === afterHi) continue;
      // The first part backwards, as the tokens before a join read.
      const b = Math.min(split, this.order);
      for (let k = 0; k < b; k++) key[k] = ids[split - 1 - k];
      const [beforeLo, beforeHi] = this.joinRange(joins.byBefore, key, b, (h, k) => this.beforeJoin(h, k));
      if (beforeLo === beforeHi) continue;
      const [list, lo, hi] = afterHi - afterLo <= beforeHi - beforeLo ? [joins.byAfter, afterLo, afterHi] : [joins.byBefore, beforeLo, beforeHi];
      for (let i = lo; i < hi; i++) {
        const h = joins.holes[list[i]];
        if (this.crossesAt(h, ids, split)) out.push(h - split);
      }
    }
    return out.sort((x, y) => x - y);
  }

  /** Whether the sequence, split at `split`, ends the chunk before HOLE h and goes on after it. */
  private crossesAt(h: number, ids: Int32Array, split: number): boolean {
    const stream = this.memory.index.tokens;
    // The chunk before (no HOLE inside: a HOLE never equals a word id) ends with ids[0..split).
    for (let k = 0; k < split; k++) if (h - 1 - k < 0 || stream[h - 1 - k] !== ids[split - 1 - k]) return false;
    let p = h + 1;
    for (let k = split; k < ids.length; k++, p++) {
      if (stream[p] === 0) {
        if (!this.chunkJoins().isJoin(p)) return false;
        p++;
      }
      if (stream[p] !== ids[k]) return false;
    }
    return true;
  }

  /** The k-th token after join HOLE h, on through later joins (-1 past the file's last chunk). */
  private afterJoin(h: number, k: number): number {
    const stream = this.memory.index.tokens;
    const joins = this.chunkJoins();
    let p = h + 1;
    for (let i = 0; ; i++, p++) {
      if (p >= stream.length) return -1;
      if (stream[p] === 0) {
        if (!joins.isJoin(p)) return -1;
        p++;
      }
      if (i === k) return stream[p];
    }
  }

  /** The k-th token before join HOLE h, in the chunk before it (-1 past that chunk's start). */
  private beforeJoin(h: number, k: number): number {
    const t = h - 1 - k;
    const stream = this.memory.index.tokens;
    if (t < 0) return -1;
    for (let q = h - 1; q >= t; q--) if (stream[q] === 0) return -1;
    return stream[t];
  }

  /** The range of `sorted` (joins by the tokens `read` gives) that begin with key[0..length). */
  private joinRange(sorted: Int32Array, key: Int32Array, length: number, read: (h: number, k: number) => number): [number, number] {
    const holes = this.chunkJoins().holes;
    const compare = (i: number) => {
      const h = holes[sorted[i]];
      for (let k = 0; k < length; k++) {
        const t = read(h, k);
        if (t !== key[k]) return t < key[k] ? -1 : 1;
      }
      return 0;
    };
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(mid) < 0) lo = mid + 1;
      else hi = mid;
    }
    let end = lo;
    let top = sorted.length;
    while (end < top) {
      const mid = (end + top) >>> 1;
      if (compare(mid) <= 0) end = mid + 1;
      else top = mid;
    }
    return [lo, end];
  }

  /**
   * The joins between chunks: each HOLE between two documents that are consecutive chunks of one
   * file (the same file key, and the later one beginning later in the file where origins say
   * where), sorted two ways for `crossing`. Built once, on first use: three integers per join and
   * a byte per document.
   */
  private chunkJoins(): ChunkJoins {
    if (this.joins) return this.joins;
    const { ids, starts } = this.memory.documents;
    const follows = new Uint8Array(ids.length);
    const holes: number[] = [];
    for (let d = 1; d < ids.length; d++) {
      if (fileKeyOfDocument(ids[d]) !== fileKeyOfDocument(ids[d - 1]) || fileKeyOfDocument(ids[d]) === ids[d]) continue;
      const before = this.origins?.get(ids[d - 1]);
      const after = this.origins?.get(ids[d]);
      if (before && after && (after.file !== before.file || after.line < before.line || (after.line === before.line && after.column <= before.column))) continue;
      follows[d] = 1;
      holes.push(starts[d] - 1);
    }
    const isJoin = (p: number) => {
      const d = lastAtMost(starts, p + 1);
      return d >= 0 && starts[d] === p + 1 && follows[d] === 1;
    };
    const lastTokens = new Set<number>();
    for (const h of holes) lastTokens.add(this.memory.index.tokens[h - 1]);
    const joins: ChunkJoins = { holes: Int32Array.from(holes), byAfter: new Int32Array(0), byBefore: new Int32Array(0), isJoin, lastTokens };
    this.joins = joins;
    // Sorted on their first `order` tokens each way, read once into a scratch array.
    const K = this.order;
    const by = (read: (h: number, k: number) => number) => {
      const keys = new Int32Array(holes.length * K);
      holes.forEach((h, j) => {
        for (let k = 0; k < K; k++) if ((keys[j * K + k] = read(h, k)) === -1) break;
      });
      return Int32Array.from(holes.keys()).sort((x, y) => {
        for (let k = 0; k < K; k++) {
          const a = keys[x * K + k];
          const b = keys[y * K + k];
          if (a !== b) return a - b;
          if (a === -1) break;
        }
        return x - y;
      });
    };
    joins.byAfter = by((h, k) => this.afterJoin(h, k));
    joins.byBefore = by((h, k) => this.beforeJoin(h, k));
    return joins;
  }

  /**
   * The smallest stream positions above `after` where the sequence starts, from its range (sorted
   * by what follows, not by position): one pass keeping the best `limit` in a sorted array.
   */
  private fromRange(ids: Int32Array, limit: number, after: number, lo: number, hi: number): number[] {
    const long = ids.length > this.order;
    return smallestPositions(this.memory.index.positions, lo, hi, after, limit, (p) => !long || this.tailMatches(p, ids));
  }

  /**
   * The same read off the stream itself, for a frequent sequence: walking forwards from `after`
   * meets `limit` occurrences after about limit x total / count tokens, where the range holds
   * `count` positions to read. Gives up (undefined) past a few times the range's size.
   */
  private fromStream(ids: Int32Array, limit: number, after: number, count: number): number[] | undefined {
    const stream = this.memory.index.tokens;
    const expected = (limit * stream.length) / Math.max(1, count);
    if (expected * STREAM_WALK_ADVANTAGE > count) return undefined;
    const budget = Math.min(stream.length, Math.max(0, after + 1) + count * STREAM_WALK_ADVANTAGE);
    const first = ids[0];
    const n = ids.length;
    const chosen: number[] = [];
    for (let p = Math.max(0, after + 1); p < budget; p++) {
      if (stream[p] !== first) continue;
      let k = 1;
      while (k < n && stream[p + k] === ids[k]) k++;
      if (k === n && chosen.push(p) === limit) return chosen;
    }
    return budget === stream.length ? chosen : undefined;
  }

  documentTokens(document: string, from: number, to: number): string[] | undefined {
    const d = this.documentIndex.get(document);
    if (d === undefined) return undefined;
    const start = this.memory.documents.starts[d];
    const end = Math.min(to, this.memory.documents.lengths[d]);
    const stream = this.memory.index.tokens;
    const words = this.memory.vocab.words;
    const out: string[] = [];
    for (let k = Math.max(0, from); k < end; k++) out.push(words[stream[start + k]]);
    return out;
  }

  documentOrigin(document: string): DocumentOrigin | undefined {
    return this.origins?.get(document);
  }

  /** The word ids of the tokens, or undefined when one is unknown (it then occurs nowhere). */
  private ids(tokens: readonly string[]): Int32Array | undefined {
    if (tokens.length === 0) return undefined;
    const ids = new Int32Array(tokens.length);
    for (let i = 0; i < tokens.length; i++) {
      const id = this.memory.vocab.get(tokens[i]);
      if (id === undefined || id === 0) return undefined;
      ids[i] = id;
    }
    return ids;
  }

  /** The range of the sequence's first `order` tokens (the index knows no longer n-grams). */
  private find(ids: Int32Array): Range {
    this.memory.index.find(ids, 0, Math.min(ids.length, this.order), this.range);
    return this.range;
  }

  /** Whether the tokens past the order follow at stream position p (a HOLE ends a document). */
  private tailMatches(p: number, ids: Int32Array): boolean {
    const stream = this.memory.index.tokens;
    for (let k = this.order; k < ids.length; k++) if (stream[p + k] !== ids[k]) return false;
    return true;
  }
}

/** The HOLEs between consecutive chunks of a file (see IndexedAskable.chunkJoins). */
interface ChunkJoins {
  /** Stream positions, ascending. */
  holes: Int32Array;
  /** Indexes into holes, by the tokens after each (through later joins), then by the tokens before it, backwards. */
  byAfter: Int32Array;
  byBefore: Int32Array;
  /** Whether the HOLE at stream position p is one of them. */
  isJoin: (p: number) => boolean;
  /** The tokens that end a chunk before a join (a line break, nearly always). */
  lastTokens: Set<number>;
}

