// Secrets are never shared: entries holding a secret are dropped from what we publish and from what
// peers send, whatever the sender's own filter missed (the trainer already redacts secrets before
// learning, but a memory learned by an older version, or a peer's, may hold some).
// Two rules, from src/workspace/secrets.ts: a token that is a secret by itself (a known token
// shape, a random-looking string), and a secret given away by its neighbours (`password = x`,
// `mysql -pX`, `login("me", "x")`). The second marks the value token, and every entry holding that
// token is dropped too: the memory also counts `x` alone and after other words.
// A token keeps its answer (a marked value stays marked, up to a cap), so a dropped count's later
// removal is dropped too.
import type { BulkDeltaBatch } from '../memory/bulkDelta';
import type { DeltaBatch } from '../memory/types';
import { containsSecret, isWordLikeValue, looksRandom, opensSecretContext, secretValueInNgram } from '../workspace/secrets';

// Every pattern the detector knows needs at least this many characters.
const SHORTEST_SECRET = 16;
const CACHE_LIMIT = 100_000;
/**
 * Value tokens shorter than this, or that read as words (`test`, `letmein`), are not marked: they
 * are withheld with their context only, or marking them would withhold every entry holding a word.
 */
const SHORTEST_MARKED_VALUE = 4;
/** A value's pieces split off by punctuation (`ab!cd` → `ab`, `!`, `cd`) are marked as far as this. */
const MAX_VALUE_PIECES = 6;
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

  /** True for a token marked as a secret value by an earlier `mark`. */
  has(token: string): boolean {
    return this.marked.has(token);
  }

  /** Marks the secret values the n-gram gives away; true when it gives one away. */
  mark(ngram: readonly string[]): boolean {
    if (!ngram.some((token) => this.opensContext(token))) return false;
    const value = secretValueInNgram(ngram);
    if (value < 0) return false;
    this.markValue(ngram, value);
    return true;
  }

  /**
   * `mark` over a batch in bulk form, making an n-gram only for entries that name a secret; returns
   * which entries give a secret away in context (1), whose value may be too short to mark.
   */
  markBulk(batch: BulkDeltaBatch): Uint8Array {
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
      this.markValue(ngram, value);
      secret[i] = 1;
    }
    return secret;
  }

  private markValue(ngram: readonly string[], value: number): void {
    if (this.marked.size >= CACHE_LIMIT) this.marked.clear();
    this.markPiece(ngram[value]);
    for (let k = value + 1; k + 1 < ngram.length && k <= value + MAX_VALUE_PIECES; k += 2) {
      const separator = ngram[k];
      const piece = ngram[k + 1];
      if (separator.length !== 1 || VALUE_ENDS.has(separator) || VALUE_ENDS.has(piece)) break;
      this.markPiece(piece);
    }
  }

  private markPiece(piece: string): void {
    if (piece.length >= SHORTEST_MARKED_VALUE && !isWordLikeValue(piece)) this.marked.add(piece);
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

/** The batch without entries holding a secret token, a secret in context, or a value given away elsewhere in it. */
export function withoutSecrets(batch: DeltaBatch, isSecretToken: (token: string) => boolean): DeltaBatch {
  const values = new SecretValues();
  const inContext = batch.entries.map((entry) => values.mark(entry.ngram));
  const entries = batch.entries.filter((entry, i) => !inContext[i] && !entry.ngram.some((token) => isSecretToken(token) || values.has(token)));
  return entries.length === batch.entries.length ? batch : { entries };
}
