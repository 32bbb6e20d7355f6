// Keystroke savings: replay a text as a typist who sees ghost text at every cursor position.
// If the ghost text's next word (Ctrl+→, VS Code's acceptNextWord) or all of it (Tab) is what comes
// next, the typist accepts the longest of the two that matches for one keystroke; otherwise they type
// one character. Indentation after a line break is inserted by the editor, so it is free and is not
// counted among the characters either (a typist with no completions at all saves 0%).

/** Ghost text for the text before the cursor ('' or undefined when there is none). */
export type GhostTextSource = (textBeforeCursor: string) => string | undefined;

// VS Code's default word definition (editor/common/core/wordHelper.ts), without the global flag.
const WORD_DEFINITION = /(-?\d*\.\d\w*)|([^`~!@#$%^&*()\-=+[{\]}\\|;:'",.<>/?\s]+)/;

/**
 * How many characters of `ghost` Ctrl+→ accepts, following VS Code's acceptNextWord: the first word
 * when the ghost text starts with one, otherwise everything up to the first word, but never past the
 * end of the first run of whitespace.
 */
export function nextWordLength(ghost: string): number {
  const word = WORD_DEFINITION.exec(ghost);
  let end = word ? (word.index === 0 ? word[0].length : word.index) : ghost.length;
  const space = /\s+/.exec(ghost);
  if (space && space.index + space[0].length < end) end = space.index + space[0].length;
  return end;
}

/** Marks the characters an editor types by itself: spaces and tabs that start a line after a break. */
export function autoIndentMask(text: string): Uint8Array {
  const free = new Uint8Array(text.length);
  let atLineStart = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      atLineStart = true;
    } else if (atLineStart && (c === 32 || c === 9)) {
      free[i] = 1;
    } else {
      atLineStart = false;
    }
  }
  return free;
}

export interface TypingResult {
  /** Characters a typist without completions would type (auto-indentation excluded). */
  characters: number;
  keystrokes: number;
  /** Keystrokes that accepted ghost text, and the characters they inserted. */
  acceptances: number;
  acceptedCharacters: number;
  /** How often the ghost text source was asked. */
  completionCalls: number;
}

export interface TypingRange {
  start: number;
  end: number;
}

/**
 * Replays `text[range.start, range.end)` with the cursor starting at `range.start` (the text before
 * it counts as already written). Accepted ghost text never runs past `range.end`.
 */
export function simulateTyping(
  text: string,
  ghostText: GhostTextSource,
  range: TypingRange = { start: 0, end: text.length },
  free: Uint8Array = autoIndentMask(text),
): TypingResult {
  const end = Math.min(range.end, text.length);
  const result: TypingResult = { characters: 0, keystrokes: 0, acceptances: 0, acceptedCharacters: 0, completionCalls: 0 };
  for (let i = range.start; i < end; i++) if (!free[i]) result.characters++;

  let pos = range.start;
  const skipFree = () => {
    while (pos < end && free[pos]) pos++;
  };
  skipFree();
  while (pos < end) {
    result.completionCalls++;
    const accepted = acceptedLength(text, pos, end, ghostText(text.slice(0, pos)));
    result.keystrokes++;
    if (accepted > 0) {
      result.acceptances++;
      result.acceptedCharacters += accepted;
      pos += accepted;
    } else {
      pos++;
    }
    skipFree();
  }
  return result;
}

/** Length of the longest of {next word, whole ghost text} that is exactly what follows `pos`. */
function acceptedLength(text: string, pos: number, end: number, ghost: string | undefined): number {
  if (!ghost) return 0;
  const fits = (length: number) => length > 0 && pos + length <= end && text.startsWith(ghost.slice(0, length), pos);
  if (fits(ghost.length)) return ghost.length;
  const word = nextWordLength(ghost);
  return fits(word) ? word : 0;
}

/** KS = 1 − keystrokes / characters, 0..1 (0 when there was nothing to type). */
export function keystrokeSavings(results: readonly TypingResult[]): number {
  let characters = 0;
  let keystrokes = 0;
  for (const r of results) {
    characters += r.characters;
    keystrokes += r.keystrokes;
  }
  return characters === 0 ? 0 : 1 - keystrokes / characters;
}
