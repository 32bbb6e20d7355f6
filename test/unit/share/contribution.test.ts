import { strict as assert } from 'node:assert';
import { Memory } from '../../../src/memory';
import { IndexedMemoryBuilder } from '../../../src/memory/indexedMemory';
import { LiveMemory } from '../../../src/memory/liveMemory';
import { documentChunks, liveTextSource, memoryDocuments } from '../../../src/share/contribution';

const texts = ['const a = foo(bar);\nconst b = foo(baz);', 'The light reaches every neuron.\nThe light fades.', 'foo(bar) + foo(bar)'];

/** A live memory over an index, changed since: one document replaced, one removed, one added, one word forgotten. */
function changedLive(): LiveMemory {
  const builder = new IndexedMemoryBuilder({ order: 4 });
  texts.forEach((text, i) => builder.addDocument(`doc${i}`, text));
  const live = new LiveMemory(builder.build());
  live.setDocument('doc0', 'const a = foo(qux);');
  live.removeDocument('doc2');
  live.setDocument('doc3', 'let x = foo(qux);');
  live.forgetWord('neuron');
  return live;
}

describe('share/contribution', () => {
  it('is every document of a live memory with its tokens, forgotten words as cuts', async () => {
    const live = changedLive();
    const source = liveTextSource(live);
    assert.equal(source.documents, 3);
    assert.equal(source.tokens, live.stats().tokens);
    const seen = new Map<string, readonly string[]>();
    for await (const chunk of source.chunks()) for (const doc of chunk) seen.set(doc.id, doc.tokens);
    assert.deepEqual([...seen.keys()].sort(), ['doc0', 'doc1', 'doc3']);
    for (const [id, tokens] of seen) assert.deepEqual(tokens, live.documentTokens(id));
    assert.ok(seen.get('doc1')!.includes(''), 'the forgotten word reads as a cut');
    assert.ok(!seen.get('doc1')!.includes('neuron'));
    assert.deepEqual(seen.get('doc0'), ['const', 'a', '=', 'foo', '(', 'qux', ')', ';']);
  });

  it('walks in bounded slices, yielding to the event loop between them', async () => {
    const builder = new IndexedMemoryBuilder({ order: 4 });
    for (let i = 0; i < 50; i++) builder.addDocument(`d${i}`, `word${i} and more words ${i}`);
    const live = new LiveMemory(builder.build());
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const sizes: number[] = [];
    try {
      for await (const chunk of documentChunks(live, 7)) {
        sizes.push(chunk.length);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    } finally {
      clearInterval(timer);
    }
    assert.ok(sizes.every((n) => n <= 7) && sizes.reduce((a, b) => a + b, 0) === 50, String(sizes));
    assert.ok(ticks > 0);
  });

  it('reads a trie memory (the headless seed) the same way', async () => {
    const trie = new Memory({ order: 4 });
    texts.forEach((text, i) => trie.setDocument(`doc${i}`, text));
    const whole = memoryDocuments(trie);
    assert.equal(whole.length, 3);
    const walked: Array<{ id: string; tokens: readonly string[] }> = [];
    for await (const chunk of liveTextSource(trie).chunks()) walked.push(...chunk);
    assert.deepEqual(walked, whole);
    assert.equal(liveTextSource(trie).tokens, whole.reduce((n, doc) => n + doc.tokens.length, 0));
  });
});
