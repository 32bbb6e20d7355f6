import assert from 'node:assert/strict';
import { Memory, MemoryFormatError, Predictor, tokenize } from '../../../src/memory';
import { decodeIndexedMemory, encodeIndexedMemory } from '../../../src/memory/indexedCodec';
import { Vocabulary } from '../../../src/memory/vocabulary';
import { IndexedMemory, IndexedMemoryBuilder } from '../../../src/memory/indexedMemory';
import { buildSuffixIndex, RARE } from '../../../src/memory/suffixIndex';
import { allNgrams, CODE_A, CODE_B, PROSE } from './helpers';

/** A deterministic pseudo-random generator for property tests. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Random documents over a small vocabulary, so n-grams repeat (some more than RARE times). */
function randomDocs(seed: number, docs: number, words: number): Record<string, string> {
  const r = rng(seed);
  const vocab = ['a', 'b', 'c', 'd', 'e', '(', ')', ';', 'if', 'x', 'y', 'return', '\n'];
  const out: Record<string, string> = {};
  for (let d = 0; d < docs; d++) {
    const parts: string[] = [];
    const n = Math.floor(r() * words);
    for (let i = 0; i < n; i++) parts.push(vocab[Math.floor(r() * r() * vocab.length)]);
    out[`doc${d}`] = parts.join(' ');
  }
  return out;
}

function bothEngines(docs: Record<string, string>, order: number): { trie: Memory; indexed: IndexedMemory } {
  const trie = new Memory({ order });
  const builder = new IndexedMemoryBuilder({ order });
  for (const [id, text] of Object.entries(docs)) {
    trie.setDocument(id, text);
    builder.addDocument(id, text);
  }
  return { trie, indexed: builder.build() };
}

/** Same counts, statistics and predictions (tokens and probabilities, bit for bit). */
function assertSamePredictions(trie: Memory, indexed: IndexedMemory, texts: string[], smoothing: 'mkn' | 'absolute' | 'jm' = 'mkn'): void {
  const st = trie.stats();
  const si = indexed.stats();
  assert.deepEqual({ ...si, bytes: 0 }, { ...st, bytes: 0 });
  for (const ng of allNgrams(texts, trie.order)) assert.equal(indexed.count(ng), trie.count(ng), `count of ${JSON.stringify(ng)}`);
  const a = new Predictor([trie], { smoothing });
  const b = new Predictor([indexed], { smoothing });
  for (const text of texts) {
    const toks = tokenize(text);
    for (let i = 0; i <= toks.length; i += 1) {
      const ctx = toks.slice(Math.max(0, i - 10), i);
      assert.deepEqual(b.predictNext(ctx, 10), a.predictNext(ctx, 10), `after ${JSON.stringify(ctx)}`);
      // A word the memory never saw, inside the context, then contexts that grow past it.
      const odd = [...ctx.slice(0, 3), 'zz-unseen', ...ctx.slice(3)];
      for (let k = 1; k <= odd.length; k++) assert.deepEqual(b.predictNext(odd.slice(0, k), 5), a.predictNext(odd.slice(0, k), 5));
    }
    for (let cut = 1; cut < text.length; cut += 7) {
      const before = text.slice(0, cut);
      assert.deepEqual(b.complete(before, { alternatives: 2 }), a.complete(before, { alternatives: 2 }), `complete ${JSON.stringify(before)}`);
    }
  }
}

