// What "Forget this word" may forget: one word, exactly as the tokenizer makes it from ordinary
// text (an identifier, keyword, number or word of prose, never punctuation or a line break) and of
// bounded length. The panel offers it only for such words, the host refuses anything else from the
// webview, and learning blanks only such tokens: forgetting "\n" or "(" would flatten every file,
// and a long "word" once made every later file fail ("Regular expression too large").
import { isWordy, tokenize } from '../memory/tokenizer';

/** Longest word the panel can ask about or forget (and the bound on any word in its messages). */
export const MAX_WORD_LENGTH = 256;

export function isForgettableWord(word: unknown): word is string {
  if (typeof word !== 'string' || word.length === 0 || word.length > MAX_WORD_LENGTH) return false;
  const tokens = tokenize(word);
  return tokens.length === 1 && tokens[0] === word && isWordy(word);
}
