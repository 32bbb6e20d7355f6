// What the host says about a word (its count, likely successors and who taught it), asked for when a
// card shows the word and kept until the field changes.
import { MAX_WORD_LENGTH } from '../protocol/forgettableWord';
import type { HostToWebview, WebviewToHost } from '../protocol/lightMessages';

/** What the host's description message says about its word (whatever fields it grows). */
export type WordDescription = Omit<Extract<HostToWebview, { type: 'description' }>, 'type' | 'requestId' | 'word'>;

export class WordDescriptions {
  private readonly known = new Map<string, WordDescription>();
  private nextRequest = 1;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly post: (message: Extract<WebviewToHost, { type: 'describe' }>) => void) {}

  /** The description if the host gave it; otherwise undefined, and the host is asked. */
  get(word: string): WordDescription | undefined {
    const known = this.known.get(word);
    if (!known && word.length <= MAX_WORD_LENGTH) this.post({ type: 'describe', requestId: this.nextRequest++, word });
    return known;
  }

  /** The host's answer. */
  add(word: string, description: WordDescription): void {
    this.known.set(word, description);
    for (const listener of this.listeners) listener();
  }

  /** Forgets every answer (the field changed, counts with it). */
  clear(): void {
    this.known.clear();
  }

  onAdded(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
