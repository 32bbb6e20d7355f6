// A phrase typed in the search box, as a path through the field: its words cut by the memory's own
// tokenizer (so `watch.keeper(` is the words the memory learned, not one string), each found among the
// words on show, in order; words not on show are skipped and named. Pure: the view model keeps the
// path and lights it, the search box says what was skipped.
import { tokenize } from '../memory/tokenizer';
import { NEWLINE } from '../memory/types';
import { MAX_PHRASE_LENGTH } from '../protocol/lightMessages';

/** A query longer than this is cut before tokenizing (a paste into the search box stays cheap). */
export const MAX_PHRASE_CHARS = MAX_PHRASE_LENGTH;
/** Words of a phrase past this many are left out of its path (the status says so). */
export const MAX_PATH_WORDS = 64;

/** A phrase's words as the memory cuts them; `cut`: words past MAX_PATH_WORDS were left out. */
export interface Phrase {
  readonly words: readonly string[];
  readonly cut: boolean;
}

/** The phrase's words as the memory cuts them (line breaks dropped), at most MAX_PATH_WORDS. */
export function phraseWords(query: string): Phrase {
  const words = tokenize(query.slice(0, MAX_PHRASE_CHARS)).filter((w) => w !== NEWLINE);
  return { words: words.slice(0, MAX_PATH_WORDS), cut: words.length > MAX_PATH_WORDS || query.length > MAX_PHRASE_CHARS };
}

/**
 * Whether a query is a phrase (lights a path): words the user separated with spaces. A query without
 * spaces keeps the one-word search, even where the memory would cut it (`lamp-post`, `keeper.`): it
 * finds a word by its start or a part of it, which a path of exact tokens would not.
 */
export function isPhrase(query: string): boolean {
  return /\S\s+\S/u.test(query);
}

/** A phrase resolved against the words on show. */
export interface ResolvedPath extends Phrase {
  /** Neurons of the words on show, in the phrase's order (a repeated word repeats). */
  readonly steps: readonly number[];
  /** The phrase's words not on show, in order, each once. */
  readonly missing: readonly string[];
}

/**
 * Finds each word among the words on show: the exact word, else the same word in another case (the
 * memory keeps `Keeper` and `keeper` apart; someone searching rarely means the difference).
 */
export function resolvePath(
  phrase: Phrase,
  exact: (word: string) => number | undefined,
  caseless: (lowerCased: string) => number | undefined,
): ResolvedPath {
  const steps: number[] = [];
  const missing: string[] = [];
  for (const word of phrase.words) {
    const i = exact(word) ?? caseless(word.toLowerCase());
    if (i !== undefined) steps.push(i);
    else if (!missing.includes(word)) missing.push(word);
  }
  return { words: phrase.words, cut: phrase.cut, steps, missing };
}

/** What the search box says about a lit path: how many of its words are lit, which were skipped. */
export function describePath(path: ResolvedPath): string {
  const quote = (w: string): string => `“${JSON.stringify(w).slice(1, -1)}”`;
  const lit = path.steps.length;
  const missing = path.missing.map(quote).join(', ');
  const said =
    lit === 0
      ? `None of these words is on show: ${missing}`
      : `Path: ${lit} of ${path.words.length} words` + (missing ? ` · skipped ${missing}, not on show` : '');
  return said + (path.cut ? ` · only its first ${MAX_PATH_WORDS} words` : '');
}

/** Whether two lists of neurons are the same path. */
export function sameSteps(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, k) => x === b[k]);
}
