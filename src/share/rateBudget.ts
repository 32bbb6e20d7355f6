// A token bucket: what one link may spend (items, requests) at a bounded rate, with a burst for
// the start of a link (its first sync). Time comes from the caller, so tests count, not wait.
export class RateBudget {
  private tokens: number;
  private last: number;

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Spends `amount` if the budget holds it; false (nothing spent) otherwise. */
  take(amount = 1): boolean {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (amount > this.tokens) return false;
    this.tokens -= amount;
    return true;
  }
}
