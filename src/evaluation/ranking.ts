// Top-1 accuracy and mean reciprocal rank over ranked next-token predictions.

/** Rank (1-based) of `actual` in `ranked` within the first `depth` entries; 0 when absent. */
export function rankOf(ranked: readonly string[], actual: string, depth = 10): number {
  const limit = Math.min(depth, ranked.length);
  for (let i = 0; i < limit; i++) if (ranked[i] === actual) return i + 1;
  return 0;
}

/** Accumulates ranks: top-1 is the share of rank 1, MRR@depth the mean of 1/rank (0 for misses). */
export class RankingScore {
  private count = 0;
  private hits = 0;
  private reciprocalSum = 0;

  constructor(readonly depth = 10) {}

  /** `rank` is 1-based; 0 (or anything beyond the depth) is a miss. */
  add(rank: number): void {
    this.count++;
    if (rank === 1) this.hits++;
    if (rank >= 1 && rank <= this.depth) this.reciprocalSum += 1 / rank;
  }

  get predictions(): number {
    return this.count;
  }

  /** Share of predictions ranked first, 0..1. */
  get top1(): number {
    return this.count === 0 ? 0 : this.hits / this.count;
  }

  /** Mean reciprocal rank within the depth, 0..1. */
  get mrr(): number {
    return this.count === 0 ? 0 : this.reciprocalSum / this.count;
  }
}
