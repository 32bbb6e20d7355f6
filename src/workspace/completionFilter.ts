// Defence in depth on the way out: nothing secret-looking and no forgotten word is ever suggested,
// whatever the memories hold (the team layer comes from peers, who are untrusted).
import type { Completion, CompletionResult, Prediction } from '../memory/types';
import { containsSecret, findSecrets, looksRandom } from './secrets';

/** The last line before the cursor is enough context to recognise `password = "` and the like. */
function lastLine(textBeforeCursor: string): string {
  const cut = textBeforeCursor.lastIndexOf('\n');
  const line = cut === -1 ? textBeforeCursor : textBeforeCursor.slice(cut + 1);
  return line.length > 400 ? line.slice(-400) : line;
}

export function isSafeCompletion(textBeforeCursor: string, completion: Completion, forgotten: ReadonlySet<string>): boolean {
  if (!completion.text.trim()) return false;
  if (forgotten.size > 0 && completion.tokens.some((t) => forgotten.has(t))) return false;
  if (completion.tokens.some((t) => looksRandom(t))) return false;
  const line = lastLine(textBeforeCursor);
  // The secret check sees the line as it would read after accepting, so a value completing a
  // `password = "` assignment or a `mysql -p` flag is caught, not only secrets that stand alone.
  // Only secrets reaching into the suggestion count: one the user already typed is not its doing.
  return !findSecrets(line + completion.text).some((span) => span.end > line.length);
}

export function filterCompletion(
  textBeforeCursor: string,
  result: CompletionResult,
  forgotten: ReadonlySet<string>,
): CompletionResult {
  const alternatives = result.alternatives.filter((c) => isSafeCompletion(textBeforeCursor, c, forgotten));
  const best = result.best && alternatives.includes(result.best) ? result.best : undefined;
  return { best, alternatives };
}

export function isSafeWord(word: string, forgotten: ReadonlySet<string>): boolean {
  return !forgotten.has(word) && !looksRandom(word) && !containsSecret(word);
}

export function filterPredictions(predictions: Prediction[], forgotten: ReadonlySet<string>): Prediction[] {
  return predictions.filter((p) => isSafeWord(p.token, forgotten));
}
