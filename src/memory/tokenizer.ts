// Splits code and prose into tokens: words and identifiers (Unicode letters, digits, `_`, `$`),
// numbers, each punctuation mark on its own, and NEWLINE for a line break (runs of blank lines
// collapse into one). Whitespace is otherwise dropped, but whether a token had a space before it is
// reported so the memory can learn natural spacing (`foo(bar)` versus `if (x)`).
import { NEWLINE, type Token, type TokenKind } from './types';

const LETTER_OR_DIGIT = /[\p{L}\p{M}\p{N}]/u;

const enum CharClass {
  Space,
  LineBreak,
  Word,
  Digit,
  Other,
}

function classify(code: number): CharClass {
  if (code < 128) return ASCII_CLASS[code];
  if (code === 0x2028 || code === 0x2029 || code === 0x85) return CharClass.LineBreak;
  if (code === 0xa0 || code === 0xfeff || (code >= 0x2000 && code <= 0x200b) || code === 0x3000 || code === 0x202f || code === 0x205f || code === 0x1680) return CharClass.Space;
  if (code >= 0xd800 && code <= 0xdfff) return CharClass.Other; // surrogates: decided by the caller
  return LETTER_OR_DIGIT.test(String.fromCharCode(code)) ? CharClass.Word : CharClass.Other;
}

const ASCII_CLASS: CharClass[] = [];
for (let c = 0; c < 128; c++) {
  let k = CharClass.Other;
  if (c === 10 || c === 13) k = CharClass.LineBreak;
  else if (c === 32 || c === 9 || c === 11 || c === 12) k = CharClass.Space;
  else if (c >= 48 && c <= 57) k = CharClass.Digit;
  else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36) k = CharClass.Word;
  ASCII_CLASS.push(k);
}

function isWordContinue(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  const k = classify(code);
  if (k === CharClass.Word || k === CharClass.Digit) return true;
  if (code >= 0xd800 && code <= 0xdbff) return LETTER_OR_DIGIT.test(text.slice(i, i + 2));
  return false;
}

/** Receives each token with its offsets and whether whitespace (not a line break) preceded it. */
export type TokenSink = (start: number, end: number, spaced: boolean) => void;

/**
 * Scans `text` and reports every token. NEWLINE tokens span the whole run of line breaks and blank
 * lines they stand for.
 */
export function scanTokens(text: string, sink: TokenSink, from = 0, atLineStart = true): void {
  const n = text.length;
  let i = from;
  let spaced = false;
  let pendingBreakStart = -1;
  let pendingBreakEnd = -1;
  let lastWasNewline = atLineStart; // no NEWLINE at the very start of a text
  while (i < n) {
    const code = text.charCodeAt(i);
    const k = classify(code);
    if (k === CharClass.Space) {
      spaced = true;
      i++;
      continue;
    }
    if (k === CharClass.LineBreak) {
      if (pendingBreakStart < 0) pendingBreakStart = i;
      i++;
      pendingBreakEnd = i;
      spaced = false;
      continue;
    }
    if (pendingBreakStart >= 0) {
      if (!lastWasNewline) sink(pendingBreakStart, pendingBreakEnd, false);
      lastWasNewline = true;
      pendingBreakStart = -1;
      spaced = false; // indentation is not spacing between tokens
    }
    const start = i;
    if (k === CharClass.Word) {
      i++;
      while (i < n && isWordContinue(text, i)) i++;
    } else if (k === CharClass.Digit) {
      i++;
      let sawDot = false;
      while (i < n) {
        const c = text.charCodeAt(i);
        if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) i++;
        else if (c === 46 && !sawDot && i + 1 < n && text.charCodeAt(i + 1) >= 48 && text.charCodeAt(i + 1) <= 57) {
          sawDot = true;
          i++;
        } else break;
      }
    } else if (code >= 0xd800 && code <= 0xdbff && i + 1 < n) {
      // An astral character: a letter starts a word, anything else (emoji) is one token.
      if (LETTER_OR_DIGIT.test(text.slice(i, i + 2))) {
        i += 2;
        while (i < n && isWordContinue(text, i)) i++;
      } else i += 2;
    } else i++;
    sink(start, i, spaced);
    lastWasNewline = false;
    spaced = false;
  }
  if (pendingBreakStart >= 0 && !lastWasNewline) sink(pendingBreakStart, pendingBreakEnd, false);
}

export function tokenize(text: string): string[] {
  const out: string[] = [];
  scanTokens(text, (start, end) => {
    out.push(isBreak(text, start) ? NEWLINE : text.slice(start, end));
  });
  return out;
}

export function tokenizeWithOffsets(text: string): Token[] {
  const out: Token[] = [];
  scanTokens(text, (start, end) => {
    out.push({ text: isBreak(text, start) ? NEWLINE : text.slice(start, end), start, end });
  });
  return out;
}

/** Tokens plus, for each, whether whitespace separated it from the token before (same line). */
export function tokenizeWithSpacing(text: string): { tokens: string[]; spaced: boolean[] } {
  const tokens: string[] = [];
  const spaced: boolean[] = [];
  scanTokens(text, (start, end, sp) => {
    tokens.push(isBreak(text, start) ? NEWLINE : text.slice(start, end));
    spaced.push(sp);
  });
  return { tokens, spaced };
}

function isBreak(text: string, start: number): boolean {
  return classify(text.charCodeAt(start)) === CharClass.LineBreak;
}

/** True when `text` ends in the middle of a word or number (the user is typing it). */
export function endsInsideWord(text: string): boolean {
  if (text.length === 0) return false;
  const last = text.length - 1;
  const code = text.charCodeAt(last);
  if (code >= 0xdc00 && code <= 0xdfff && last > 0) return LETTER_OR_DIGIT.test(text.slice(last - 1));
  const k = classify(code);
  return k === CharClass.Word || k === CharClass.Digit;
}

const KEYWORDS = new Set(
  (
    'abstract as async await break case catch class const continue debugger declare default delete do else enum ' +
    'export extends false finally for from function get if implements import in instanceof interface let new null ' +
    'of package private protected public readonly return set static super switch this throw true try type typeof ' +
    'undefined var void while with yield and assert def del elif except global is lambda nonlocal not or pass raise ' +
    'None True False fn impl mut pub struct trait use mod match loop func go chan defer select range'
  ).split(' '),
);

export function tokenKind(token: string): TokenKind {
  if (token === NEWLINE) return 'newline';
  if (token.length === 0) return 'punctuation';
  const k = classify(token.charCodeAt(0));
  if (k === CharClass.Digit) return 'number';
  const astralLetter = token.length >= 2 && LETTER_OR_DIGIT.test(token.slice(0, 2)) && token.charCodeAt(0) >= 0xd800;
  if (k !== CharClass.Word && !astralLetter) return 'punctuation';
  if (KEYWORDS.has(token)) return 'keyword';
  return isProseWord(token) ? 'word' : 'identifier';
}

/** Letters only, lower case after the first letter: reads as a word of prose rather than code. */
function isProseWord(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c === 95 || c === 36 || (c >= 48 && c <= 57)) return false;
    if (i > 0 && c >= 65 && c <= 90) return false;
  }
  return true;
}

/** Words, identifiers, keywords and numbers count as "words" of ghost text; punctuation does not. */
export function isWordy(token: string): boolean {
  const k = tokenKind(token);
  return k === 'identifier' || k === 'keyword' || k === 'number' || k === 'word';
}
