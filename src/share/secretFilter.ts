// Secrets are never shared: entries holding a secret are dropped from what we publish and from what
// peers send, whatever the sender's own filter missed (the trainer already redacts secrets before
// learning, but a memory learned by an older version, or a peer's, may hold some).
// Two rules, from src/workspace/secrets.ts: a token that is a secret by itself (a known token
// shape, a random-looking string), and a secret given away by its neighbours (`password = x`,
// `mysql -pX`, `login("me", "x")`). The second marks the value token, and every entry holding that
// token is dropped too: the memory also counts `x` alone and after other words.
// A token keeps its answer (a marked value stays marked, up to a cap), so a dropped count's later
// removal is dropped too. A value that reads as a word (`hunter`, `letmein`) is marked only for
// the batches of the writer that gave it away: marked for everyone, a peer could make us withhold
// every entry holding `the` or `const` by sending `password = the`.
import type { BulkDeltaBatch } from '../memory/bulkDelta';
import type { DeltaBatch } from '../memory/types';
import { bulkFromBatch } from '../memory/bulkDelta';
import { containsSecret, credentialCallLiterals, isWordLikeValue, looksRandom, opensLongContext, opensSecretContext, secretValueInNgram } from '../workspace/secrets';

// Every pattern the detector knows needs at least this many characters.
const SHORTEST_SECRET = 16;
const CACHE_LIMIT = 100_000;
/** Value tokens shorter than this are not marked: they are withheld with their context only. */
const SHORTEST_MARKED_VALUE = 4;
/** A value's pieces split off by punctuation (`ab!cd` → `ab`, `!`, `cd`) are marked as far as this. */
const MAX_VALUE_PIECES = 6;
/** Tokens followed past an opener, n-gram to n-gram (a call's arguments, a command's flags). */
const MAX_FOLLOW = 48;
/** Branches followed from one opener where n-grams continue in more than one way. */
const MAX_PATHS = 16;
const KEY_SEPARATOR = '\u0000';
const VALUE_ENDS = new Set(['"', "'", '`', ',', ';', ')', ']', '}', '<', '>', '@', '\n', '=', ':']);

export function createSecretTokenTest(): (token: string) => boolean {
  const cache = new Map<string, boolean>();
  return (token) => {
    if (token.length < SHORTEST_SECRET) return false;
    let secret = cache.get(token);
    if (secret === undefined) {
      secret = looksRandom(token) || containsSecret(token);
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(token, secret);
    }
    return secret;
  };
}

/**
 * The secret values that batches give away in context, remembered across batches (a peer's
 * snapshot arrives in parts, and a value may come alone before or after its context).
 */
export class SecretValues {
  private readonly marked = new Set<string>();
  private readonly opens = new Map<string, boolean>();

  /** True for a token marked as a secret value by an earlier `mark` (values that read as words aside). */
  has(token: string): boolean {
    return this.marked.has(token);
  }

  /** Marks the secret values the n-gram gives away (those that read as words into `words`); true when it gives one away. */
  mark(ngram: readonly string[], words?: Set<string>): boolean {
    if (!ngram.some((token) => this.opensContext(token))) return false;
    const value = secretValueInNgram(ngram);
    if (value < 0) return false;
    this.markValue(ngram, value, words);
    return true;
  }

  /**
   * `mark` over a batch in bulk form, making an n-gram only for entries that name a secret; returns
   * which entries give a secret away in context (1), whose value may be too short to mark.
   */
  markBulk(batch: BulkDeltaBatch, words?: Set<string>): Uint8Array {
    this.markLongContexts(batch);
    const { starts, tokens, table } = batch;
    const opens = table.map((token) => this.opensContext(token));
    const secret = new Uint8Array(batch.count);
    for (let i = 0; i < batch.count; i++) {
      let candidate = false;
      for (let k = starts[i]; k < starts[i + 1] && !candidate; k++) candidate = opens[tokens[k]];
      if (!candidate) continue;
      const ngram: string[] = [];
      for (let k = starts[i]; k < starts[i + 1]; k++) ngram.push(table[tokens[k]]);
      const value = secretValueInNgram(ngram);
      if (value < 0) continue;
      this.markValue(ngram, value, words);
      secret[i] = 1;
    }
    return secret;
  }

