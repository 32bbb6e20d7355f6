import assert from 'node:assert/strict';
import { findWord } from '../../../src/webview/search';

describe('searching a word of the field', () => {
  const words = ['Keeper', 'lamp', 'lamplighter', 'wick'];
  const indexOf = (word: string) => {
    const i = words.indexOf(word);
    return i < 0 ? undefined : i;
  };

  it('finds the exact word first, then a prefix, then a part, ignoring case', () => {
    assert.equal(findWord(words, indexOf, 'lamplighter'), 2);
    assert.equal(findWord(words, indexOf, 'LAMP'), 1);
    assert.equal(findWord(words, indexOf, 'keep'), 0);
    assert.equal(findWord(words, indexOf, 'ligh'), 2);
  });

  it('finds nothing for an empty query or a word not on show', () => {
    assert.equal(findWord(words, indexOf, ''), -1);
    assert.equal(findWord(words, indexOf, 'zeppelin'), -1);
  });
});
