import { strict as assert } from 'node:assert';
import { rankOf, RankingScore } from '../../../src/evaluation/ranking';
import { percentile, summarizeLatency } from '../../../src/evaluation/latency';

describe('evaluation/ranking', () => {
  it('finds the 1-based rank within the depth, 0 when absent or deeper', () => {
    const ranked = ['a', 'b', 'c', 'd'];
    assert.equal(rankOf(ranked, 'a'), 1);
    assert.equal(rankOf(ranked, 'c'), 3);
    assert.equal(rankOf(ranked, 'z'), 0);
    assert.equal(rankOf(ranked, 'd', 3), 0);
    assert.equal(rankOf([], 'a'), 0);
  });

  it('computes top-1 and MRR@10 by hand-checkable sums', () => {
    const score = new RankingScore(10);
    for (const rank of [1, 2, 4, 0, 11]) score.add(rank);
    // hits: one of five; reciprocal ranks 1 + 1/2 + 1/4 + 0 + 0 (rank 11 is beyond the depth).
    assert.equal(score.predictions, 5);
    assert.equal(score.top1, 0.2);
    assert.equal(score.mrr, 1.75 / 5);
  });

  it('reports zeros, not NaN, when nothing was scored', () => {
    const score = new RankingScore();
    assert.equal(score.top1, 0);
    assert.equal(score.mrr, 0);
  });
});

describe('evaluation/latency', () => {
  it('takes nearest-rank percentiles without reordering the input', () => {
    const values = [5, 1, 4, 2, 3];
    assert.equal(percentile(values, 50), 3);
    assert.equal(percentile(values, 99), 5);
    assert.equal(percentile(values, 0), 1);
    assert.deepEqual(values, [5, 1, 4, 2, 3]);
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    assert.equal(percentile(hundred, 99), 99);
    assert.equal(percentile(hundred, 50), 50);
  });

  it('summarizes p50, p99, mean and count; NaN for no samples', () => {
    assert.deepEqual(summarizeLatency([2, 4]), { p50: 2, p99: 4, mean: 3, samples: 2 });
    assert.ok(Number.isNaN(summarizeLatency([]).p50));
  });
});
