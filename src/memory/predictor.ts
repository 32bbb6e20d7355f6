// Predictions over one or more memories (the local layer and the team layer) and an optional
// recency cache of the current document, mixed dynamically: each source weighs by the length of
// the longest context it matched and the evidence behind it.
import { CompletionCaches } from './completionCaches';
import { DEFAULT_MAX_WORDS, DEFAULT_MIN_CONFIDENCE, searchContinuation, type Ranked } from './continuation';
import { PrefixIndex } from './prefixIndex';
import { RecencyCache } from './recencyCache';
import type { NextTokenScorer, Smoothing } from './levelScorer';
import type { SpacingVotes } from './spacing';
import type { Vocabulary } from './vocabulary';
import { endsInsideWord, tokenize } from './tokenizer';
import type { CompleteOptions, CompletionResult, Prediction, WordCount } from './types';

/** What the predictor needs of a memory, whichever engine holds its counts. */
export interface RankSource {
  readonly order: number;
  readonly vocab: Vocabulary;
  /** Number of tokens counted (0: the memory is empty). */
  readonly tokenTotal: number;
  createScorer(smoothing: Smoothing): NextTokenScorer;
  unigramCount(id: number): number;
  topWords(n: number): WordCount[];
  spacingVotes(prev: string, next: string, out: SpacingVotes): void;
}

export { RecencyCache };

export interface PredictorOptions {
  smoothing?: Smoothing;
  /**
   * Dynamic mixing of memories and cache: each source's weight grows with the length of the
   * longest context it matched (to this power) and with the evidence behind that context.
   */
  mixDepthPower?: number;
  /** Observations behind a context that give a source half of its depth weight. */
  mixEvidenceHalf?: number;
}

/** The recency cache of a document matches longer contexts than the memory: in-file repeats. */
const CACHE_ORDER = 10;
/** Characters before the cursor that are tokenized for the prediction context. */
const CONTEXT_CHARS = 1024;
/** Candidates kept per memory before mixing (more than asked, so mixing can reorder). */
const POOL_EXTRA = 12;

interface Pool {
  tokens: string[];
  probs: number[];
  longest: number;
  evidence: number;
}

export class Predictor {
  private readonly scorers = new Map<RankSource, NextTokenScorer>();
  private readonly prefixIndexes = new Map<RankSource, PrefixIndex>();
  private readonly caches: CompletionCaches;
  private readonly smoothing: Smoothing;
  private readonly mixDepthPower: number;
  private readonly mixEvidenceHalf: number;

  constructor(
    private readonly memories: RankSource[],
    options: PredictorOptions = {},
  ) {
    this.smoothing = options.smoothing ?? 'mkn';
    this.mixDepthPower = options.mixDepthPower ?? 2;
    this.mixEvidenceHalf = options.mixEvidenceHalf ?? 1;
    const order = Math.max(1, ...memories.map((m) => m.order));
    this.caches = new CompletionCaches(Math.max(CACHE_ORDER, order));
  }

  predictNext(context: string[], k: number, cache?: RecencyCache): Prediction[] {
    const ranked = this.rank(context, k, '', cache);
    return ranked.tokens.map((token, i) => ({ token, probability: ranked.probs[i] }));
  }

  /** The ghost text for the text before the cursor (see CompleteOptions). */
  complete(textBeforeCursor: string, options: CompleteOptions & { cacheKey?: string } = {}): CompletionResult {
    const tail = textBeforeCursor.length > CONTEXT_CHARS ? textBeforeCursor.slice(-CONTEXT_CHARS) : textBeforeCursor;
    const tokens = tokenize(tail);
    if (tail.length < textBeforeCursor.length) tokens.shift(); // may be cut
    const partialWord = endsInsideWord(textBeforeCursor) ? (tokens.pop() ?? '') : '';
    const cache = options.cacheKey !== undefined ? this.caches.sync(options.cacheKey, textBeforeCursor) : undefined;
    const lastChar = textBeforeCursor.charCodeAt(textBeforeCursor.length - 1);
    const afterSpace = textBeforeCursor.length > 0 && /\s/.test(String.fromCharCode(lastChar));
    return searchContinuation(
      {
        rank: (ctx, k, prefix) => this.rank(ctx, k, prefix, cache),
        spacingVotes: (prev, next, out) => this.spacingVotes(prev, next, out),
      },
      {
        context: tokens,
        partialWord,
        afterSpace,
        maxWords: options.maxWords ?? DEFAULT_MAX_WORDS,
        minConfidence: options.minConfidence ?? DEFAULT_MIN_CONFIDENCE,
        alternatives: Math.max(0, options.alternatives ?? 0),
      },
    );
  }

  /**
   * Prepares lookups that are otherwise built on first use (the prefix index of partly typed words
   * and the summaries of the busiest contexts), so the first completions after training are as
   * fast as the rest. Call it when the memory changed a lot (after training or loading).
   */
  warmUp(contexts = 200): void {
    for (const m of this.memories) {
      if (m.tokenTotal === 0) continue;
      this.prefixIndexFor(m).top('', 1);
      for (const { word } of m.topWords(contexts)) this.rank([word], 1, '');
    }
  }

  /** Forgets the recency caches kept for `complete` (e.g. when an editor closes). */
  clearCaches(): void {
    this.caches.clear();
  }

  private spacingVotes(prev: string, next: string, out: SpacingVotes): void {
    for (const m of this.memories) m.spacingVotes(prev, next, out);
  }