  /**
   * Credentials further from their call or command than an n-gram reaches
   * (`connect("db.internal", "root", "…")`, `redis-cli -h cache -a …`). A batch holds every n-gram
   * of the text it was learned from, and its longest ones overlap as that text does: after an
   * opener the text is followed from n-gram to n-gram (the next token of a sequence is the last
   * of an n-gram that starts with the sequence's last n - 1 tokens), up to MAX_FOLLOW tokens and
   * MAX_PATHS branches, and each sequence is read as one long n-gram. Only batches with an opener
   * in an n-gram that does not settle it pay for the index. (A context split across batches is not
   * followed: a writer's batches are chunks of its memory in the order it grew.)
   */
  markLongContexts(batch: BulkDeltaBatch, meter: { steps: number } = { steps: 0 }): void {
    const { starts, tokens, table } = batch;
    let longest = 0;
    for (let i = 0; i < batch.count; i++) longest = Math.max(longest, starts[i + 1] - starts[i]);
    if (longest < 3) return;
    const ngramOf = (i: number) => Array.from(tokens.subarray(starts[i], starts[i + 1]), (t) => table[t]);
    const open: string[][] = [];
    for (let i = 0; i < batch.count; i++) {
      if (starts[i + 1] - starts[i] !== longest) continue;
      meter.steps += longest;
      let candidate = false;
      for (let k = starts[i]; k < starts[i + 1] && !candidate; k++) candidate = this.opensContext(table[tokens[k]]);
      if (!candidate) continue;
      const ngram = ngramOf(i);
      if (ngram.some((_, k) => opensLongContext(ngram, k)) && secretValueInNgram(ngram) < 0) open.push(ngram);
    }
    if (open.length === 0) return;
    // The longest n-grams by their first n - 1 tokens: what may follow a sequence.
    const next = new Map<string, Set<string>>();
    for (let i = 0; i < batch.count; i++) {
      if (starts[i + 1] - starts[i] !== longest) continue;
      meter.steps += longest;
      const ngram = ngramOf(i);
      const key = ngram.slice(0, -1).join(KEY_SEPARATOR);
      const following = next.get(key);
      if (following) following.add(ngram[ngram.length - 1]);
      else next.set(key, new Set([ngram[ngram.length - 1]]));
    }
    // Work in all, in tokens read: bounded by the batch's size, whatever openers it holds.
    let budget = MAX_FOLLOW * MAX_PATHS * 4 + 16 * batch.count;
    const spend = (tokens: number): void => {
      budget -= tokens;
      meter.steps += tokens;
    };
    for (const start of open) {
      let paths = 0;
      const follow = (sequence: string[]): void => {
        spend(sequence.length);
        // Every literal of a call (its user name, password, database); a command's flag value.
        // Values that read as words are not marked here: a user name such as `root` would be.
        // Marking again is harmless, so a call's literals are marked as the sequence grows.
        const literals = credentialCallLiterals(sequence);
        for (const v of literals) this.markValue(sequence, v, undefined);
        const value = secretValueInNgram(sequence);
        if (value >= 0 && !literals.includes(value)) {
          this.markValue(sequence, value, undefined);
          paths++;
          return;
        }
        const continuations = sequence.length < MAX_FOLLOW ? next.get(sequence.slice(1 - longest).join(KEY_SEPARATOR)) : undefined;
        if (!continuations) {
          paths++;
          return;
        }
        for (const token of continuations) {
          if (paths >= MAX_PATHS || budget <= 0) return;
          follow([...sequence, token]);
        }
      };
      if (budget > 0) follow(start);
    }
  }

  private markValue(ngram: readonly string[], value: number, words: Set<string> | undefined): void {
    if (this.marked.size >= CACHE_LIMIT) this.marked.clear();
    if (words && words.size >= CACHE_LIMIT) words.clear();
    this.markPiece(ngram[value], words);
    for (let k = value + 1; k + 1 < ngram.length && k <= value + MAX_VALUE_PIECES; k += 2) {
      const separator = ngram[k];
      const piece = ngram[k + 1];
      if (separator.length !== 1 || VALUE_ENDS.has(separator) || VALUE_ENDS.has(piece)) break;
      this.markPiece(piece, words);
    }
  }

  private markPiece(piece: string, words: Set<string> | undefined): void {
    if (piece.length < SHORTEST_MARKED_VALUE) return;
    if (!isWordLikeValue(piece)) this.marked.add(piece);
    else if (!/^\d+$/.test(piece)) words?.add(piece);
  }

  private opensContext(token: string): boolean {
    if (token.length === 1) return token === '@'; // punctuation, most of a batch's tokens
    let opens = this.opens.get(token);
    if (opens === undefined) {
      opens = opensSecretContext(token);
      if (this.opens.size >= CACHE_LIMIT) this.opens.clear();
      this.opens.set(token, opens);
    }
    return opens;
  }
}

/**
 * The batch without entries holding a secret token, a secret in context, or a value given away
 * elsewhere in it (one that reads as a word too: the batch is all ours).
 */
export function withoutSecrets(batch: DeltaBatch, isSecretToken: (token: string) => boolean): DeltaBatch {
  const values = new SecretValues();
  const words = new Set<string>();
  values.markLongContexts(bulkFromBatch(batch));
  const inContext = batch.entries.map((entry) => values.mark(entry.ngram, words));
  const entries = batch.entries.filter((entry, i) => !inContext[i] && !entry.ngram.some((token) => isSecretToken(token) || values.has(token) || words.has(token)));
  return entries.length === batch.entries.length ? batch : { entries };
}