describe('IndexedMemory (engine v2)', () => {
  it('counts every n-gram up to its order, as the trie does', () => {
    const { indexed } = bothEngines({ a: 'a b a b' }, 3);
    assert.equal(indexed.count(['a']), 2);
    assert.equal(indexed.count(['a', 'b']), 2);
    assert.equal(indexed.count(['b', 'a']), 1);
    assert.equal(indexed.count(['a', 'b', 'a']), 1);
    assert.equal(indexed.count(['a', 'b', 'a', 'b']), 0);
    assert.deepEqual(indexed.stats().ngramsByOrder, [2, 2, 2]);
    assert.equal(indexed.stats().tokens, 4);
  });

  it('predicts exactly as the trie memory on code and prose', () => {
    const docs = { a: CODE_A, b: CODE_B, p: PROSE };
    for (const order of [1, 2, 3, 6, 8]) {
      const { trie, indexed } = bothEngines(docs, order);
      assertSamePredictions(trie, indexed, Object.values(docs));
    }
  });

  it('predicts exactly as the trie memory under every smoothing', () => {
    const docs = { a: CODE_A, b: CODE_B, p: PROSE };
    const { trie, indexed } = bothEngines(docs, 5);
    assertSamePredictions(trie, indexed, Object.values(docs), 'absolute');
    assertSamePredictions(trie, indexed, Object.values(docs), 'jm');
  });

  it('property: random corpora with frequent n-grams (stored and computed continuation counts)', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const docs = randomDocs(seed, 1 + (seed % 5), 300);
      const order = 2 + (seed % 7);
      const { trie, indexed } = bothEngines(docs, order);
      assertSamePredictions(trie, indexed, Object.values(docs));
    }
    // The corpora above must exercise n-grams frequent enough to have a stored continuation count.
    const { indexed } = bothEngines(randomDocs(3, 4, 300), 4);
    assert.ok(indexed.count(['a']) > RARE * 4);
  });

  it('busy contexts (summarized while building) predict exactly as the trie', () => {
    const r = rng(99);
    const docs: Record<string, string> = {};
    for (let d = 0; d < 6; d++) {
      const parts: string[] = [];
      for (let i = 0; i < 300; i++) parts.push('x', `w${Math.floor(r() * r() * 90)}`, i % 7 === 0 ? 'x' : `v${Math.floor(r() * 5)}`);
      docs[`busy${d}`] = parts.join(' ');
    }
    for (const order of [2, 3, 5]) {
      const { trie, indexed } = bothEngines(docs, order);
      const lo = indexed.index.wordLo(indexed.vocab.get('x') as number);
      assert.ok(indexed.index.summaryAt(lo, 1), 'the context "x" is summarized while building');
      assertSamePredictions(trie, indexed, Object.values(docs).map((t) => t.slice(0, 600)));
    }
  });

  it('learning a document again replaces it, removing it removes it, bit for bit', () => {
    const base = new IndexedMemoryBuilder({ order: 6 });
    base.addDocument('a', CODE_A);
    base.addDocument('b', CODE_B);
    base.addDocument('p', PROSE);
    const first = base.build();
    // Replace b by new text, then drop p: the same as learning the final documents afresh.
    const next = new IndexedMemoryBuilder({ order: 6 });
    next.addDocument('b', CODE_B.replace('Stack', 'Queue'));
    next.keep(first, new Set(['p']));
    const updated = next.build();
    const fresh = bothEngines({ a: CODE_A, b: CODE_B.replace('Stack', 'Queue') }, 6);
    assertSamePredictions(fresh.trie, updated, [CODE_A, CODE_B, PROSE]);
    assert.deepEqual(updated.documentIds().sort(), ['a', 'b']);
    assert.deepEqual(updated.documentTokens('a'), tokenize(CODE_A));
  });

  it('converts a trie memory (engine v1) exactly, forgotten words included', () => {
    const docs = { a: CODE_A, b: CODE_B, p: PROSE };
    const { trie } = bothEngines(docs, 6);
    trie.forgetWord('items');
    const builder = new IndexedMemoryBuilder({ order: 6 });
    builder.keepTrie(trie);
    const converted = builder.build();
    assertSamePredictions(trie, converted, Object.values(docs));
  });

  it('refuses a document learned twice in one build', () => {
    const b = new IndexedMemoryBuilder();
    b.addDocument('a', 'x y');
    assert.throws(() => b.addDocument('a', 'x y'), /twice/);
  });
});

