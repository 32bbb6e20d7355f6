// The one path from a file's text to what the memory learns: secrets and forgotten words blanked,
// then cut into content-defined chunks. Used by the training workers, the host's live updates and
// the CLI alike, so a file learned any way contributes exactly the same.
import { scanTokens } from '../memory/tokenizer';
import { isForgettableWord, MAX_WORD_LENGTH } from '../protocol/forgettableWord';
import { chunkText, type ChunkOptions, type PlacedChunk } from './chunks';
import { redactSecrets } from './secrets';

export interface LearnableText {
  chunks: PlacedChunk[];
  /** How many secrets were blanked before learning. */
  redacted: number;
}

export function prepareForLearning(text: string, forgotten?: ReadonlySet<string>, chunkOptions?: ChunkOptions): LearnableText {
  const clean = redactSecrets(text);
  const learnable = forgotten && forgotten.size > 0 ? blankWords(clean.text, forgotten) : clean.text;
  return { chunks: chunkText(learnable, chunkOptions), redacted: clean.redacted };
}

/**
 * Blanks whole-token occurrences of the given words (a word inside a longer identifier stays).
 * Only words are blanked (see isForgettableWord): never punctuation or line breaks, whatever the
 * set holds. One pass of the tokenizer over the text, whatever the number or length of the words.
 */
export function blankWords(text: string, words: ReadonlySet<string>): string {
  const blanks: Array<[number, number]> = [];
  scanTokens(text, (start, end) => {
    if (end - start > MAX_WORD_LENGTH) return;
    const token = text.slice(start, end);
    if (words.has(token) && isForgettableWord(token)) blanks.push([start, end]);
  });
  if (blanks.length === 0) return text;
  const parts: string[] = [];
  let at = 0;
  for (const [start, end] of blanks) {
    parts.push(text.slice(at, start), ' '.repeat(end - start));
    at = end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}
