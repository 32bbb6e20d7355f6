// Checks learned documents (chunks of files) against a file's current text, so that `find` lists a
// place only where the phrase is now. A document is checked from where its chunk began: the file's
// tokens there must be the document's tokens, up to the end of the line an occurrence is on. The
// check goes forward only as far as asked and resumes where it stopped (at a line's end), so all
// occurrences in one chunk cost one pass over it, and no whole file is tokenized. A phrase that
// runs on into the file's next chunks is checked on the chunks joined (their tokens follow each
// other in the file as they do in the joined list: chunks are cut at line ends).
//
// A chunk was learned with its secrets blanked, so where the file's own tokens differ, the chunk's
// region of the file is blanked the same way and checked again; only when that differs too has the
// file changed there.
import { scanTokens } from '../memory/tokenizer';
import { NEWLINE } from '../memory/types';
import { redactSecrets } from '../workspace/secrets';
import type { DocumentOrigin, LocatingMemory } from './askable';
import type { CurrentText } from './currentText';

/** A token's text at [start, end) of `text`, as the tokenizer names it. */
export function tokenAt(text: string, start: number, end: number): string {
  const c = text.charCodeAt(start);
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029 || c === 0x85 ? NEWLINE : text.slice(start, end);
}

/** Ends a scan of the tokenizer early (it has no other way to stop). */
const STOP = new Error('stop');

/** Where a confirmed occurrence is now. */
export interface Place {
  /** UTF-16 offset of its first token in the file. */
  offset: number;
  /** 0-based line and column. */
  line: number;
  column: number;
  /** The line's text, secrets blanked as in the chunk the check passed on. */
  text: string;
}

export class ChunkCheck {
  private readonly learned: string[];
  /** The text checked: the file's own, or its chunk's region with secrets blanked. */
  private text: string;
  /** Where `text` begins in the file (0 for the file's own text). */
  private base = 0;
  private blanked = false;
  /** Where the chunk begins in the file. */
  private readonly from: number;
  /** File offset of each document token confirmed so far. */
  private readonly starts: number[] = [];
  /** Tokens confirmed so far (always up to a line's end, the document's end or the file's end). */
  private done = 0;
  /** Where in `text` the check goes on. */
  private resume: number;
  private failed = false;

  constructor(
    memory: LocatingMemory,
    document: string,
    origin: DocumentOrigin,
    private readonly current: CurrentText,
    /** The next chunks of the file, checked as the document's continuation (see TokenOccurrence.continues). */
    continues: readonly string[] = [],
  ) {
    this.learned = memory.documentTokens(document, 0, Number.MAX_SAFE_INTEGER) ?? [];
    for (const next of continues) {
      const more = memory.documentTokens(next, 0, Number.MAX_SAFE_INTEGER);
      if (!more) {
        this.learned = [];
        break;
      }
      for (const t of more) this.learned.push(t);
    }
    this.text = current.text;
    const lineStart = current.lineStarts[origin.line];
    this.from = lineStart === undefined || lineStart + origin.column > current.text.length ? -1 : lineStart + origin.column;
    this.resume = this.from;
    this.failed = this.from < 0 || this.learned.length === 0;
  }

  /** Where the `length` tokens at `offset` of the document are now, when the chunk still holds them there. */
  place(offset: number, length: number): Place | undefined {
    if (this.failed || offset + length > this.learned.length) return undefined;
    if (!this.confirm(offset + length)) {
      if (this.blanked || !this.blankRegion() || !this.confirm(offset + length)) {
        this.failed = true;
        return undefined;
      }
    }
    const at = this.starts[offset];
    const line = this.current.lineOf(at);
    const column = at - this.current.lineStarts[line];
    return { offset: at, line, column, text: this.lineText(line) };
  }

  /** Confirms the document's tokens through the end of the line holding token `need - 1`. */
  private confirm(need: number): boolean {
    if (this.done >= need) return true;
    const { learned, text, base } = this;
    let i = this.done;
    let ok = false;
    try {
      scanTokens(
        text,
        (start, end) => {
          if (i === learned.length) {
            ok = true; // the document ended (its chunk was cut inside a line)
            throw STOP;
          }
          // Compared in place (no string cut out per token: a chunk holds hundreds).
          const want = learned[i];
          const c = text.charCodeAt(start);
          const lineBreak = c === 10 || c === 13 || c === 0x2028 || c === 0x2029 || c === 0x85;
          if (lineBreak ? want !== NEWLINE : want.length !== end - start || !text.startsWith(want, start)) throw STOP;
          this.starts[i++] = start + base;
          if (lineBreak) {
            this.done = i;
            this.resume = end;
            if (i >= need) {
              ok = true;
              throw STOP;
            }
          }
        },
        this.resume,
        true,
      );
      // The text ended: nothing more can be confirmed after what was.
      this.resume = text.length;
      ok = i >= need;
    } catch (error) {
      if (error !== STOP) throw error;
    }
    if (ok) this.done = i;
    this.starts.length = this.done;
    return ok;
  }

  /** Switches to the chunk's region of the file with secrets blanked, checked from its start again. */
  private blankRegion(): boolean {
    // The region spans as many line breaks as the document holds, and the line after the last.
    let breaks = 0;
    for (const t of this.learned) if (t === NEWLINE) breaks++;
    const raw = this.current.text;
    let end = raw.length;
    let seen = 0;
    try {
      scanTokens(
        raw,
        (start) => {
          if (tokenAt(raw, start, start + 1) === NEWLINE && ++seen > breaks) {
            end = start;
            throw STOP;
          }
        },
        this.from,
        true,
      );
    } catch (error) {
      if (error !== STOP) throw error;
    }
    const region = raw.slice(this.from, end);
    const clean = redactSecrets(region).text;
    if (clean === region) return false; // nothing to blank: the chunk differs for real
    this.text = clean;
    this.base = this.from;
    this.blanked = true;
    this.done = 0;
    this.starts.length = 0;
    this.resume = 0;
    return true;
  }

  /** Line `line` of the file, with the checked region's blanking where the line crosses it. */
  private lineText(line: number): string {
    const raw = this.current.line(line);
    if (!this.blanked) return raw;
    const lineStart = this.current.lineStarts[line];
    const a = Math.max(0, this.base - lineStart);
    const b = Math.min(raw.length, this.base + this.text.length - lineStart);
    if (a >= b) return raw;
    return raw.slice(0, a) + this.text.slice(lineStart + a - this.base, lineStart + b - this.base) + raw.slice(b);
  }
}
