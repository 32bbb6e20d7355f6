// The contract of the pure memory engine (no `vscode` import anywhere under src/memory).
// Host, worker, CLI, share session, light field and tests all program against these shapes.

/** What kind of word a token is: drives tokenization rules, spacing and the light field's hue. */
export type TokenKind =
  | 'identifier'
  | 'keyword'
  | 'number'
  | 'punctuation'
  | 'word' // a prose word (letters, in comments, strings, Markdown or plain text)
  | 'newline';

/** The token that marks a line break in every token stream. */
export const NEWLINE = '\n';

export interface Token {
  text: string;
  /** UTF-16 offsets into the source text, end exclusive. */
  start: number;
  end: number;
}

/** One change of one n-gram's count: the single kind of change that flows everywhere. */
export interface NgramDelta {
  /** 1..order tokens. */
  ngram: string[];
  /** Signed change of the count; never zero. */
  delta: number;
}

export interface DeltaBatch {
  entries: NgramDelta[];
}

export interface MemoryStats {
  order: number;
  documents: number;
  /** Tokens currently contributing (sum over documents and applied deltas of unigram counts). */
  tokens: number;
  vocabulary: number;
  /** Distinct n-grams with a positive count, all orders. */
  ngrams: number;
  ngramsByOrder: number[];
  /** Bytes held by the count store's typed arrays (what `bytesPerNgram` divides). */
  bytes: number;
}

export interface Prediction {
  token: string;
  probability: number;
}

export interface CompleteOptions {
  /** Most words the ghost text may hold (default 6; prose is held to fewer by confidence). */
  maxWords?: number;
  /** Stop extending when the chained probability drops below this (0..1). */
  minConfidence?: number;
  /** How many ranked alternatives to return besides the best. */
  alternatives?: number;
}

export interface Completion {
  /** Text to insert at the cursor (continues a partly typed word when `partialWord` is non-empty). */
  text: string;
  /** The partly typed word before the cursor that `text` completes ('' when none). */
  partialWord: string;
  /** The tokens the ghost text is made of (first one possibly completing `partialWord`). */
  tokens: string[];
  /** Probability-like confidence of the whole ghost text, 0..1. */
  confidence: number;
}

export interface CompletionResult {
  best: Completion | undefined;
  /** Ranked alternatives (distinct first tokens), best first, `best` included as the first entry. */
  alternatives: Completion[];
}

/** A word of the memory with its count, for the light field and statistics. */
export interface WordCount {
  word: string;
  count: number;
}

/** Thrown by every decoder on truncated, corrupted, foreign or future-version bytes. */
export class MemoryFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MemoryFormatError';
  }
}
