// The one path from a file's text to what the memory learns: secrets and forgotten words blanked,
// then cut into content-defined chunks. Used by the training workers, the host's live updates and
// the CLI alike, so a file learned any way contributes exactly the same.
import { chunkText, type ChunkOptions, type TextChunk } from './chunks';
import { redactSecrets } from './secrets';

export interface LearnableText {
  chunks: TextChunk[];
  /** How many secrets were blanked before learning. */
  redacted: number;
}

export function prepareForLearning(text: string, forgotten?: ReadonlySet<string>, chunkOptions?: ChunkOptions): LearnableText {
  const clean = redactSecrets(text);
  const learnable = forgotten && forgotten.size > 0 ? blankWords(clean.text, forgotten) : clean.text;
  return { chunks: chunkText(learnable, chunkOptions), redacted: clean.redacted };
}

const WORD_CHAR = /[\p{L}\p{M}\p{N}_$]/u;

/** Blanks whole-token occurrences of the given words (a word inside a longer identifier stays). */
export function blankWords(text: string, words: ReadonlySet<string>): string {
  const list = [...words].filter((w) => w.length > 0).sort((a, b) => b.length - a.length);
  if (list.length === 0) return text;
  const pattern = new RegExp(list.map(escapeRegExp).join('|'), 'gu');
  return text.replace(pattern, (match, offset: number) => {
    const isWord = WORD_CHAR.test(match[0]);
    if (isWord) {
      const before = offset > 0 ? text[offset - 1] : '';
      const after = text[offset + match.length] ?? '';
      if ((before && WORD_CHAR.test(before)) || (after && WORD_CHAR.test(after))) return match;
    }
    return ' '.repeat(match.length);
  });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
