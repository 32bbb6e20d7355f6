import assert from 'node:assert/strict';
import { Memory, NEWLINE, Predictor, tokenize } from '../../../src/memory';
import { assertSameModel, CODE_A, CODE_B, PROSE } from './helpers';

function trained(docs: Record<string, string>, order = 6): Memory {
  const m = new Memory({ order });
  for (const [id, text] of Object.entries(docs)) m.setDocument(id, text);
  return m;
}

/** A deterministic pseudo-random generator for property tests. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('Memory', () => {
  it('counts every n-gram up to its order', () => {
    const m = trained({ a: 'a b a b' }, 3);
    assert.equal(m.count(['a']), 2);
    assert.equal(m.count(['a', 'b']), 2);
    assert.equal(m.count(['b', 'a']), 1);
    assert.equal(m.count(['a', 'b', 'a']), 1);
    assert.equal(m.count(['b', 'a', 'b']), 1);
    assert.equal(m.count(['a', 'b', 'a', 'b']), 0);
    assert.deepEqual(m.stats().ngramsByOrder, [2, 2, 2]);
    assert.equal(m.stats().tokens, 4);
  });

  it('train A, then B, then remove B equals train A, bit for bit', () => {
    const a = trained({ a: CODE_A, p: PROSE });
    const ab = trained({ a: CODE_A, p: PROSE });
    ab.setDocument('b', CODE_B);
    assert.notEqual(ab.stats().ngrams, a.stats().ngrams);
    ab.removeDocument('b');
    assertSameModel(a, ab, [CODE_A, CODE_B, PROSE]);
    assert.deepEqual(ab.documentIds().sort(), ['a', 'p']);
  });

  it('setting a document again replaces its contribution (never adds twice)', () => {
    const once = trained({ a: CODE_A });
    const twice = trained({ a: CODE_A });
    twice.setDocument('a', CODE_A);
    assertSameModel(once, twice, [CODE_A]);
    const replaced = trained({ a: CODE_B });
    const edited = trained({ a: CODE_A });
    edited.setDocument('a', CODE_B);
    assertSameModel(replaced, edited, [CODE_A, CODE_B]);
  });

  it('random edits give the same memory as training the final texts from scratch', () => {
    const rand = rng(7);
    const m = new Memory({ order: 5 });
    const texts: Record<string, string> = { x: CODE_A, y: CODE_B, z: PROSE };
    for (const [id, t] of Object.entries(texts)) m.setDocument(id, t);
    const pieces = ['foo', ' ', '(', ')', '\n', 'bar', ';', 'the', '  ', 'a.b'];
    for (let step = 0; step < 200; step++) {
      const id = ['x', 'y', 'z'][Math.floor(rand() * 3)];
      const t = texts[id];
      const at = Math.floor(rand() * (t.length + 1));
      const del = Math.floor(rand() * 4);
      const ins = rand() < 0.7 ? pieces[Math.floor(rand() * pieces.length)] : '';
      texts[id] = t.slice(0, at) + ins + t.slice(at + del);
      m.setDocument(id, texts[id]);
    }
    const fresh = new Memory({ order: 5 });
    for (const [id, t] of Object.entries(texts)) fresh.setDocument(id, t);
    assertSameModel(fresh, m, Object.values(texts));
  });

  it('collected deltas rebuild the same counts in another memory', () => {
    const source = new Memory({ order: 4 });
    const mirror = new Memory({ order: 4 });
    mirror.applyDelta(source.setDocument('a', CODE_A, { collectDelta: true }));
    mirror.applyDelta(source.setDocument('b', CODE_B, { collectDelta: true }));
    mirror.applyDelta(source.setDocument('a', CODE_A.replace('a + b', 'b + a'), { collectDelta: true }));
    mirror.applyDelta(source.removeDocument('b', { collectDelta: true }));
    assertSameModel(source, mirror, [CODE_A, CODE_B]);
  });

  it('a small edit produces a small delta', () => {
    const m = trained({ a: CODE_A + CODE_B });
    const d = m.setDocument('a', CODE_A + CODE_B.replace('items', 'things'), { collectDelta: true });
    assert.ok(d.entries.length > 0 && d.entries.length < 80, `delta of ${d.entries.length} entries`);
    assert.deepEqual(m.setDocument('a', CODE_A + CODE_B.replace('items', 'things'), { collectDelta: true }).entries, []);
  });

  it('applyDelta validates first and throws RangeError without changing anything', () => {
    const m = trained({ a: 'x y z' }, 3);
    const before = m.stats();
    assert.throws(() => m.applyDelta({ entries: [{ ngram: ['x'], delta: 1 }, { ngram: ['y', 'z'], delta: -2 }] }), RangeError);
    assert.throws(() => m.applyDelta({ entries: [{ ngram: ['a', 'b', 'c', 'd'], delta: 1 }] }), RangeError);
    assert.throws(() => m.applyDelta({ entries: [{ ngram: [''], delta: 1 }] }), RangeError);
    assert.throws(() => m.applyDelta({ entries: [{ ngram: ['x'], delta: 0.5 }] }), RangeError);
    assert.throws(() => m.applyDelta({ entries: [{ ngram: ['q'], delta: -1 }] }), RangeError);
    assert.deepEqual({ ...m.stats(), bytes: 0 }, { ...before, bytes: 0 });
    assert.equal(m.count(['x']), 1);
    // Words a refused batch brought in are not kept.
    assert.throws(() => m.applyDelta({ entries: [{ ngram: ['fresh', 'words'], delta: 1 }, { ngram: ['x'], delta: -5 }] }), RangeError);
    assert.equal(m.count(['fresh', 'words']), 0);
    assert.ok(!m.topWords(10).some((w) => w.word === 'fresh'));
    assert.equal(new Predictor([m]).complete('fre', { minConfidence: 0 }).best, undefined);
    m.setDocument('b', 'other words');
    assert.equal(m.count(['other', 'words']), 1);
    // Entries for the same n-gram are netted before checking.
    m.applyDelta({ entries: [{ ngram: ['q'], delta: 2 }, { ngram: ['q'], delta: -1 }] });
    assert.equal(m.count(['q']), 1);
  });

  it('forgets a word everywhere, including stored documents', () => {
    const m = trained({ a: 'my secret token here', b: 'the secret is out' }, 3);
    const d = m.forgetWord('secret');
    assert.ok(d.entries.every((e) => e.delta < 0 && e.ngram.includes('secret')));
    assert.equal(m.wordCount('secret'), 0);
    assert.equal(m.count(['my', 'secret']), 0);
    assert.equal(m.count(['token', 'here']), 1);
    assert.ok(!m.documentTokens('a')!.includes('secret'));
    assert.ok(!new TextDecoder().decode(m.encode()).includes('secret'));
    // Removing the documents afterwards leaves nothing behind.
    m.removeDocument('a');
    m.removeDocument('b');
    assert.equal(m.stats().ngrams, 0);
    assert.equal(m.stats().tokens, 0);
  });

  it('renames documents, replacing any document at the new id', () => {
    const m = trained({ a: 'one two', b: 'three four' }, 2);
    m.renameDocument('a', 'b');
    assert.deepEqual(m.documentIds(), ['b']);
    assert.equal(m.count(['three']), 0);
    assert.equal(m.count(['one', 'two']), 1);
    assert.ok(m.hasDocument('b') && !m.hasDocument('a'));
  });

  it('reports word counts and top words without NEWLINE', () => {
    const m = trained({ a: 'b a b\nc b a\n' });
    assert.equal(m.wordCount('b'), 3);
    assert.equal(m.wordCount(NEWLINE), 2);
    assert.deepEqual(m.topWords(2), [
      { word: 'b', count: 3 },
      { word: 'a', count: 2 },
    ]);
  });

  it('gives the top words of any n as a full sort would, ties by word', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let t = 0; t < 30; t++) {
      const m = new Memory();
      const words = Array.from({ length: 1 + Math.floor(rnd() * 300) }, (_, i) => `w${i}`);
      m.setDocument('d', Array.from({ length: 2000 }, () => words[Math.floor(rnd() ** 2 * words.length)]).join(' '));
      const all = m.topWords(1e9); // every word: a plain sort
      for (let i = 1; i < all.length; i++) {
        assert.ok(all[i - 1].count > all[i].count || (all[i - 1].count === all[i].count && all[i - 1].word < all[i].word));
      }
      for (const n of [0, 1, 2, 5, 17, 100, all.length - 1, all.length, all.length + 3]) {
        assert.deepEqual(m.topWords(n), all.slice(0, Math.max(0, n)), `n=${n}`);
      }
    }
  });

  it('prunes the rarest higher-order n-grams to a budget', () => {
    const m = trained({ a: CODE_A, b: CODE_B, p: PROSE });
    const before = m.stats();
    const dropped = m.prune(Math.floor(before.ngrams / 2));
    const after = m.stats();
    assert.equal(after.ngrams, before.ngrams - dropped);
    assert.ok(after.ngrams <= Math.floor(before.ngrams / 2));
    assert.equal(after.ngramsByOrder[0], before.ngramsByOrder[0], 'unigrams are kept');
    // Frequent bigrams survive.
    assert.ok(m.count(['this', '.']) > 0);
    // Removing a document after pruning never goes below zero.
    m.removeDocument('a');
    m.removeDocument('b');
    m.removeDocument('p');
    assert.equal(m.stats().ngrams, 0);
  });

  it('clear empties everything', () => {
    const m = trained({ a: CODE_A });
    m.clear();
    assert.equal(m.stats().ngrams, 0);
    assert.deepEqual(m.documentIds(), []);
  });

  it('accepts pre-tokenized documents and rejects empty tokens', () => {
    const m = new Memory({ order: 3 });
    m.setDocumentTokens('t', tokenize(CODE_A));
    const ref = trained({ a: CODE_A }, 3);
    assert.equal(m.count(['return', 'a', '+']), ref.count(['return', 'a', '+']));
    assert.throws(() => m.setDocumentTokens('u', ['a', '']), RangeError);
  });

  it('rejects invalid orders', () => {
    assert.throws(() => new Memory({ order: 0 }), RangeError);
    assert.throws(() => new Memory({ order: 99 }), RangeError);
  });

  it('stays exact across store compaction', () => {
    const m = new Memory({ order: 4 });
    const rand = rng(3);
    const words = Array.from({ length: 300 }, (_, i) => `w${i}`);
    const doc = (n: number) => Array.from({ length: n }, () => words[Math.floor(rand() * words.length)]).join(' ');
    const keep = doc(2000);
    m.setDocument('keep', keep);
    for (let i = 0; i < 5; i++) {
      m.setDocument(`tmp${i}`, doc(3000));
      m.removeDocument(`tmp${i}`);
    }
    assertSameModel(trained({ keep }, 4), m, [keep]);
  });
});
