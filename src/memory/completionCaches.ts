// Recency caches kept per editor (cache key) for the completion path. Each follows the text
// before the cursor incrementally: while the user types on, only new tokens are observed; when
// the text before the cursor changes otherwise (the cursor moved back, text was pasted above), the
// cache is rebuilt from that text. Either way it only ever sees text before the cursor.
import { RecencyCache } from './recencyCache';
import { scanTokens } from './tokenizer';
import { NEWLINE } from './types';

interface Entry {
  cache: RecencyCache;
  /** The text the observed tokens came from, up to where the next unobserved token starts. */
  consumed: string;
  lastObserved: string | undefined;
}

/** Tokens at the end of the text may still grow or merge (`1` -> `1.5`): they wait. */
const UNSETTLED_TOKENS = 2;
/**
 * A rebuilt cache starts this many characters before the cursor (at a line start), so opening a
 * huge file never blocks on feeding all of it; typing on extends it without limit.
 */
export const CACHE_WINDOW_CHARS = 32_768;

export class CompletionCaches {
  private readonly entries = new Map<string, Entry>();
  /** The cache of the editor evicted last, emptied and handed to the next new one (its arrays are grown already). */
  private spare: RecencyCache | undefined;

  constructor(
    private readonly order: number,
    private readonly capacity = 8,
  ) {}

  /** The cache for `key`, brought up to date with `textBeforeCursor`. */
  sync(key: string, textBeforeCursor: string): RecencyCache {
    let entry = this.entries.get(key);
    if (entry) this.entries.delete(key); // re-inserted below as most recently used
    if (!entry || !textBeforeCursor.startsWith(entry.consumed)) {
      const cache = entry?.cache ?? this.spare ?? new RecencyCache(this.order);
      if (cache === this.spare) this.spare = undefined;
      entry = { cache, consumed: '', lastObserved: undefined };
      entry.cache.clear();
    }
    this.entries.set(key, entry);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.spare = this.entries.get(oldest)!.cache;
      this.entries.delete(oldest);
    }

    let from = entry.consumed.length;
    if (from === 0 && textBeforeCursor.length > CACHE_WINDOW_CHARS) {
      const cut = textBeforeCursor.indexOf('\n', textBeforeCursor.length - CACHE_WINDOW_CHARS);
      from = cut < 0 ? textBeforeCursor.length : cut + 1;
    }
    const starts: number[] = [];
    const tokens: string[] = [];
    const text = textBeforeCursor;
    scanTokens(
      text,
      (start, end) => {
        starts.push(start);
        const c = text.charCodeAt(start);
        tokens.push(c === 10 || c === 13 || c === 0x2028 || c === 0x2029 || c === 0x85 ? NEWLINE : text.slice(start, end));
      },
      from,
      entry.lastObserved === undefined || entry.lastObserved === NEWLINE,
    );
    const settled = tokens.length - UNSETTLED_TOKENS;
    if (settled > 0) {
      for (let i = 0; i < settled; i++) entry.cache.observe(tokens[i]);
      entry.lastObserved = tokens[settled - 1];
      entry.consumed = text.slice(0, starts[settled]);
    }
    return entry.cache;
  }

  clear(): void {
    this.entries.clear();
    this.spare = undefined;
  }
}
