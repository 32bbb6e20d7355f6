// Deterministic sampling that bounds evaluation time on big test sets without biasing toward the
// start of files: every s-th token is scored (the cache still sees all of them), and keystroke
// replay covers evenly spaced windows of each file (the text before a window counts as written).
import type { TypingRange } from './keystrokes';

/** Score every `stride`-th token so that about `cap` of `total` tokens are scored (cap 0: all). */
export function strideFor(total: number, cap: number): number {
  if (cap <= 0 || total <= cap) return 1;
  return Math.ceil(total / cap);
}

/**
 * Windows of `text` to replay, about `allowance` characters in all: the whole text when it fits,
 * else evenly spaced windows of at most `windowSize` characters, each starting at a line start (or,
 * in text with long lines such as prose paragraphs, at the start of a word).
 */
export function typingWindows(text: string, allowance: number, windowSize = 1000): TypingRange[] {
  if (allowance <= 0 || text.length === 0) return [];
  if (text.length <= allowance) return [{ start: 0, end: text.length }];
  const size = Math.min(windowSize, allowance);
  const count = Math.ceil(allowance / size);
  const windows: TypingRange[] = [];
  let previousEnd = 0;
  for (let k = 0; k < count; k++) {
    const centre = Math.floor(((k + 0.5) * text.length) / count);
    let start = Math.max(previousEnd, centre - Math.floor(size / 2));
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    if (lineStart >= previousEnd && start - lineStart < size / 2) start = lineStart;
    else start = wordStartFrom(text, start, Math.floor(size / 2));
    const end = Math.min(text.length, start + size);
    if (end <= start) break;
    windows.push({ start, end });
    previousEnd = end;
  }
  return windows;
}

/** Splits a character budget fairly over files: each file's allowance. */
export function perFileAllowance(budget: number, files: number): number {
  return files === 0 || budget <= 0 ? 0 : Math.ceil(budget / files);
}

/** The first position at or after `from` that starts a word (follows whitespace), within `reach`. */
function wordStartFrom(text: string, from: number, reach: number): number {
  if (from === 0 || /\s/.test(text[from - 1])) return from;
  const limit = Math.min(text.length, from + reach);
  for (let i = from; i < limit; i++) if (/\s/.test(text[i])) return i + 1;
  return from;
}
