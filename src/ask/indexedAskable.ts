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
  /** Per word id, a count (for `preceding`); zeroed again after each use. */
  private tally: Int32Array | undefined;

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
    const id = this.memory.vocab.get(word);
    if (id === undefined) return [];
    const index = this.memory.index;
    const words = this.memory.vocab.words;
    const out: WordCount[] = [];
    // The word's range is sorted by the token after it: each follower is one run.
    index.forEachChild(index.wordLo(id), index.wordHi(id), 1, (w, lo, hi) => out.push({ word: words[w], count: hi - lo }));
    return best(out, limit, this.keep);
  }

  preceding(word: string, limit: number): WordCount[] {
    const id = this.memory.vocab.get(word);
    if (id === undefined) return [];
    const { tokens, positions } = this.memory.index;
    const lo = this.memory.index.wordLo(id);
    const hi = this.memory.index.wordHi(id);
    // No index is sorted by the token before: read it at every occurrence (linear in the count).
    const tally = (this.tally ??= new Int32Array(this.memory.index.vocabularySize));
    const seen: number[] = [];
    for (let i = lo; i < hi; i++) {
      const w = tokens[positions[i] - 1];
      if (w === 0) continue; // a document's start
      if (tally[w]++ === 0) seen.push(w);
    }
    const words = this.memory.vocab.words;
    const out = seen.map((w) => ({ word: words[w], count: tally[w] }));
    for (const w of seen) tally[w] = 0;
    return best(out, limit, this.keep);
  }

  occurrenceCount(tokens: readonly string[]): number {
    const ids = this.ids(tokens);
    if (!ids) return 0;
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
    const chosen = this.fromStream(ids, limit, after, hi - lo) ?? this.fromRange(ids, limit, after, lo, hi);
    const { ids: documents, starts } = this.memory.documents;
    return chosen.map((p) => {
      const d = lastAtMost(starts, p);
      return { document: documents[d], offset: p - starts[d], key: p };
    });
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

/** The `limit` most frequent words kept, ties by word (so answers never depend on storage order). */
function best(list: WordCount[], limit: number, keep: WordFilter): WordCount[] {
  list = list.filter((w) => keep(w.word));
  list.sort((a, b) => b.count - a.count || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
  return list.slice(0, Math.max(0, limit));
}
