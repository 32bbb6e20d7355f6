// Text from learned files as an answer may show it: secrets blanked (whatever the file holds now),
// characters that hide or reorder text made visible (tabs kept: code is indented with them), and
// long lines cut to a window around what was asked for.
import { visibleText } from '../share/displayText';
import { redactSecrets } from '../workspace/secrets';

/** The most characters of one line an answer shows. */
export const MAX_LINE_CHARS = 400;

/**
 * One line of a file as shown: redacted on its own (the caller found no secret around it either),
 * cut to MAX_LINE_CHARS around `column` (0-based) when longer, trailing spaces dropped.
 */
export function shownLine(line: string, column = 0): string {
  let text = redactSecrets(line).text;
  if (text.length > MAX_LINE_CHARS) {
    const from = Math.max(0, Math.min(column - (MAX_LINE_CHARS >> 2), text.length - MAX_LINE_CHARS));
    text = (from > 0 ? '…' : '') + text.slice(from, from + MAX_LINE_CHARS) + (from + MAX_LINE_CHARS < text.length ? '…' : '');
  }
  return shownWord(text).trimEnd();
}

/** A word or short text made visible (tabs and line breaks kept: quoting shows them). */
export function shownWord(text: string): string {
  return text.replace(/[^\t\n]+/g, visibleText);
}
