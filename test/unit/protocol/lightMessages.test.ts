import { strict as assert } from 'node:assert';
import { isForgettableWord, MAX_WORD_LENGTH } from '../../../src/protocol/forgettableWord';
import { isWebviewToHost } from '../../../src/protocol/lightMessages';

describe('protocol: messages from the webview are bounded and validated', () => {
  it('a word is a word: one token of ordinary text, no punctuation or line break, bounded', () => {
    for (const word of ['foo', 'camelCase', 'snake_case', '$scope', '42', '3.14', 'naïve', 'Größe', 'x'.repeat(MAX_WORD_LENGTH)]) {
      assert.equal(isForgettableWord(word), true, word);
    }
    for (const word of ['', '\n', '(', '.', '=>', 'foo bar', 'foo.bar', ' foo', 'a\u202Eb', 'a\u200Bb', 'x'.repeat(MAX_WORD_LENGTH + 1), 'x'.repeat(33_000), 42, null]) {
      assert.equal(isForgettableWord(word), false, JSON.stringify(word)?.slice(0, 40));
    }
  });

  it('accepts only a word in forget', () => {
    assert.equal(isWebviewToHost({ type: 'forget', word: 'token' }), true);
    for (const word of ['\n', '(', 'x'.repeat(33_000), 'two words', '']) assert.equal(isWebviewToHost({ type: 'forget', word }), false, word.slice(0, 20));
  });

  it('bounds the words of ignite and describe (any token of the field, punctuation included)', () => {
    assert.equal(isWebviewToHost({ type: 'ignite', word: '(', origin: 'click' }), true);
    assert.equal(isWebviewToHost({ type: 'ignite', word: 'x'.repeat(10 * 1024 * 1024), origin: 'search' }), false);
    assert.equal(isWebviewToHost({ type: 'ignite', word: 'foo', origin: 'elsewhere' }), false);
    assert.equal(isWebviewToHost({ type: 'describe', word: 'foo', requestId: 7 }), true);
    assert.equal(isWebviewToHost({ type: 'describe', word: 'x'.repeat(MAX_WORD_LENGTH + 1), requestId: 7 }), false);
    assert.equal(isWebviewToHost({ type: 'describe', word: 'foo', requestId: 0.5 }), false);
    assert.equal(isWebviewToHost({ type: 'describe', word: 'foo', requestId: Number.NaN }), false);
  });

  it('checks every field of rendered and bounds the reason of webglUnavailable', () => {
    assert.equal(isWebviewToHost({ type: 'rendered', version: 3, changedAt: 1, neurons: 10, rays: 20 }), true);
    assert.equal(isWebviewToHost({ type: 'rendered', version: 3, changedAt: 1 }), false);
    assert.equal(isWebviewToHost({ type: 'rendered', version: 3, changedAt: 1, neurons: '10', rays: 20 }), false);
    assert.equal(isWebviewToHost({ type: 'rendered', version: Infinity, changedAt: 1, neurons: 10, rays: 20 }), false);
    assert.equal(isWebviewToHost({ type: 'webglUnavailable', reason: 'no WebGL' }), true);
    assert.equal(isWebviewToHost({ type: 'webglUnavailable', reason: 'x'.repeat(1_000_000) }), false);
    assert.equal(isWebviewToHost({ type: 'unknown' }), false);
    assert.equal(isWebviewToHost('forget'), false);
  });
});
