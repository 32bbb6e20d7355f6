import assert from 'node:assert/strict';
import { describePath, isPhrase, MAX_PATH_WORDS, phraseWords, resolvePath } from '../../../src/webview/phrasePath';

describe('a phrase as a path through the field', () => {
  const words = ['the', 'Keeper', 'trims', 'wick', '.'];
  const exact = (w: string) => (words.includes(w) ? words.indexOf(w) : undefined);
  const lower = words.map((w) => w.toLowerCase());
  const caseless = (w: string) => (lower.includes(w) ? lower.indexOf(w) : undefined);

  it('cuts the phrase as the memory does: words and punctuation apart, line breaks dropped', () => {
    assert.deepEqual(phraseWords('the keeper.trims\nwick').words, ['the', 'keeper', '.', 'trims', 'wick']);
  });

  it('takes words separated by spaces for a phrase; one word, even one the memory cuts, is a search', () => {
    assert.equal(isPhrase('the keeper'), true);
    assert.equal(isPhrase('watch.keeper ('), true);
    assert.equal(isPhrase('keeper'), false);
    assert.equal(isPhrase('no-such-word'), false);
    assert.equal(isPhrase('  keeper  '), false);
    assert.equal(isPhrase(''), false);
  });

  it('keeps at most MAX_PATH_WORDS words of a long paste, and says it cut', () => {
    const long = phraseWords('wick '.repeat(MAX_PATH_WORDS + 5));
    assert.equal(long.words.length, MAX_PATH_WORDS);
    assert.equal(long.cut, true);
    assert.equal(phraseWords('the wick').cut, false);
  });

  it('finds each word in order, in another case if need be, and names each word not on show once', () => {
    const path = resolvePath(phraseWords('the keeper trims the lamp, lamp wick'), exact, caseless);
    assert.deepEqual(path.steps, [0, 1, 2, 0, 3]);
    assert.deepEqual(path.missing, ['lamp', ',']);
  });

  it('says how many words are lit and which were skipped', () => {
    const path = resolvePath(phraseWords('the lamp trims'), exact, caseless);
    assert.equal(describePath(path), 'Path: 2 of 3 words · skipped “lamp”, not on show');
    assert.equal(describePath(resolvePath(phraseWords('the wick'), exact, caseless)), 'Path: 2 of 2 words');
    assert.equal(describePath(resolvePath(phraseWords('lamp oil'), exact, caseless)), 'None of these words is on show: “lamp”, “oil”');
  });
});
