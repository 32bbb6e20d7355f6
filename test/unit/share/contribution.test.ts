import { strict as assert } from 'node:assert';
import { Memory, tokenize } from '../../../src/memory';
import { memoryContribution } from '../../../src/share/contribution';

describe('share/contribution', () => {
  it('is exactly the memory: applied to an empty memory it reproduces every count', () => {
    const local = new Memory({ order: 4 });
    const texts = ['const a = foo(bar);\nconst b = foo(baz);', 'The light reaches every neuron.\nThe light fades.', 'foo(bar) + foo(bar)'];
    texts.forEach((text, i) => local.setDocument(`doc${i}`, text));
    local.removeDocument('doc2');
    local.setDocument('doc3', 'let x = foo(qux);');
    const contribution = memoryContribution(local);
    assert.ok(contribution.entries.length > 20);
    const copy = new Memory({ order: 4 });
    copy.applyDelta(contribution);
    assert.deepEqual(copy.stats().ngramsByOrder, local.stats().ngramsByOrder);
    assert.equal(copy.stats().tokens, local.stats().tokens);
    for (const text of [...texts, 'let x = foo(qux);']) {
      const tokens = tokenize(text);
      for (let n = 1; n <= 4; n++) {
        for (let i = 0; i + n <= tokens.length; i++) {
          const ngram = tokens.slice(i, i + n);
          assert.equal(copy.count(ngram), local.count(ngram), ngram.join(' '));
        }
      }
    }
  });
});
