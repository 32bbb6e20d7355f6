// A workspace file's text as the memory would learn it now, and where each of its chunks begins.
// Pure (no vscode): the extension's TextSource and the live memory's document origins both come
// from here, so `find` checks places against exactly the text learning would see.
//
// The memory's documents are chunks of a file's text after secrets and forgotten words were
// blanked (prepareForLearning), named by a hash of their content. Cutting the current text the
// same way says which learned chunks are still in the file and where they begin now; a learned
// chunk that is not among them has changed or gone, and gets no origin (its places are never shown).
import type { DocumentOrigin } from '../../ask/askable';
import { blankWords } from '../../workspace/learnable';
import { chunkText } from '../../workspace/chunks';
import { redactSecrets } from '../../workspace/secrets';
import { lastAtMost } from '../../memory/sorted';

export interface LearnedText {
  /** The text with secrets and forgotten words blanked (same length and lines), line ends as `\n`. */
  text: string;
  /**
   * Where each chunk of the current text begins (0-based line, UTF-16 column), by chunk id: the
   * chunks learning would cut now, and those it cut before the forgotten words were forgotten.
   */
  chunkStarts: Map<string, { line: number; column: number }>;
}

export function learnedText(raw: string, forgotten: ReadonlySet<string>): LearnedText {
  // The same steps, in the same order, as prepareForLearning: chunk ids are hashes of this text.
  const clean = redactSecrets(raw).text;
  const learnable = forgotten.size > 0 ? blankWords(clean, forgotten) : clean;
  const chunkStarts = new Map<string, { line: number; column: number }>();
  const lineStarts = lineStartsOf(learnable);
  const add = (text: string) => {
    for (const chunk of chunkText(text)) {
      if (chunkStarts.has(chunk.id)) continue;
      const line = lastAtMost(lineStarts, chunk.start);
      chunkStarts.set(chunk.id, { line, column: chunk.start - lineStarts[line] });
    }
  };
  add(learnable);
  // Forgetting a word blanks it in the memory's documents where they are (their ids stay): a chunk
  // learned before the word was forgotten is named by the text without that blanking. Blanking
  // keeps every offset, so such a chunk begins at the same place.
  if (learnable !== clean) add(clean);
  return { text: learnable.replace(/\r\n?/g, '\n'), chunkStarts };
}

/** The origin of a chunk of `file` in its current text, or undefined when that chunk is not there now. */
export function chunkOrigin(file: string, chunkId: string, current: LearnedText): DocumentOrigin | undefined {
  const start = current.chunkStarts.get(chunkId);
  return start && { file, line: start.line, column: start.column };
}

/**
 * Where each line starts, a line break being `\r\n`, `\r` or `\n`: the lines of the text once its
 * line ends are `\n` (what `find` reads), with columns unchanged (a break ends before a line starts).
 */
function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}
