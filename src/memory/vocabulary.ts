// Word <-> dense id. Id 0 is the HOLE: a forgotten word's place in a stored document, which no
// n-gram may span. Ids are never reused, so stored documents stay valid.
import { runSteps } from './steps';

export const HOLE = 0;

export class Vocabulary {
  private readonly ids = new Map<string, number>();
  /** words[id]; '' for the hole and for forgotten words. */
  readonly words: string[] = [''];

  get size(): number {
    return this.words.length;
  }

  get(word: string): number | undefined {
    return this.ids.get(word);
  }

  /** The id of `word`, adding it when new. */
  intern(word: string): number {
    let id = this.ids.get(word);
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
    const id = this.ids.get(word);
    if (id === undefined) return;
    this.ids.delete(word);
    this.words[id] = '';
  }

  /** Removes the words with ids >= size (added by an operation that was refused). */
  truncate(size: number): void {
    for (let id = size; id < this.words.length; id++) if (this.ids.get(this.words[id]) === id) this.ids.delete(this.words[id]);
    this.words.length = Math.max(1, Math.min(size, this.words.length));
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
