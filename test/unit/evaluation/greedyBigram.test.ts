import { strict as assert } from 'node:assert';
import { tokenize, tokenizeWithOffsets } from '../../../src/memory/index';
import { GreedyBigram } from '../../../src/evaluation/greedyBigram';

function trained(text: string): GreedyBigram {
  const model = new GreedyBigram();
  const tokens = tokenizeWithOffsets(text);
  model.train(tokens.map((t) => t.text));
  model.learnSpacing(text, tokens);
  return model;
}

describe('evaluation/greedyBigram (the prototype baseline)', () => {
  it('ranks successors by how often they followed, ties in code-unit order', () => {
    const model = new GreedyBigram();
    model.train(['a', 'b', 'a', 'c', 'a', 'b', 'a', 'B']);
    assert.deepEqual(model.successors('a', 10), ['b', 'B', 'c']);
    assert.deepEqual(model.successors('a', 1), ['b']);
    assert.deepEqual(model.successors('zzz', 10), []);
    assert.deepEqual(model.successors(undefined, 10), []);
    assert.equal(model.tokens, 8);
  });

  it('does not count pairs across documents', () => {
    const model = new GreedyBigram();
    model.train(['x', 'y']);
    model.train(['z', 'w']);
    assert.deepEqual(model.successors('y', 10), []);
  });

  it('follows the brightest connection to the end of the line, with learned spacing', () => {
    const model = trained('x = foo(bar);\nx = foo(bar);\ny = 2;\n');
    assert.equal(model.ghostText('x '), '= foo(bar);');
    assert.equal(model.ghostText('x ='), ' foo(bar);');
    assert.equal(model.ghostText('x = foo('), 'bar);');
    assert.equal(model.ghostText('x = f'), 'oo(bar);');
    assert.equal(model.ghostText('x = foo'), '', 'a whole word typed is not a partial one');
  });

  it('completes a partly typed word with a successor that starts with it', () => {
    const model = trained('call the doctor now\ncall the dog now\ncall the doctor now\n');
    assert.equal(model.ghostText('call the do'), 'ctor now');
    assert.equal(model.ghostText('call the dog'), '');
  });

  it('says nothing without a connection', () => {
    const model = trained('a b\n');
    assert.equal(model.ghostText(''), '');
    assert.equal(model.ghostText('unknown '), '');
    assert.deepEqual(tokenize('a b\n'), ['a', 'b', '\n']);
  });
});
