// The extension's memories as memories to ask (src/ask/askable.ts). Pure (no vscode): the live
// memory of the workspace answers all three questions; the team memory's live memory (collaborators'
// text, share/teamMemory.ts) is asked the same way but only for `complete` and `neighbors`: their
// files are not here to show, so it goes to the asker as a CountingMemory, never to `find`.
//
// The memory is read through a getter on every call: the host swaps its local memory when a saved
// one is loaded, and an answer must come from the memory in use at that moment.
import { boundedNeighbours, frequencyOrder } from '../../ask/boundedNeighbours';
import type { DocumentOrigin, LocatingMemory, TokenOccurrence, WordFilter } from '../../ask/askable';
import type { NextTokenScorer, Smoothing } from '../../memory/levelScorer';
import type { LiveMemory } from '../../memory/liveMemory';
import type { Memory } from '../../memory/memory';
import type { SpacingVotes } from '../../memory/spacing';
import type { WordCount } from '../../memory/types';
import type { Vocabulary } from '../../memory/vocabulary';

/** Where a live memory document (a chunk of a workspace file) begins in that file now. */
export type OriginLookup = (document: string) => DocumentOrigin | undefined;


/** The RankSource members, read off whichever memory the getter gives now. */
abstract class Delegating<M extends LiveMemory | Memory> {
  constructor(
    protected readonly memory: () => M,
    /** Words the neighbour lists may show; the others are left out before the best are chosen. */
    protected readonly keep: WordFilter = () => true,
  ) {}
  get order(): number {
    return this.memory().order;
  }
  get vocab(): Vocabulary {
    return this.memory().vocab;
  }
  get tokenTotal(): number {
    return this.memory().tokenTotal;
  }
  createScorer(smoothing: Smoothing): NextTokenScorer {
    return this.memory().createScorer(smoothing);
  }
  unigramCount(id: number): number {
    return this.memory().unigramCount(id);
  }
  topWords(n: number): WordCount[] {
    return this.memory().topWords(n);
  }
  spacingVotes(prev: string, next: string, out: SpacingVotes): void {
    this.memory().spacingVotes(prev, next, out);
  }
  count(tokens: readonly string[]): number {
    if (tokens.length === 0 || tokens.length > this.order) return 0;
    return this.memory().count(tokens.slice());
  }
}

export class LiveAskable extends Delegating<LiveMemory> implements LocatingMemory {
  /**
   * @param origins where a document begins in its file now: only documents whose chunk is still
   *   in the file's current text have one (see learnedText.ts), so stale places are never shown.
   */
  constructor(
    memory: () => LiveMemory,
    private readonly origins: OriginLookup = () => undefined,
    keep?: WordFilter,
  ) {
    super(memory, keep);
  }

  following(word: string, limit: number): WordCount[] {
    const id = this.wordId(word);
    return id === undefined ? [] : this.neighbours(id, 1, limit);
  }

  preceding(word: string, limit: number): WordCount[] {
    const id = this.wordId(word);
    return id === undefined ? [] : this.neighbours(id, -1, limit);
  }

  /** Index reads and tokens the neighbour lists have taken so far, about (a measure of their work, for tests). */
  steps = 0;

  /** Builds what the first neighbour list would otherwise build (the index's words by frequency). */
  prepare(): void {
    frequencyOrder(this.memory().index);
  }

  /**
   * The `limit` best words seen right after word `id` (side 1) or before it (-1), as the index's
   * counts and the changes since make them: exact, and bounded (see boundedNeighbours), as this
   * runs on the extension host's thread.
   */
  private neighbours(id: number, side: 1 | -1, limit: number): WordCount[] {
    const memory = this.memory();
    // Without pairs in the index (order 1) only every occurrence can tell.
    if (memory.order < 2) return best(side === 1 ? memory.following(id) : memory.preceding(id), limit, this.keep);
    const index = memory.index;
    const lo = index.wordLo(id);
    const hi = index.wordHi(id);
    const { tokens, positions } = index;
    return boundedNeighbours({
      names: memory.words,
      index,
      lo,
      hi,
      occurrences: memory.unigramCount(id),
      neighbourAt: (i) => tokens[positions[i] + side],
      pairCount: side === 1 ? (x) => memory.pairCount(id, x) : (x) => memory.pairCount(x, id),
      get raised() {
        return memory.raisedWords();
      },
      changes: (add) => memory.neighbourChanges(id, side, add),
    }, limit, this.keep, this);
  }

  occurrenceCount(tokens: readonly string[]): number {
    const ids = this.ids(tokens);
    return ids ? this.memory().occurrenceCount(ids) : 0;
  }

  occurrences(tokens: readonly string[], limit: number, after?: number): TokenOccurrence[] {
    const ids = this.ids(tokens);
    return ids ? this.memory().occurrences(ids, limit, after) : [];
  }

  documentTokens(document: string, from: number, to: number): string[] | undefined {
    return this.memory().documentTokens(document)?.slice(Math.max(0, from), Math.max(0, to));
  }

  documentOrigin(document: string): DocumentOrigin | undefined {
    return this.memory().hasDocument(document) ? this.origins(document) : undefined;
  }

  /** A word's id; undefined for an unknown word and for the hole a forgotten word left (id 0). */
  private wordId(word: string): number | undefined {
    const id = this.memory().vocab.get(word);
    return id === undefined || id <= 0 ? undefined : id;
  }

  /** The word ids of a token sequence, or undefined when one is unknown (it then occurs nowhere). */
  private ids(tokens: readonly string[]): Int32Array | undefined {
    if (tokens.length === 0) return undefined;
    const ids = new Int32Array(tokens.length);
    for (let i = 0; i < tokens.length; i++) {
      const id = this.wordId(tokens[i]);
      if (id === undefined) return undefined;
      ids[i] = id;
    }
    return ids;
  }
}

/** The `limit` most frequent words kept, ties by word (answers never depend on storage order). */
function best(list: WordCount[], limit: number, keep: WordFilter): WordCount[] {
  const kept = list.filter((w) => w.word !== '' && keep(w.word));
  kept.sort((a, b) => b.count - a.count || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
  return kept.slice(0, Math.max(0, limit));
}
