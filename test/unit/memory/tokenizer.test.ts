import assert from 'node:assert/strict';
import { endsInsideWord, NEWLINE, tokenize, tokenizeWithOffsets, tokenizeWithSpacing, tokenKind } from '../../../src/memory';

describe('tokenizer', () => {
  it('splits code into identifiers, numbers and single punctuation marks', () => {
    assert.deepEqual(tokenize('const $el = foo_bar(x, 1.5e3);'), ['const', '$el', '=', 'foo_bar', '(', 'x', ',', '1.5e3', ')', ';']);
    assert.deepEqual(tokenize('a=>b!==0x1F'), ['a', '=', '>', 'b', '!', '=', '=', '0x1F']);
  });

  it('keeps the words inside strings and comments', () => {
    assert.deepEqual(tokenize('// hello world\nx = "good day"'), ['/', '/', 'hello', 'world', NEWLINE, 'x', '=', '"', 'good', 'day', '"']);
  });

  it('handles Unicode letters, marks and astral characters', () => {
    assert.deepEqual(tokenize('Grüße, naïve café 日本語 😀!'), ['Grüße', ',', 'naïve', 'café', '日本語', '😀', '!']);
    assert.deepEqual(tokenize('𝒳y = 1'), ['𝒳y', '=', '1']);
  });

  it('marks line breaks with one NEWLINE per run of blank lines, none at the start', () => {
    assert.deepEqual(tokenize('\n\na\r\n\r\n  \n b\n'), ['a', NEWLINE, 'b', NEWLINE]);
    assert.deepEqual(tokenize(''), []);
    assert.deepEqual(tokenize('   \n  '), []);
  });

  it('reports offsets that slice back to the token text', () => {
    const text = 'let x = 42;\nfoo(x)';
    for (const t of tokenizeWithOffsets(text)) {
      if (t.text === NEWLINE) assert.equal(text.slice(t.start, t.end), '\n');
      else assert.equal(text.slice(t.start, t.end), t.text);
    }
  });

  it('reports which tokens had whitespace before them on the same line', () => {
    const { tokens, spaced } = tokenizeWithSpacing('if (a) {\n  foo(b)');
    assert.deepEqual(tokens, ['if', '(', 'a', ')', '{', NEWLINE, 'foo', '(', 'b', ')']);
    assert.deepEqual(spaced, [false, true, false, false, true, false, false, false, false, false]);
  });

  it('classifies token kinds', () => {
    assert.equal(tokenKind('return'), 'keyword');
    assert.equal(tokenKind('fooBar'), 'identifier');
    assert.equal(tokenKind('foo_bar'), 'identifier');
    assert.equal(tokenKind('hello'), 'word');
    assert.equal(tokenKind('Hello'), 'word');
    assert.equal(tokenKind('42'), 'number');
    assert.equal(tokenKind('('), 'punctuation');
    assert.equal(tokenKind(NEWLINE), 'newline');
  });

  it('knows when the text ends inside a word', () => {
    assert.equal(endsInsideWord('foo'), true);
    assert.equal(endsInsideWord('foo '), false);
    assert.equal(endsInsideWord('foo('), false);
    assert.equal(endsInsideWord('x1'), true);
    assert.equal(endsInsideWord(''), false);
  });
});