describe('indexed memory file format', () => {
  function fileOf(memory: IndexedMemory): Uint8Array {
    const parts = encodeIndexedMemory(memory);
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  function built(): IndexedMemory {
    const b = new IndexedMemoryBuilder({ order: 6 });
    const docs = { ...randomDocs(5, 3, 400), a: CODE_A, b: CODE_B, p: PROSE };
    for (const [id, text] of Object.entries(docs)) b.addDocument(id, text);
    return b.build();
  }

  it('round-trips: the loaded memory predicts and completes exactly as the saved one', async () => {
    const memory = built();
    const loaded = await decodeIndexedMemory(fileOf(memory));
    assert.deepEqual({ ...loaded.stats(), bytes: 0 }, { ...memory.stats(), bytes: 0 });
    assert.deepEqual(loaded.documentIds(), memory.documentIds());
    const a = new Predictor([memory]);
    const b = new Predictor([loaded]);
    for (const text of [CODE_A, CODE_B, PROSE]) {
      for (let cut = 1; cut < text.length; cut += 5) {
        const before = text.slice(0, cut);
        assert.deepEqual(b.complete(before, { alternatives: 2 }), a.complete(before, { alternatives: 2 }));
      }
    }
  });

  it('rejects truncated, extended, corrupted and foreign files with MemoryFormatError', async () => {
    const bytes = fileOf(built());
    const reject = async (b: Uint8Array, why: RegExp) => {
      await assert.rejects(decodeIndexedMemory(b), (e: unknown) => e instanceof MemoryFormatError && why.test((e as Error).message));
    };
    await reject(bytes.slice(0, bytes.length - 9), /truncated|sections say/);
    await reject(bytes.slice(0, 20), /truncated|sections say/);
    const longer = new Uint8Array(bytes.length + 8);
    longer.set(bytes);
    await reject(longer, /sections say/);
    // Flip one byte in every region of the file: each is caught by a checksum or a check.
    for (let at = 13; at < bytes.length; at += Math.max(1, Math.floor(bytes.length / 400))) {
      const bad = bytes.slice();
      bad[at] ^= 0x5a;
      await reject(bad, /./);
    }
    const foreign = bytes.slice();
    foreign[0] = 0x41;
    await reject(foreign, /magic/);
    const future = bytes.slice();
    future[4] = 99;
    await reject(future, /version/);
  });
});

describe('suffix index sort', () => {
  it('sorts positions by their first `order` tokens, stably, as a plain comparison sort does', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const r = rng(seed);
      const vocab = 2 + seed * 3;
      const stream: number[] = [0];
      for (let i = 0; i < 6000; i++) stream.push(r() < 0.01 ? 0 : 1 + Math.floor(r() * r() * vocab));
      stream.push(0);
      const tokens = Int32Array.from(stream);
      const order = 1 + (seed % 8);
      const index = buildSuffixIndex(tokens, Array.from({ length: vocab + 1 }, (_, i) => `w${i}`), order);
      const keyOf = (p: number) => {
        const k: number[] = [];
        for (let j = 0; j < order && tokens[p + j] !== 0; j++) k.push(tokens[p + j]);
        return k;
      };
      const expected = [...tokens.keys()].filter((p) => tokens[p] !== 0);
      expected.sort((a, b) => {
        const x = keyOf(a);
        const y = keyOf(b);
        for (let j = 0; j < Math.max(x.length, y.length); j++) if ((x[j] ?? 0) !== (y[j] ?? 0)) return (x[j] ?? 0) - (y[j] ?? 0);
        return a - b;
      });
      assert.deepEqual(Array.from(index.positions), expected, `seed ${seed}`);
    }
  });
});

describe('frozen vocabulary', () => {
  it('finds every word through its saved lookup, misses the rest, and refuses changes', () => {
    const words = ['', ...Array.from({ length: 5000 }, (_, i) => `w${i * 7919}`), '', 'ç', '𝔘'];
    const frozen = Vocabulary.frozen(words, Vocabulary.lookupOf(words));
    words.forEach((w, id) => {
      if (w !== '') assert.equal(frozen.get(w), id);
    });
    assert.equal(frozen.get('nope'), undefined);
    assert.equal(frozen.get(''), undefined);
    assert.throws(() => frozen.intern('new'), /frozen/);
  });

  it('is extended by a copy: new words go to the copy, the frozen words stay as they are', () => {
    const words = ['', 'a', 'b'];
    const frozen = Vocabulary.frozen(words, Vocabulary.lookupOf(words));
    const live = frozen.extended();
    assert.equal(live.intern('c'), 3);
    assert.equal(live.intern('a'), 1);
    assert.equal(live.get('c'), 3);
    assert.equal(frozen.get('c'), undefined);
    assert.deepEqual(frozen.words, ['', 'a', 'b']);
    assert.deepEqual(live.words, ['', 'a', 'b', 'c']);
  });
});