  private prefixIndexFor(memory: RankSource): PrefixIndex {
    let index = this.prefixIndexes.get(memory);
    if (!index || index.vocab !== memory.vocab) {
      index = new PrefixIndex(memory.vocab, (id) => memory.unigramCount(id));
      this.prefixIndexes.set(memory, index);
    }
    return index;
  }

  private scorerFor(memory: RankSource): NextTokenScorer {
    let s = this.scorers.get(memory);
    if (!s) {
      s = memory.createScorer(this.smoothing);
      this.scorers.set(memory, s);
    }
    return s;
  }

  /**
   * The k most probable next tokens (starting with `prefix` when given; probabilities are then
   * renormalized over the matching candidates), best first.
   */
  rank(context: string[], k: number, prefix: string, cache?: RecencyCache): Ranked {
    const active = this.memories.filter((m) => m.tokenTotal > 0);
    const poolSize = Math.max(1, k) + POOL_EXTRA;
    const mixed = new Map<string, number>();
    const scorers = active.map((m) => this.scorerFor(m));
    // Memories are mixed by how much each knows about this context (longest match, evidence).
    const weights = scorers.map((scorer, i) => {
      const pool = this.poolOf(active[i], scorer, context, poolSize, prefix);
      for (let j = 0; j < pool.tokens.length; j++) if (!mixed.has(pool.tokens[j])) mixed.set(pool.tokens[j], 0);
      return this.trust(pool.longest, pool.evidence);
    });
    const modelTrust = Math.max(0, ...weights);
    const trustSum = weights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < weights.length; i++) weights[i] = trustSum > 0 ? weights[i] / trustSum : 1 / weights.length;
    // Every candidate gets its probability under every memory (not only where it was proposed).
    let cacheWeight = 0;
    if (cache && cache.size > 0) {
      const scored = cache.score(context);
      if (scored.longest > 0) {
        const cacheTrust = this.trust(scored.longest, scored.evidence);
        cacheWeight = cacheTrust / (cacheTrust + modelTrust);
        for (const t of scored.candidates) if (t.startsWith(prefix) && !mixed.has(t)) mixed.set(t, 0);
      }
    }
    const tokens: string[] = [];
    const probs: number[] = [];
    let norm = 0;
    for (const token of mixed.keys()) {
      let p = 0;
      for (let i = 0; i < active.length; i++) {
        const id = active[i].vocab.get(token);
        p += weights[i] * scorers[i].probOf(id ?? -1);
      }
      if (cacheWeight > 0 && cache) p = (1 - cacheWeight) * p + cacheWeight * cache.probOf(token);
      tokens.push(token);
      probs.push(p);
      norm += p;
    }
    const order = tokens.map((_, i) => i).sort((a, b) => probs[b] - probs[a] || (tokens[a] < tokens[b] ? -1 : 1));
    const n = Math.min(Math.max(0, k), order.length);
    const out: Ranked = { tokens: new Array(n), probs: new Array(n) };
    for (let i = 0; i < n; i++) {
      out.tokens[i] = tokens[order[i]];
      out.probs[i] = prefix ? probs[order[i]] / (norm || 1) : probs[order[i]];
    }
    return out;
  }

  /** How much a source's prediction deserves trust: longer matched contexts, more evidence. */
  private trust(longest: number, evidence: number): number {
    return Math.pow(longest + 1, this.mixDepthPower) * (evidence / (evidence + this.mixEvidenceHalf));
  }

  /** The most probable candidates of one memory (matching `prefix`). */
  private poolOf(memory: RankSource, scorer: NextTokenScorer, context: string[], size: number, prefix: string): Pool {
    const ids = new Int32Array(Math.min(context.length, memory.order - 1));
    const off = context.length - ids.length;
    for (let i = 0; i < ids.length; i++) ids[i] = memory.vocab.get(context[off + i]) ?? -1;
    const res = scorer.score(ids, prefix ? 0 : size);
    const words = memory.vocab.words;
    // Keep the best `size` candidates: a small sorted insertion buffer.
    const bestIdx: number[] = [];
    const bestP: number[] = [];
    // Ties are broken by the word itself, so the pool never depends on insertion history.
    const better = (w: number, p: number, than: number, thanP: number) => p > thanP || (p === thanP && words[w] < words[than]);
    const consider = (word: number, p: number) => {
      const full = bestIdx.length === size;
      if (full && !better(word, p, bestIdx[size - 1], bestP[size - 1])) return;
      let pos = full ? size - 1 : bestIdx.length;
      if (!full) {
        bestIdx.push(word);
        bestP.push(p);
      }
      while (pos > 0 && better(word, p, bestIdx[pos - 1], bestP[pos - 1])) {
        bestIdx[pos] = bestIdx[pos - 1];
        bestP[pos] = bestP[pos - 1];
        pos--;
      }
      bestIdx[pos] = word;
      bestP[pos] = p;
    };
    for (let i = 0; i < res.size; i++) {
      const w = res.words[i];
      if (prefix && !words[w].startsWith(prefix)) continue;
      consider(w, res.probs[i]);
    }
    if (prefix && bestIdx.length === 0) {
      // The word was never seen in this context: take the vocabulary's most frequent matches.
      for (const w of this.prefixIndexFor(memory).top(prefix, size)) consider(w, scorer.probOf(w));
    }
    return { tokens: bestIdx.map((w) => words[w]), probs: bestP, longest: res.longest, evidence: res.evidence };
  }
}
