import assert from 'node:assert/strict';
import { Memory, NEWLINE, Predictor, RecencyCache, tokenize } from '../../../src/memory';
import { CACHE_WINDOW_CHARS, CompletionCaches } from '../../../src/memory/completionCaches';
import { CODE_A, CODE_B } from './helpers';

function memoryOf(...texts: string[]): Memory {
  const m = new Memory();
  texts.forEach((t, i) => m.setDocument(`doc${i}`, t));
  return m;
}

const REPEATED = Array.from({ length: 20 }, () => 'const value = compute(input);\nlog(value);\n').join('');

describe('Predictor.predictNext', () => {
  it('ranks the seen continuation first with a proper probability', () => {
    const p = new Predictor([memoryOf(REPEATED)]);
    const [top] = p.predictNext(tokenize('const value = compute'), 3);
    assert.equal(top.token, '(');
    assert.ok(top.probability > 0.5 && top.probability <= 1);
  });

  it('probabilities over the whole vocabulary sum to about one', () => {
    const m = memoryOf(CODE_A, CODE_B);
    const p = new Predictor([m]);
    for (const ctx of [[], ['return'], ['this', '.'], ['unseen', 'words']]) {
      const all = p.predictNext(ctx, 1000);
      const sum = all.reduce((a, b) => a + b.probability, 0);
      assert.ok(sum > 0.97 && sum <= 1.000001, `sum ${sum} after ${ctx.join(' ')}`);
    }
  });

  it('mixes memories (local and team) and reads them live', () => {
    const local = memoryOf(CODE_A);
    const team = new Memory();
    const p = new Predictor([local, team]);
    assert.notEqual(p.predictNext(['team', 'only'], 1)[0]?.token, 'phrase');
    team.setDocument('t', 'team only phrase\n'.repeat(10));
    assert.equal(p.predictNext(['team', 'only'], 1)[0].token, 'phrase');
  });

  it('a recency cache lifts what the current document just used', () => {
    const p = new Predictor([memoryOf(CODE_A, CODE_B)]);
    const cache = new RecencyCache(6);
    const without = p.predictNext(['let', 'zork', '='], 3);
    for (const t of tokenize('let zork = quux;\nlet zork = quux;\n')) cache.observe(t);
    const withCache = p.predictNext(['let', 'zork', '='], 3, cache);
    assert.ok(!without.some((x) => x.token === 'quux'));
    assert.equal(withCache[0].token, 'quux');
  });
});

describe('Predictor.complete', () => {
  const p = new Predictor([memoryOf(REPEATED, CODE_A, CODE_B)]);

  it('continues several tokens with natural spacing and stops at the end of the line', () => {
    const r = p.complete('log(value);\nconst value = ');
    assert.equal(r.best?.text, 'compute(input);');
    assert.ok(!r.best!.tokens.includes(NEWLINE));
  });

  it('adds the space the memory learned before the next token', () => {
    assert.equal(p.complete('log(value);\nconst value =').best?.text, ' compute(input);');
    assert.equal(p.complete('log(value);\nconst value = compute').best?.text, '(input);');
  });

  it('completes a partly typed word', () => {
    const r = p.complete('log(value);\nconst value = comp');
    assert.equal(r.best?.partialWord, 'comp');
    assert.equal(r.best?.tokens[0], 'compute');
    assert.equal(r.best?.text, 'ute(input);');
  });

  it('continues after a finished word without repeating it', () => {
    const r = p.complete('const value = compute');
    assert.equal(r.best?.partialWord, 'compute');
    assert.equal(r.best?.tokens[0], 'compute');
  });

  it('respects maxWords', () => {
    const r = p.complete('log(value);\nconst value = ', { maxWords: 1 });
    assert.equal(r.best?.text, 'compute');
  });

  it('stops where the confidence drops below the threshold, or says nothing', () => {
    const prose = new Predictor([
      memoryOf('the cat sat on the mat\nthe dog sat on a rug\nthe bird flew over the house\na cat ran to the door\n'),
    ]);
    const r = prose.complete('the ', { minConfidence: 0.5 });
    assert.equal(r.best, undefined);
    const loose = prose.complete('the cat sat ', { minConfidence: 0.05 });
    assert.ok(loose.best && loose.best.confidence >= 0.05);
    assert.equal(prose.complete('the cat sat ', { minConfidence: 0.99 }).best, undefined);
    for (const c of [loose.best!]) assert.ok(c.confidence <= 1);
  });

  it('returns ranked alternatives with distinct first tokens', () => {
    const r = p.complete('this.items.', { alternatives: 3, minConfidence: 0 });
    const firsts = r.alternatives.map((a) => a.tokens[0]);
    assert.ok(r.alternatives.length >= 2);
    assert.equal(new Set(firsts).size, firsts.length);
    assert.deepEqual(r.alternatives[0], r.best);
    assert.deepEqual(firsts.slice(0, 2).sort(), ['pop', 'push']);
  });

  it('says nothing on an empty memory', () => {
    const r = new Predictor([new Memory()]).complete('hello ');
    assert.equal(r.best, undefined);
    assert.deepEqual(r.alternatives, []);
  });
});

