// What "asking the memory" needs of a memory: the narrow contract between the queries (complete,
// find, neighbors in this folder) and whatever holds the counts. The CLI's indexed memory implements
// it (indexedAskable.ts); the extension's live memory implements it for the open workspace, and its
// team layer implements the counting half only (peers share counts, not files, so they never answer
// `find`).
//
// Everything here is what an n-gram memory that keeps its text's positions can answer exactly:
// the predictor's inputs, counts of short token sequences, the words seen around a word, and where
// a token sequence occurs as (document, token offset). Nothing is read from disk through it: where
// a learned file's text is now comes from a TextSource, and the queries check every location
// against it, so answers follow edits. Secrets are blanked by the queries on everything returned,
// whatever an implementation hands over.
import type { RankSource } from '../memory/predictor';
import type { WordCount } from '../memory/types';

/**
 * A memory that answers `complete` and `neighbors`: the local memory, or the team's. Tokens are
 * the tokenizer's (src/memory/tokenizer.ts), NEWLINE ('\n') for a line break.
 */
export interface CountingMemory extends RankSource {
  /** How many times these 1..order tokens occur in a row (0 when any is unknown, or longer than the order). */
  count(tokens: readonly string[]): number;
  /** The words seen right after `word`, most often first (ties by word), at most `limit`, with how often. */
  following(word: string, limit: number): WordCount[];
  /** The words seen right before `word` (the start of a document is none), as `following`. */
  preceding(word: string, limit: number): WordCount[];
  /** Builds what the first question would otherwise build (called once the server is connected). */
  prepare?(): void;
}

/** Whether a word may be shown (not secret-looking, not forgotten: see isSafeWord). */
export type WordFilter = (word: string) => boolean;

/** One place a token sequence occurs, as learned. */
export interface TokenOccurrence {
  /** The memory document holding it (a chunk of a file: see DocumentOrigin). */
  document: string;
  /** Tokens before it in that document. */
  offset: number;
  /** Where it comes in the memory's order (documents as learned, offsets ascending): the cursor to continue after. */
  key: number;
  /**
   * The next chunks of the same file it runs on into, in order, when it does not end in its own
   * document (a phrase across the place a file was cut into chunks).
   */
  continues?: string[];
}

/** Where a document's text began in its file when it was learned. */
export interface DocumentOrigin {
  /** The file as learned: a path relative to the folder it was learned in, `/`-separated. */
  file: string;
  /** Line breaks before the document's first character in that file (0 for the first line). */
  line: number;
  /** UTF-16 code units between that line's start and the document's first character (a long line cut apart). */
  column: number;
}

/**
 * A memory that also answers `find`: it keeps where its token sequences occur and where each of
 * its documents came from. Only the local memory implements it.
 */
export interface LocatingMemory extends CountingMemory {
  /** How many times the token sequence occurs, whatever its length (0 when any token is unknown). */
  occurrenceCount(tokens: readonly string[]): number;
  /**
   * Up to `limit` occurrences of the token sequence in the memory's order, those with a key above
   * `after` (all when omitted): a caller pages through them by passing the last key it got.
   */
  occurrences(tokens: readonly string[], limit: number, after?: number): TokenOccurrence[];
  /** The document's tokens [from, to) as learned, clipped to it ('' for a forgotten word); undefined for an unknown document. */
  documentTokens(document: string, from: number, to: number): string[] | undefined;
  /** Where the document came from, or undefined when the memory does not know (it is then never shown). */
  documentOrigin(document: string): DocumentOrigin | undefined;
}

/** The text of a learned file as it is now. */
export interface TextSource {
  /**
   * The file's current text, line ends as `\n` (and, in the extension, forgotten words blanked as
   * they were for learning), or undefined when it may not or cannot be read now: gone, a link or
   * special file, outside the folder it was learned in, excluded, binary, too large.
   */
  read(file: string): Promise<string | undefined>;
}
