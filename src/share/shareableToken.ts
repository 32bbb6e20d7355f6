// What a peer may put on screen. A team suggestion becomes ghost text in other users' editors, so a
// token crosses the share only if the tokenizer would make exactly it from ordinary text (one
// token, unchanged by a second tokenizing), it is short enough to read, and it holds no character
// that hides or reorders text: bidi controls (Trojan Source), zero-width and other
// default-ignorable characters, controls, separators, unassigned, private-use or lone surrogate
// code points. One rule at both ends: a sender drops entries with such tokens (a local file may
// hold them, and the tokenizer makes a bidi control a token of its own), a receiver refuses a batch
// that carries one.
import { tokenize } from '../memory/tokenizer';
import { NEWLINE } from '../memory/types';

const DECEPTIVE = /[\p{C}\p{Z}\p{Default_Ignorable_Code_Point}\p{Bidi_Control}]/u;

/** Why `token` may not cross the share, or undefined when it may. */
export function tokenProblem(token: unknown, maxLength: number): string | undefined {
  if (typeof token !== 'string' || token.length === 0) return 'empty token';
  if (token.length > maxLength) return `token of ${token.length} characters (at most ${maxLength})`;
  if (token === NEWLINE) return undefined;
  if (DECEPTIVE.test(token)) return `token ${JSON.stringify(token)} holds whitespace, control, invisible or bidi characters`;
  const again = tokenize(token);
  if (again.length !== 1 || again[0] !== token) return `${JSON.stringify(token)} is not one token of ordinary text`;
  return undefined;
}

const CACHE_LIMIT = 100_000;

/** tokenProblem as a yes/no test with a bounded cache, for senders filtering whole memories. */
export function createUnshareableTokenTest(maxLength: number): (token: string) => boolean {
  const cache = new Map<string, boolean>();
  return (token) => {
    let bad = cache.get(token);
    if (bad === undefined) {
      bad = tokenProblem(token, maxLength) !== undefined;
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(token, bad);
    }
    return bad;
  };
}
