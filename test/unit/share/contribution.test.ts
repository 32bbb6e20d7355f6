import { strict as assert } from 'node:assert';
import { Memory, tokenize } from '../../../src/memory';
import { IndexedMemoryBuilder } from '../../../src/memory/indexedMemory';
import { LiveMemory } from '../../../src/memory/liveMemory';
import { liveContributionChunks, memoryContribution } from '../../../src/share/contribution';

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

  it('a live memory gives the same contribution as the trie with its documents, in bounded batches', async () => {
    const texts = ['const a = foo(bar);\nconst b = foo(baz);', 'The light reaches every neuron.\nThe light fades.', 'foo(bar) + foo(bar)'];
    const builder = new IndexedMemoryBuilder({ order: 4 });
    texts.forEach((text, i) => builder.addDocument(`doc${i}`, text));
    const live = new LiveMemory(builder.build());
    const trie = new Memory({ order: 4 });
    texts.forEach((text, i) => trie.setDocument(`doc${i}`, text));
    // Changes over the index: one document replaced, one removed, one added.
    for (const memory of [live, trie]) {
      memory.setDocument('doc0', 'const a = foo(qux);');
      memory.removeDocument('doc2');
      memory.setDocument('doc3', 'let x = foo(qux);');
    }
    const sizes: number[] = [];
    const entries: Array<{ ngram: string[]; delta: number }> = [];
    for await (const chunk of liveContributionChunks(live, 7)) {
      sizes.push(chunk.entries.length);
      entries.push(...chunk.entries);
    }
    assert.ok(sizes.length > 3 && sizes.every((n) => n <= 7), String(sizes));
    const key = (e: { ngram: string[]; delta: number }) => `${e.ngram.join('\u0001')}=${e.delta}`;
    assert.deepEqual(entries.map(key).sort(), memoryContribution(trie).entries.map(key).sort());
  });
});
