import { strict as assert } from 'node:assert';
import type { Completion, CompletionResult } from '../../../src/memory/types';
import { filterCompletion, filterPredictions, isSafeCompletion } from '../../../src/workspace/completionFilter';

function completion(text: string, partialWord = ''): Completion {
  return { text, partialWord, tokens: text.trim().split(/\s+/), confidence: 0.9 };
}

describe('workspace/completionFilter', () => {
  const none = new Set<string>();

  it('lets ordinary continuations through', () => {
    assert.ok(isSafeCompletion('const name = "', completion('harbour-light"'), none));
    assert.ok(isSafeCompletion('The keeper climbs the', completion(' spiral stairs'), none));
  });

  it('never suggests a token that looks like a secret, alone or as the value of a secret name', () => {
    assert.ok(!isSafeCompletion('const x = ', completion('"Xy7pQ2rT9sLm4NvB8cKdW3zq"'), none));
    assert.ok(!isSafeCompletion('const apiKey = "', completion('hunter2xyz9"'), none));
    assert.ok(!isSafeCompletion('aws = ', completion('AKIAQWERTYUIOPASDFGH'), none));
    assert.ok(!isSafeCompletion('Authorization: Bearer ', completion('abcdef0123456789abcdef'), none));
    assert.ok(!isSafeCompletion('token: ', completion('ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'), none));
  });

  it('does not blame a suggestion for a secret already typed on the line', () => {
    assert.ok(isSafeCompletion('password = "hunter2xyz9"; const next = ', completion('computeNext()'), none));
  });

  it('drops forgotten words and empty suggestions', () => {
    assert.ok(!isSafeCompletion('the ', completion('mooncalf ledger'), new Set(['mooncalf'])));
    assert.ok(!isSafeCompletion('the ', completion('   '), none));
  });

  it('filters a whole result, keeping the best only when it is safe', () => {
    const safe = completion(' stairs');
    const secret = completion(' Xy7pQ2rT9sLm4NvB8cKdW3zq');
    const result: CompletionResult = { best: secret, alternatives: [secret, safe] };
    const filtered = filterCompletion('The keeper climbs the', result, none);
    assert.equal(filtered.best, undefined);
    assert.deepEqual(filtered.alternatives, [safe]);
    const kept = filterCompletion('The keeper climbs the', { best: safe, alternatives: [safe, secret] }, none);
    assert.equal(kept.best, safe);
  });

  it('filters ranked words', () => {
    const predictions = [
      { token: 'stairs', probability: 0.5 },
      { token: 'Xy7pQ2rT9sLm4NvB8cKdW3zq', probability: 0.3 },
      { token: 'mooncalf', probability: 0.2 },
    ];
    assert.deepEqual(filterPredictions(predictions, new Set(['mooncalf'])).map((p) => p.token), ['stairs']);
  });
});
