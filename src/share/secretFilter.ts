// Secrets are never shared: a secret token becomes a cut ('': no n-gram spans it) in the text we
// publish and in the text peers send, whatever the sender's own filter missed (the trainer already
// redacts secrets before learning, but a memory learned by an older version, or a peer's, may hold
// some). Two rules, from src/workspace/secrets.ts: a token that is a secret by itself (a known
// token shape, a random-looking string), and a secret given away by its neighbours
// (`password = x`, `mysql -pX`, `login("me", "x")`). The second marks the value token, and every
// occurrence of that token is cut too, wherever it comes: the memory also counts `x` alone and
// after other words.
// The context rule reads the token stream as the n-gram check did (every window of up to `order`
// tokens holding the opener), and follows a credential call or command further (MAX_FOLLOW tokens:
// `connect("db.internal", "root", "…")`, `redis-cli -h cache -a …`). A marked value stays marked
// (up to a cap), across batches: a peer's snapshot arrives in parts. A value that reads as a word
// (`hunter`, `letmein`) is marked only for the text of the writer that gave it away: marked for
// everyone, a peer could make us cut every `the` or `const` by sending `password = the`.
import { DEFAULT_ORDER } from '../memory/memory';
import { containsSecret, credentialCallLiterals, isWordLikeValue, looksRandom, opensLongContext, opensSecretContext, secretValueInNgram } from '../workspace/secrets';

// Every pattern the detector knows needs at least this many characters.
const SHORTEST_SECRET = 16;
const CACHE_LIMIT = 100_000;
/** Value tokens shorter than this are not marked: they are withheld with their context only. */
const SHORTEST_MARKED_VALUE = 4;
/** A value's pieces split off by punctuation (`ab!cd` → `ab`, `!`, `cd`) are marked as far as this. */
const MAX_VALUE_PIECES = 6;
/** Tokens followed past an opener of a long context (a call's arguments, a command's flags). */
export const MAX_FOLLOW = 48;
/** Tokens before an opener that its context reads (`user : pw @`, `api key = …`). */
const LOOK_BACK = 3;
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

/** A stream of tokens ('' is a cut) read by position, without making a string array of it. */
export interface TokenStream {
  readonly length: number;
  at(k: number): string;
  /** Whether token k may open a secret context (SecretValues.opensContext); given by a caller that knows it faster (one answer per word of a batch's table). */
  opens?(k: number): boolean;
}

/**
 * The secret values that streams give away in context, remembered across batches (a peer's
 * snapshot arrives in parts, and a value may come alone before or after its context).
 */
export class SecretValues {
  private readonly marked = new Set<string>();
  private readonly opens = new Map<string, boolean>();

  /** True for a token marked as a secret value by an earlier mark (values that read as words aside). */
  has(token: string): boolean {
    return this.marked.has(token);
  }

  /**
   * Marks the secret values one n-gram-long window gives away (those that read as words into
   * `words`); true when it gives one away.
   */
  mark(ngram: readonly string[], words?: Set<string>): boolean {
    if (!ngram.some((token) => this.opensContext(token))) return false;
    const value = secretValueInNgram(ngram);
    if (value < 0) return false;
    this.markValue(ngram, value, words);
    return true;
  }

