// Word <-> dense id. Id 0 is the HOLE: a forgotten word's place in a stored document, which no
// n-gram may span. Ids are never reused, so stored documents stay valid.
import { runSteps } from './steps';

export const HOLE = 0;

export class Vocabulary {
  private readonly ids = new Map<string, number>();
  /** words[id]; '' for the hole and for forgotten words. */
  readonly words: string[];
  /** A prebuilt lookup of the first words (see frozen() and extending()); the Map holds the rest. */
  private lookup: Int32Array | undefined;
  /** Whether words may be added after those of the prebuilt lookup. */
  private extensible = true;

  /** Only the hole, or `words` (the hole first), which the vocabulary takes as its own array: no copy. */
  constructor(words: string[] = ['']) {
    this.words = words;
  }

  get size(): number {
    return this.words.length;
  }

  get(word: string): number | undefined {
    const lookup = this.lookup;
    if (!lookup) return this.ids.get(word);
    const mask = lookup.length - 1;
    for (let slot = hashWord(word) & mask; ; slot = (slot + 1) & mask) {
      const id = lookup[slot];
      if (id < 0) return this.ids.size === 0 ? undefined : this.ids.get(word);
      if (this.words[id] === word) return id;
    }
  }

  /** The id of `word`, adding it when new. */
  intern(word: string): number {
    if (!this.extensible) throw new RangeError('this vocabulary is frozen');
    let id = this.get(word);
    if (id === undefined) {
      id = this.words.length;
      this.words.push(word);
      this.ids.set(word, id);
    }
    return id;
  }

  word(id: number): string {
    return this.words[id];
  }

  /** Forgets a word: its id stays allocated but maps to nothing. */
  remove(word: string): void {
    if (!this.extensible) throw new RangeError('this vocabulary is frozen');
    const id = this.get(word);
    if (id === undefined) return;
    this.ids.delete(word);
    this.words[id] = '';
  }

  /**
   * A new vocabulary with the same words and ids that takes new words after them; this one is not
   * changed (a prebuilt lookup is shared, being only read).
   */
  extended(): Vocabulary {
    if (this.lookup) {
      const v = Vocabulary.extending(this.words, this.lookup);
      for (const [word, id] of this.ids) v.ids.set(word, id);
      return v;
    }
    const v = new Vocabulary(roomyCopy(this.words));
    for (const [word, id] of this.ids) v.ids.set(word, id);
    return v;
  }

  /** Removes the words with ids >= size (added by an operation that was refused). */
  truncate(size: number): void {
    for (let id = size; id < this.words.length; id++) if (this.ids.get(this.words[id]) === id) this.ids.delete(this.words[id]);
    this.words.length = Math.max(1, Math.min(size, this.words.length));
  }

  /**
   * The slots of a frozen lookup of these words (open addressing by hashWord, -1 empty): what a
   * memory file saves, so that loading a million words builds no Map of a million entries.
   */
  static lookupOf(words: readonly string[]): Int32Array {
    let slots = 32;
    while (slots < words.length * 1.5) slots *= 2;
    const lookup = new Int32Array(slots).fill(-1);
    const mask = slots - 1;
    for (let id = 1; id < words.length; id++) {
      if (words[id] === '') continue;
      let slot = hashWord(words[id]) & mask;
      while (lookup[slot] >= 0) slot = (slot + 1) & mask;
      lookup[slot] = id;
    }
    return lookup;
  }

  /**
   * A read-only vocabulary over `words` (taken as its own array, not copied) with a lookup made by
   * lookupOf (checked by the caller: a power-of-two length above the word count, ids in range, at
   * least one empty slot).
   */
  static frozen(words: string[], lookup: Int32Array): Vocabulary {
    const v = new Vocabulary(words);
    v.lookup = lookup;
    v.extensible = false;
    return v;
  }

  /**
   * A vocabulary that starts as `words` with their lookup (as for frozen(), which the caller
   * checked) and takes new words after them: a memory that learns on top of an immutable one.
   * The lookup is only read, so it may be the immutable memory's own.
   */
  static extending(words: readonly string[], lookup: Int32Array): Vocabulary {
    const v = new Vocabulary(roomyCopy(words));
    v.lookup = lookup;
    return v;
  }

  static fromWords(words: string[]): Vocabulary {
    return runSteps(Vocabulary.fromWordsInSteps(words, Infinity));
  }

  /** fromWords, yielding after every `piece` words (a large vocabulary takes tens of ms). */
  static *fromWordsInSteps(words: string[], piece: number): Generator<void, Vocabulary> {
    const v = new Vocabulary();
    v.words.length = 0;
    for (let from = 0; from < words.length; from += piece) {
      const to = Math.min(words.length, from + piece);
      for (let id = from; id < to; id++) {
        v.words.push(words[id]);
        if (id !== HOLE && words[id] !== '') v.ids.set(words[id], id);
      }
      if (to < words.length) yield;
    }
    return v;
  }
}

/**
 * A copy of `words` made at once (not grown word by word: less garbage) that has room for more:
 * an exact copy would be copied whole again by the first word pushed (10-40 ms for a million
 * words, inside whichever edit met a new word), so one push grows it now.
 */
function roomyCopy(words: readonly string[]): string[] {
  const copy = words.slice();
  copy.push('');
  copy.pop();
  return copy;
}

/** FNV-1a over a word's UTF-16 code units. */
export function hashWord(word: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193);
  return (h ^ (h >>> 15)) >>> 0;
}
