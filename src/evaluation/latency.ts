// Latency summaries: nearest-rank percentiles over recorded durations.

/** Nearest-rank percentile (p in 0..100) of the values; NaN for none. Does not reorder `values`. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export interface LatencySummary {
  p50: number;
  p99: number;
  mean: number;
  samples: number;
}

export function summarizeLatency(values: readonly number[]): LatencySummary {
  const total = values.reduce((sum, v) => sum + v, 0);
  return {
    p50: percentile(values, 50),
    p99: percentile(values, 99),
    mean: values.length === 0 ? Number.NaN : total / values.length,
    samples: values.length,
  };
}
