import assert from 'node:assert/strict';
import { buildSuffixIndex } from '../../../src/memory/suffixIndex';
import { buildIndexInParallel } from '../../../src/threads/parallelIndexBuild';

describe('threads/parallelIndexBuild', function () {
  this.timeout(120_000);

  it('builds on two threads exactly the index one thread builds', async () => {
    // 1.2M tokens (past the size where a second thread is used), Zipf-like over 3,000 words.
    let seed = 7;
    const next = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const words = Array.from({ length: 3001 }, (_, i) => (i === 0 ? '' : `w${i}`));
    const tokens = new Int32Array(1_200_002);
    for (let i = 1; i < tokens.length - 1; i++) tokens[i] = next() < 0.002 ? 0 : 1 + Math.floor(3000 * next() ** 3);
    const order = 6;
    const one = buildSuffixIndex(tokens, words, order).parts();
    const two = (await buildIndexInParallel(tokens, words, order)).parts();
    assert.deepEqual(Array.from(two.derived), Array.from(one.derived));
    assert.ok(Buffer.from(two.positions.buffer, two.positions.byteOffset, two.positions.byteLength).equals(Buffer.from(one.positions.buffer, one.positions.byteOffset, one.positions.byteLength)));
    assert.deepEqual(Array.from(two.unigramCont), Array.from(one.unigramCont));
    assert.deepEqual(Array.from(two.firstOf), Array.from(one.firstOf));
    for (let d = 0; d <= order; d++) {
      assert.deepEqual(Array.from(two.contStarts[d]), Array.from(one.contStarts[d]), `cont starts of order ${d}`);
      assert.deepEqual(Array.from(two.contValues[d]), Array.from(one.contValues[d]));
      assert.deepEqual(Array.from(two.summaryStarts[d]), Array.from(one.summaryStarts[d]), `summaries of order ${d}`);
      assert.deepEqual(Array.from(two.summaryStats[d]), Array.from(one.summaryStats[d]));
      assert.deepEqual(Array.from(two.summaryTop[d]), Array.from(one.summaryTop[d]));
    }
    assert.ok(one.summaryStarts.some((s) => s.length > 0), 'the stream has busy contexts');
  });
});
