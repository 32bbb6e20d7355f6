// A learned file's text as it is now, with what `find` needs of it computed once per question:
// where its lines start, and for a file changed since it was learned, its tokens after blanking
// secrets (the same blanking as for learning, so nothing secret can be found or shown).
import { tokenizeWithOffsets, type Token } from '../memory/index';
import { redactSecrets } from '../workspace/secrets';
import { lastAtMost } from '../memory/sorted';

export class CurrentText {
  private starts: number[] | undefined;
  private tokens: Token[] | undefined;
  private redacted: string | undefined;

  constructor(readonly text: string) {}

  /** The offset where each line starts (line 0 at 0). */
  get lineStarts(): number[] {
    if (!this.starts) {
      const starts = [0];
      for (let i = this.text.indexOf('\n'); i !== -1; i = this.text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.starts = starts;
    }
    return this.starts;
  }

  /** The line (0-based) holding the character at `offset`. */
  lineOf(offset: number): number {
    return lastAtMost(this.lineStarts, offset);
  }

  /** The text of line `line` (0-based), without its line break (from redactedText when `redacted`). */
  line(line: number, redacted = false): string {
    const starts = this.lineStarts;
    const end = line + 1 < starts.length ? starts[line + 1] - 1 : this.text.length;
    return (redacted ? this.redactedText : this.text).slice(starts[line], end);
  }

  /** The text with secrets blanked as for learning (offsets and line breaks kept). */
  get redactedText(): string {
    this.redacted ??= redactSecrets(this.text).text;
    return this.redacted;
  }

  /** The tokens of redactedText, with offsets. */
  get redactedTokens(): Token[] {
    this.tokens ??= tokenizeWithOffsets(this.redactedText);
    return this.tokens;
  }
}
