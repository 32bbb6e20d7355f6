// The one path from a file's text to what the memory learns: secrets blanked, tokenized, forgotten
// words dropped, cut into content-defined chunks. Used by the training workers, the host's live
// updates and the CLI alike, so a file learned any way contributes exactly the same.
import { tokenize } from '../memory/tokenizer';
import { chunkTokens, type ChunkOptions, type TokenChunk } from './chunks';
import { redactSecrets } from './secrets';

export interface LearnableText {
  chunks: TokenChunk[];
  tokenCount: number;
  /** How many secrets were blanked before learning. */
  redacted: number;
}

export function prepareForLearning(
  text: string,
  forgotten?: ReadonlySet<string>,
  chunkOptions?: ChunkOptions,
): LearnableText {
  const clean = redactSecrets(text);
  let tokens = tokenize(clean.text);
  if (forgotten && forgotten.size > 0) tokens = tokens.filter((t) => !forgotten.has(t));
  return { chunks: chunkTokens(tokens, chunkOptions), tokenCount: tokens.length, redacted: clean.redacted };
}