  /**
   * Reads `stream` for secrets given away in context: marks their values (those that read as
   * words into `words`; none for undefined) and calls `cut(k)` for each position to withhold (the
   * value and its pieces, however short: a value too short to mark anywhere else is still cut
   * where its context gives it away). A window never spans a cut: the writer's text ended there.
   * Work is bounded by the stream's length whatever openers a hostile stream holds: past a budget
   * long contexts are read as far as an n-gram reaches only.
   */
  markStream(stream: TokenStream, order: number, words: Set<string> | undefined, cut: (k: number) => void, meter: { steps: number } = { steps: 0 }): void {
    const n = stream.length;
    const reach = Math.max(order, DEFAULT_ORDER);
    let budget = MAX_FOLLOW * 64 + 16 * n;
    const opens = stream.opens ?? ((k: number) => this.opensContext(stream.at(k)));
    for (let k = 0; k < n; k++) {
      if (!opens(k)) continue;
      const token = stream.at(k);
      let from = k;
      const back = token === '@' ? LOOK_BACK : 1;
      while (from > 0 && k - from < back && stream.at(from - 1) !== '') from--;
      // As the n-gram check saw it: n-grams from `from` of up to `order` tokens, and never fewer
      // than the default order's (a team memory of a low order still holds the value's token,
      // and the n-grams after the context's last tokens that lead to it).
      let to = k + 1;
      while (to < n && to - from < reach && stream.at(to) !== '') to++;
      const window: string[] = [];
      for (let j = from; j < to; j++) window.push(stream.at(j));
      meter.steps += window.length;
      const opener = k - from;
      if (budget > 0 && opensLongContext(window, opener)) {
        // Followed further, as one long n-gram: every literal of a call (its user name, password,
        // database), a command's flag value. Values that read as words are not marked here: a
        // user name such as `root` would be.
        while (to < n && to - k < MAX_FOLLOW && stream.at(to) !== '') window.push(stream.at(to++));
        budget -= window.length;
        meter.steps += window.length;
        const literals = credentialCallLiterals(window);
        for (const v of literals) this.cutValue(window, v, undefined, from, cut);
        const value = secretValueInNgram(window);
        if (value >= 0 && !literals.includes(value)) this.cutValue(window, value, undefined, from, cut);
        continue;
      }
      const value = secretValueInNgram(window);
      if (value >= 0) this.cutValue(window, value, words, from, cut);
    }
  }

  /** Marks the value at `value` of `window` (at `offset` in its stream) and cuts it and its pieces. */
  private cutValue(window: readonly string[], value: number, words: Set<string> | undefined, offset: number, cut: (k: number) => void): void {
    for (const k of this.markValue(window, value, words)) cut(offset + k);
  }

  /** Marks a value and its pieces; returns their positions in `ngram`. */
  private markValue(ngram: readonly string[], value: number, words: Set<string> | undefined): number[] {
    if (this.marked.size >= CACHE_LIMIT) this.marked.clear();
    if (words && words.size >= CACHE_LIMIT) words.clear();
    const positions = [value];
    this.markPiece(ngram[value], words);
    for (let k = value + 1; k + 1 < ngram.length && k <= value + MAX_VALUE_PIECES; k += 2) {
      const separator = ngram[k];
      const piece = ngram[k + 1];
      if (separator.length !== 1 || VALUE_ENDS.has(separator) || VALUE_ENDS.has(piece)) break;
      this.markPiece(piece, words);
      positions.push(k + 1);
    }
    return positions;
  }

  private markPiece(piece: string, words: Set<string> | undefined): void {
    if (piece.length < SHORTEST_MARKED_VALUE) return;
    if (!isWordLikeValue(piece)) this.marked.add(piece);
    else if (!/^\d+$/.test(piece)) words?.add(piece);
  }

  /** True for a token that may start a secret in context (cached). */
  opensContext(token: string): boolean {
    if (token.length <= 1) return token === '@'; // punctuation, most of a stream's tokens
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
 * The writer's side: cuts secrets from the documents it publishes. Values given away in one
 * document are cut from the documents that follow too, words among them (the text is all ours).
 */
export class TextSecretFilter {
  private readonly values = new SecretValues();
  private readonly words = new Set<string>();

  constructor(
    private readonly isSecretToken: (token: string) => boolean,
    private readonly order = DEFAULT_ORDER,
  ) {}

  /** `tokens` with every secret replaced by a cut (''); the same array when there is none. */
  cut(tokens: readonly string[]): readonly string[] {
    let out: string[] | undefined;
    const cutAt = (k: number): void => {
      out ??= tokens.slice();
      out[k] = '';
    };
    this.values.markStream({ length: tokens.length, at: (k) => tokens[k] }, this.order, this.words, cutAt);
    for (let k = 0; k < tokens.length; k++) {
      const token = tokens[k];
      if (token !== '' && (this.isSecretToken(token) || this.values.has(token) || this.words.has(token))) cutAt(k);
    }
    return out ?? tokens;
  }
}

/** `tokens` with every secret (by itself, in context, or a value given away elsewhere in them) replaced by a cut (''). */
export function withoutSecretTokens(tokens: readonly string[], isSecretToken: (token: string) => boolean, order = DEFAULT_ORDER): string[] {
  return [...new TextSecretFilter(isSecretToken, order).cut(tokens)];
}
