// Frequency of a neuron's pulse = recency: when a word was last learned or typed. The memory keeps
// no clock, so the light panel remembers when it saw each word go by.

export class RecencyClock {
  private readonly lastSeen = new Map<string, number>();

  /** @param halfLifeMs after this long a word pulses half as fast as a word used just now. */
  constructor(private readonly halfLifeMs = 5 * 60_000, private readonly capacity = 200_000) {}

  touch(word: string, now: number): void {
    this.lastSeen.delete(word); // re-insert so the Map's order stays oldest-first
    this.lastSeen.set(word, now);
    if (this.lastSeen.size > this.capacity) {
      const oldest = this.lastSeen.keys().next().value;
      if (oldest !== undefined) this.lastSeen.delete(oldest);
    }
  }

  forget(word: string): void {
    this.lastSeen.delete(word);
  }

  /** 1 for a word seen now, halving every half-life, 0 for a word never seen. */
  recency(word: string, now: number): number {
    const seen = this.lastSeen.get(word);
    if (seen === undefined) return 0;
    return Math.pow(0.5, Math.max(0, now - seen) / this.halfLifeMs);
  }
}
