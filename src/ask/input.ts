// What a client may ask, checked before any work: every answer is bounded by these caps, and a
// bad request gets one clear sentence (AskError) instead of an empty or partial answer.
import { tokenize } from '../memory/index';
import { NEWLINE } from '../memory/types';

/** A request the memory cannot answer as asked; its message is shown to the client. */
export class AskError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AskError';
  }
}

/** The longest phrase `find` takes (characters) and the most tokens it may hold. */
export const MAX_PHRASE_CHARS = 2000;
export const MAX_PHRASE_TOKENS = 128;
/** The longest text `complete` takes; only its last 1,024 characters are the context. */
export const MAX_TEXT_CHARS = 100_000;
/** The longest word `neighbors` takes (the memory's words are at most this long). */
export const MAX_WORD_CHARS = 256;
/** The most items one answer lists. */
export const MAX_LIMIT = 100;

/** The tokens `find` looks for: the phrase as the memory tokenizes text. */
export function phraseTokens(phrase: string): string[] {
  if (phrase.length > MAX_PHRASE_CHARS) throw new AskError(`the phrase is ${phrase.length} characters long; at most ${MAX_PHRASE_CHARS} are taken`);
  const tokens = tokenize(phrase);
  if (tokens.length === 0) throw new AskError('the phrase holds no words or symbols to look for (it is empty or only spaces)');
  if (tokens.length > MAX_PHRASE_TOKENS) throw new AskError(`the phrase is ${tokens.length} tokens long; at most ${MAX_PHRASE_TOKENS} are taken`);
  return tokens;
}

/** The one token `neighbors` looks around ("\n" asks about line breaks). */
export function wordToken(word: string): string {
  if (word.length > MAX_WORD_CHARS) throw new AskError(`the word is ${word.length} characters long; at most ${MAX_WORD_CHARS} are taken`);
  if (/^[ \t]*\r?\n[ \t]*$/.test(word)) return NEWLINE;
  const tokens = tokenize(word);
  if (tokens.length === 0) throw new AskError('give a word (it is empty or only spaces)');
  if (tokens.length > 1) throw new AskError(`"${word}" is ${tokens.length} tokens (${tokens.map((t) => JSON.stringify(t)).join(' ')}); give one word or symbol, or use find for a phrase`);
  return tokens[0];
}

/** The text `complete` continues. */
export function completionText(text: string): string {
  if (text.length > MAX_TEXT_CHARS) throw new AskError(`the text is ${text.length} characters long; at most ${MAX_TEXT_CHARS} are taken (only the last 1,024 count)`);
  return text;
}

/** A list length the client asked for, or the default. */
export function listLimit(limit: number | undefined, fallback: number): number {
  if (limit === undefined) return fallback;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new AskError(`limit must be a whole number from 1 to ${MAX_LIMIT}`);
  return limit;
}
