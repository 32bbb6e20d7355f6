// The indexed memory as a memory to ask, against brute force over the documents it learned: counts
// and occurrences of token sequences shorter and longer than the order, their memory order and
// paging, and the words around a word.
import { strict as assert } from 'node:assert';
import { tokenize } from '../../../src/memory/index';
import { IndexedMemoryBuilder } from '../../../src/memory/indexedMemory';
import { IndexedAskable } from '../../../src/ask/indexedAskable';
import { chunkDocumentId, chunkText } from '../../../src/workspace/chunks';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Documents of a small vocabulary, so phrases of several tokens repeat. */
function corpus(seed: number): Array<[string, string]> {
  const random = rng(seed);
  const words = ['a', 'b', 'c', 'd', '(', ')', ';', 'x', '\n'];
  return Array.from({ length: 12 }, (_, d) => {
    const parts: string[] = [];
    const n = 20 + Math.floor(random() * 200);
    for (let i = 0; i < n; i++) parts.push(words[Math.floor(random() * words.length)]);
    return [`file${d}.ts\u0000c${d}`, parts.join(' ')];
  });
}

describe('ask/IndexedAskable', () => {
  for (const order of [3, 8]) {
    it(`finds every occurrence of sequences shorter and longer than the order (order ${order}), in memory order`, () => {
      const docs = corpus(order);
      const builder = new IndexedMemoryBuilder({ order });
      for (const [id, text] of docs) builder.addDocument(id, text);
      const askable = new IndexedAskable(builder.build(), undefined);
      const tokensOf = docs.map(([id, text]) => [id, tokenize(text)] as const);
      const random = rng(order * 7);
      for (let q = 0; q < 200; q++) {
        // A phrase taken from a document (so it occurs), of 1 to 2 x order tokens.
        const [, source] = tokensOf[Math.floor(random() * tokensOf.length)];
        const length = 1 + Math.floor(random() * order * 2);
        const from = Math.floor(random() * Math.max(1, source.length - length));
        const phrase = source.slice(from, from + length);
        const expected: Array<{ document: string; offset: number }> = [];
        for (const [id, toks] of tokensOf) {
          for (let i = 0; i + phrase.length <= toks.length; i++) {
            if (phrase.every((t, k) => toks[i + k] === t)) expected.push({ document: id, offset: i });
          }
        }
        assert.equal(askable.occurrenceCount(phrase), expected.length, phrase.join(' '));
        const all = askable.occurrences(phrase, 10_000);
        assert.deepEqual(all.map(({ document, offset }) => ({ document, offset })), expected);
        // Paging by the last key gives the same sequence in pieces.
        const paged: typeof all = [];
        for (let after: number | undefined; ; ) {
          const page = askable.occurrences(phrase, 3, after);
          if (page.length === 0) break;
          paged.push(...page);
          after = page[page.length - 1].key;
        }
        assert.deepEqual(paged, all);
        if (phrase.length <= order) assert.equal(askable.count(phrase), expected.length);
      }
      assert.equal(askable.occurrenceCount(['a', 'never-seen']), 0);
      assert.deepEqual(askable.occurrences(['never-seen'], 5), []);
    });
  }

  it('finds sequences across the places files were cut into chunks, through chunks shorter than them', () => {
    // Short lines of few words, cut into chunks of a line or a few: phrases of up to 12 tokens
    // cross one join or several. The chunks of a file follow each other in the memory.
    const random = rng(3);
    const words = ['a', 'b', 'c', '(', ')', ';'];
    const files: Array<[string, string]> = [];
    for (let f = 0; f < 6; f++) {
      const lines: string[] = [];
      for (let l = 0; l < 80; l++) lines.push(Array.from({ length: 1 + Math.floor(random() * 4) }, () => words[Math.floor(random() * words.length)]).join(' '));
      files.push([`f${f}.ts`, lines.join('\n')]);
    }
    const builder = new IndexedMemoryBuilder({ order: 3 });
    const docsOf: Array<Array<{ id: string; length: number }>> = [];
    for (const [file, text] of files) {
      const chunks = chunkText(text, { minChars: 1, maxChars: 12, divisor: 2 });
      assert.deepEqual(chunks.flatMap((c) => tokenize(c.text)), tokenize(text), 'the chunks hold the file\'s tokens');
      docsOf.push(chunks.map((c) => ({ id: chunkDocumentId(file, c.id), length: tokenize(c.text).length })));
      for (const c of chunks) builder.addDocument(chunkDocumentId(file, c.id), c.text);
    }
    assert.ok(docsOf[0].length > 30);
    const askable = new IndexedAskable(builder.build(), undefined);
    const wholes = files.map(([, text]) => tokenize(text));
    for (let q = 0; q < 300; q++) {
      const f = Math.floor(random() * wholes.length);
      const length = 2 + Math.floor(random() * 11);
      const from = Math.floor(random() * (wholes[f].length - length));
      const phrase = wholes[f].slice(from, from + length);
      const expected: Array<{ document: string; offset: number }> = [];
      wholes.forEach((toks, g) => {
        for (let i = 0; i + phrase.length <= toks.length; i++) {
          if (!phrase.every((t, k) => toks[i + k] === t)) continue;
          let offset = i;
          let d = 0;
          while (offset >= docsOf[g][d].length) offset -= docsOf[g][d++].length;
          expected.push({ document: docsOf[g][d].id, offset });
        }
      });
      assert.equal(askable.occurrenceCount(phrase), expected.length, phrase.join(' '));
      const all = askable.occurrences(phrase, 10_000);
      assert.deepEqual(all.map(({ document, offset }) => ({ document, offset })), expected, phrase.join(' '));
      for (const o of all) {
        // What it runs on into: the next chunks, as many as its tokens reach.
        const tokens = [o.document, ...(o.continues ?? [])].flatMap((id) => askable.documentTokens(id, 0, 10_000) ?? []);
        assert.deepEqual(tokens.slice(o.offset, o.offset + phrase.length), phrase);
        assert.ok(!o.continues || o.offset + phrase.length > askable.documentTokens(o.document, 0, 10_000)!.length);
      }
      const paged: typeof all = [];
      for (let after: number | undefined; ; ) {
        const page = askable.occurrences(phrase, 2, after);
        if (page.length === 0) break;
        paged.push(...page);
        after = page[page.length - 1].key;
      }
      assert.deepEqual(paged, all);
    }
    // A sequence across two different files is not one.
    const last = wholes[0].slice(-2);
    const first = wholes[1].slice(0, 2);
    assert.equal(askable.occurrences([...last, ...first], 10).filter((o) => o.continues).length, 0);
  });

  it('lists the words after and before a word with their counts, most often first (order 4, and order 1, whose index is sorted by the word alone)', () => {
    const docs = corpus(11);
    for (const order of [4, 1])
    for (const word of ['a', '(', '\n']) {
      const builder = new IndexedMemoryBuilder({ order });
      for (const [id, text] of docs) builder.addDocument(id, text);
      const askable = new IndexedAskable(builder.build(), undefined);
      const after = new Map<string, number>();
      const before = new Map<string, number>();
      for (const [, text] of docs) {
        const toks = tokenize(text);
        toks.forEach((t, i) => {
          if (t !== word) return;
          if (i + 1 < toks.length) after.set(toks[i + 1], (after.get(toks[i + 1]) ?? 0) + 1);
          if (i > 0) before.set(toks[i - 1], (before.get(toks[i - 1]) ?? 0) + 1);
        });
      }
      const ranked = (m: Map<string, number>) =>
        [...m].map(([w, count]) => ({ word: w, count })).sort((x, y) => y.count - x.count || (x.word < y.word ? -1 : 1));
      assert.deepEqual(askable.following(word, 100), ranked(after));
      assert.deepEqual(askable.preceding(word, 100), ranked(before));
      assert.deepEqual(askable.preceding(word, 2), ranked(before).slice(0, 2));
      // Asking twice gives the same (the tally is reset).
      assert.deepEqual(askable.preceding(word, 100), ranked(before));
      assert.deepEqual(askable.following('never-seen', 5), []);
    }
  });

  it('lists the neighbours of a frequent word exactly, asking far fewer ranges than it has occurrences', () => {
    // ";" after ")" mostly, then after a few others, then after many rare words; "define" before
    // hundreds of names seen once or twice (no candidate can be ruled out early: a pass instead).
    const random = rng(5);
    const common = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'];
    const docs: string[] = [];
    for (let d = 0; d < 40; d++) {
      const parts: string[] = [];
      for (let i = 0; i < 400; i++) {
        const r = random();
        const before = r < 0.5 ? ')' : r < 0.9 ? common[Math.floor(random() * common.length)] : `rare${Math.floor(random() * 3000)}`;
        parts.push(before, ';');
        if (random() < 0.1) parts.push('define', `NAME_${Math.floor(random() * 5000)}`);
      }
      docs.push(parts.join(' '));
    }
    const builder = new IndexedMemoryBuilder({ order: 4 });
    docs.forEach((text, d) => builder.addDocument(`f${d}.c\u0000c`, text));
    // Words the filter refuses (here those starting "rare1", standing for secret-looking ones)
    // are never listed, and the lists still hold `limit` words.
    const askable = new IndexedAskable(builder.build(), undefined, (w) => !/rare1/.test(w));
    const brute = (word: string, side: -1 | 1, limit: number) => {
      const m = new Map<string, number>();
      for (const text of docs) {
        const toks = tokenize(text);
        toks.forEach((t, i) => {
          const n = toks[i + side];
          if (t === word && n !== undefined && !/rare1/.test(n)) m.set(n, (m.get(n) ?? 0) + 1);
        });
      }
      return [...m].map(([w, count]) => ({ word: w, count })).sort((x, y) => y.count - x.count || (x.word < y.word ? -1 : 1)).slice(0, limit);
    };
    const count = (w: string) => askable.count([w]);
    for (const limit of [1, 5, 10, 30]) {
      let steps = askable.steps;
      assert.deepEqual(askable.preceding(';', limit), brute(';', -1, limit), `preceding ; ${limit}`);
      assert.ok(askable.steps - steps < count(';') / 4, `preceding ; took ${askable.steps - steps} steps for ${count(';')} occurrences`);
      steps = askable.steps;
      assert.deepEqual(askable.following(';', limit), brute(';', 1, limit), `following ; ${limit}`);
      steps = askable.steps;
      assert.deepEqual(askable.following('define', limit), brute('define', 1, limit), `following define ${limit}`);
      // A walk gives up after 2 probes per occurrence, then a scan reads each once; 256 sampled.
      assert.ok(askable.steps - steps <= 3 * count('define') + 256, `following define took ${askable.steps - steps} steps for ${count('define')} occurrences`);
    }
  });

  it('gives a document\'s tokens as learned, clipped to it', () => {
    const builder = new IndexedMemoryBuilder({ order: 3 });
    builder.addDocument('one', 'alpha beta\ngamma');
    builder.addDocument('two', 'delta');
    const askable = new IndexedAskable(builder.build(), undefined);
    assert.deepEqual(askable.documentTokens('one', 0, 100), ['alpha', 'beta', '\n', 'gamma']);
    assert.deepEqual(askable.documentTokens('one', 1, 3), ['beta', '\n']);
    assert.deepEqual(askable.documentTokens('two', 0, 100), ['delta']);
    assert.equal(askable.documentTokens('three', 0, 1), undefined);
  });
});