describe('recency cache for completions', () => {
  it('only ever sees text before the cursor', () => {
    const caches = new CompletionCaches(4);
    const text = 'alpha beta gamma delta epsilon';
    for (let cut = 0; cut <= text.length; cut++) {
      const before = text.slice(0, cut);
      const cache = caches.sync('k', before);
      const seen = tokenize(before);
      assert.ok(cache.size <= seen.length, `at ${cut}`);
      // Nothing after the cursor is known to the cache.
      for (const w of tokenize(text.slice(cut))) {
        if (!seen.includes(w) && !before.includes(w)) {
          cache.score([]);
          assert.equal(cache.probOf(w), 0, `${w} leaked at ${cut}`);
        }
      }
    }
  });

  it('rebuilds from scratch when the text before the cursor changes other than by typing on', () => {
    const caches = new CompletionCaches(4);
    caches.sync('k', 'secret future words here and more text');
    const cache = caches.sync('k', 'short ');
    cache.score([]);
    assert.equal(cache.probOf('secret'), 0);
    assert.equal(cache.probOf('future'), 0);
  });

  it('observes the same tokens incrementally as in one go', () => {
    const text = CODE_A + CODE_B;
    const inc = new CompletionCaches(4);
    for (let cut = 0; cut <= text.length; cut += 7) inc.sync('k', text.slice(0, cut));
    const a = inc.sync('k', text);
    const b = new CompletionCaches(4).sync('k', text);
    assert.equal(a.size, b.size);
    for (const ctx of [['this', '.'], ['return'], ['(']]) {
      a.score(ctx);
      b.score(ctx);
      for (const w of ['items', 'a', 'push', ')']) assert.equal(a.probOf(w), b.probOf(w));
    }
  });

  it('starts a rebuilt cache a bounded window before the cursor', () => {
    const caches = new CompletionCaches(4);
    const text = 'ancientword here\n' + 'filler line of text\n'.repeat(CACHE_WINDOW_CHARS / 10);
    const cache = caches.sync('k', text);
    cache.score([]);
    assert.equal(cache.probOf('ancientword'), 0);
    assert.ok(cache.probOf('filler') > 0);
    assert.ok(cache.size < tokenize(text).length);
  });

  it('reuses the arrays of a rebuilt or evicted cache, predicting exactly as a new one', () => {
    const text = (CODE_A + CODE_B).repeat(20);
    const caches = new CompletionCaches(4, 2);
    const first = caches.sync('k', text);
    const grown = (first as unknown as { store: { capacity: number } }).store.capacity;
    // The cursor jumps back: the same cache, emptied and refilled, grows no more.
    const rebuilt = caches.sync('k', text.slice(0, text.length >> 1));
    assert.equal(rebuilt, first);
    caches.sync('k', text);
    assert.equal((rebuilt as unknown as { store: { capacity: number } }).store.capacity, grown);
    // Two more editors: the first one's cache is evicted and serves the next new editor.
    caches.sync('a', 'unrelated words here and there ');
    caches.sync('b', 'other words ');
    const reused = caches.sync('c', CODE_B + CODE_A);
    assert.equal(reused, first, 'the evicted cache is reused');
    const fresh = new CompletionCaches(4).sync('c', CODE_B + CODE_A);
    assert.equal(reused.size, fresh.size);
    for (const ctx of [['this', '.'], ['return'], ['('], ['for', '(']]) {
      reused.score(ctx);
      fresh.score(ctx);
      for (const w of ['items', 'a', 'push', ')', 'let', 'unrelated', 'there']) assert.equal(reused.probOf(w), fresh.probOf(w), `${w} after ${ctx.join(' ')}`);
    }
  });

  it('keeps a cache per key', () => {
    const p = new Predictor([memoryOf(CODE_A)]);
    p.complete('let zork = quux;\nlet zork = quux;\nlet zork = ', { cacheKey: 'one' });
    const other = p.complete('let zork = ', { cacheKey: 'two' });
    assert.notEqual(other.best?.tokens[0], 'quux');
    const same = p.complete('let zork = quux;\nlet zork = quux;\nlet zork = ', { cacheKey: 'one' });
    assert.equal(same.best?.tokens[0], 'quux');
  });
});

describe('partly typed words', () => {
  it('completes a word never seen in this context from the whole vocabulary, most frequent first', () => {
    const m = memoryOf('zebra zebra zebra zeppelin\n', 'alpha beta gamma\n');
    const p = new Predictor([m]);
    const r = p.complete('gamma ze', { minConfidence: 0 });
    assert.equal(r.best?.tokens[0], 'zebra');
    assert.equal(r.best?.text.startsWith('bra'), true);
  });

  it('finds words added after the prefix index was built', () => {
    const m = memoryOf('alpha beta\n');
    const p = new Predictor([m]);
    p.warmUp();
    m.setDocument('new', 'quixotic quixotic quixotic\n');
    assert.equal(p.complete('beta qui', { minConfidence: 0 }).best?.tokens[0], 'quixotic');
  });

  it('warmUp changes no prediction', () => {
    const cold = new Predictor([memoryOf(CODE_A, CODE_B)]);
    const warm = new Predictor([memoryOf(CODE_A, CODE_B)]);
    warm.warmUp();
    for (const t of ['this.', 'return a ', 'const s = new St', 'export ']) {
      assert.deepEqual(warm.complete(t, { alternatives: 3, minConfidence: 0 }), cold.complete(t, { alternatives: 3, minConfidence: 0 }));
    }
  });
});
