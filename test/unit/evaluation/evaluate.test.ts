import { strict as assert } from 'node:assert';
import { evaluate, pretokens } from '../../../src/evaluation/evaluate';

describe('evaluation/evaluate', () => {
  it('scores the baseline by hand-checkable ranks on the same tokens', () => {
    // Training tokens: a b \n a c \n a b \n. Baseline successors: a→[b,c], b→[\n], c→[\n], \n→[a].
    // Test "a c\n": a has no previous token (miss), c ranks 2nd after a, \n ranks 1st after c.
    const result = evaluate([{ id: 't', text: 'a b\na c\na b\n' }], [{ id: 'x', text: 'a c\n' }], { keystrokeCharacters: 0 });
    assert.equal(result.test.tokens, 3);
    assert.equal(result.test.scoredTokens, 3);
    assert.ok(Math.abs(result.baseline.top1 - 100 / 3) < 1e-9);
    assert.ok(Math.abs(result.baseline.mrr10 - 0.5) < 1e-9);
    assert.equal(result.keystrokeSavings, null);
  });

  it('scores the model on every token and replays keystrokes through its completion path', () => {
    const line = 'const value = compute(input, options);\n';
    const result = evaluate([{ id: 'a', text: line.repeat(20) }], [{ id: 'b', text: line.repeat(3) }], { keystrokeCharacters: 10_000 });
    assert.ok(result.top1 > 80, `top-1 ${result.top1}`);
    assert.ok(result.mrr10 > 0.8 && result.mrr10 <= 1);
    assert.ok(result.keystrokeSavings !== null && result.keystrokeSavings > 50, `KS ${result.keystrokeSavings}`);
    assert.ok(result.baseline.keystrokeSavings !== null && result.baseline.keystrokeSavings > 0);
    assert.equal(result.keystrokes?.characters, line.length * 3);
    assert.ok(result.latencyMs && result.latencyMs.samples === result.keystrokes?.keystrokes);
    assert.ok(result.trainTokens > 0 && result.trainTokensPerSec > 0);
    assert.ok(result.ngrams > 0 && result.bytesPerNgram > 0);
  });

  it('uses whitespace-separated tokens as they are when pretokenized, and measures no keystrokes', () => {
    assert.deepEqual(pretokens(' the  cat\nsat \t on '), ['the', 'cat', 'sat', 'on']);
    const result = evaluate([{ id: 'a', text: 'x( y\nx( z\n' }], [{ id: 'b', text: 'x( y' }], { pretokenized: true, keystrokeCharacters: 5000 });
    // tokens x( y x( z: the baseline ranks y (then z) after "x(": the test's "y" is rank 1.
    assert.equal(result.test.tokens, 2);
    assert.equal(result.baseline.top1, 50);
    assert.equal(result.keystrokeSavings, null);
    assert.equal(result.trainTokens, 4);
  });

  it('samples every s-th token when capped, deterministically', () => {
    const text = 'a b c d e f g h i j\n'.repeat(10);
    const first = evaluate([{ id: 'a', text }], [{ id: 'b', text }], { maxTestTokens: 25 });
    assert.equal(first.test.tokenStride, 5);
    assert.equal(first.test.scoredTokens, 22);
    const second = evaluate([{ id: 'a', text }], [{ id: 'b', text }], { maxTestTokens: 25 });
    assert.equal(second.top1, first.top1);
  });

  it('sizes the baseline by the heap growth of training it, per bigram', () => {
    let calls = 0;
    const heapUsed = () => (calls++ === 0 ? 1_000_000 : 1_000_000 + 4 * 96);
    // "a b a c" holds three distinct pairs (a b, b a, a c) plus the line end's pair (c \n).
    const result = evaluate([{ id: 't', text: 'a b a c\n' }], [{ id: 'x', text: 'a b' }], { heapUsed });
    assert.equal(result.baseline.ngrams, 4);
    assert.equal(result.baseline.bytesPerNgram, 96);
    assert.equal(result.baseline.peakRssMB, null);
    assert.equal(evaluate([{ id: 't', text: 'a b' }], [{ id: 'x', text: 'a b' }]).baseline.bytesPerNgram, null);
  });

  it('can learn the training files the way the extension does: secrets blanked before counting', () => {
    const secret = 'const key = "ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";\n';
    const train = [{ id: 'config.js', text: secret.repeat(3) }];
    const test = [{ id: 't.js', text: 'const key = 1;\n' }];
    const plain = evaluate(train, test);
    const likeExtension = evaluate(train, test, { learnLikeExtension: true });
    assert.ok(likeExtension.trainTokens < plain.trainTokens, `${likeExtension.trainTokens} < ${plain.trainTokens}`);
  });
});
