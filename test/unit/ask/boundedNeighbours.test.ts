// The editor's neighbour lists (LiveAskable over a live memory: an index plus the changes since)
// are exactly what counting over the memory's current documents gives, before and after edits,
// removals, new words, a forgotten word and a rebuild, with secret-looking and forgotten words
// left out; and for a frequent word they read a small part of its occurrences, even when the
// changes made a word rare in the index one of its most frequent neighbours.
import { strict as assert } from 'node:assert';
import { LiveAskable } from '../../../src/extension/ask/liveAskable';
import { IndexedMemoryBuilder } from '../../../src/memory/indexedMemory';
import { LiveMemory } from '../../../src/memory/liveMemory';
import type { WordCount } from '../../../src/memory/types';
import { isSafeWord } from '../../../src/workspace/completionFilter';
import { rebuild } from '../memory/liveHelpers';
import { SECRET } from './fixtures';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const COMMON = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'];

/**
 * A document of statements: ";" after ")" mostly, then after a few common words, then after many
 * rare ones (and now and then a secret); "define" before hundreds of names seen once or twice.
 */
function statements(random: () => number, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = random();
    out.push(r < 0.5 ? ')' : r < 0.88 ? COMMON[Math.floor(random() * COMMON.length)] : r < 0.9 ? SECRET : `rare${Math.floor(random() * 3000)}`, ';');
    if (random() < 0.1) out.push('define', `NAME_${Math.floor(random() * 5000)}`);
  }
  return out;
}

/** The `limit` best neighbours by counting over every document: most often first, ties by word. */
function brute(docs: string[][], word: string, side: 1 | -1, limit: number, keep: (w: string) => boolean): WordCount[] {
  const m = new Map<string, number>();
  for (const toks of docs) {
    toks.forEach((t, i) => {
      const n = toks[i + side];
      if (t === word && n !== undefined && n !== '') m.set(n, (m.get(n) ?? 0) + 1);
    });
  }
  return [...m].filter(([w]) => keep(w)).map(([w, count]) => ({ word: w, count })).sort((x, y) => y.count - x.count || (x.word < y.word ? -1 : 1)).slice(0, limit);
}

describe('ask/boundedNeighbours over the live memory (the editor\'s neighbour lists)', () => {
  it('lists exactly the neighbours of the current documents, after edits, a forgotten word and a rebuild, reading a small part of a frequent word\'s occurrences', () => {
    const random = rng(11);
    const builder = new IndexedMemoryBuilder({ order: 4 });
    const initial = new Map<string, string[]>();
    for (let d = 0; d < 40; d++) {
      const toks = statements(random, 400);
      initial.set(`f${d}`, toks);
      builder.addDocument(`f${d}`, toks.join(' '));
    }
    const memory = new LiveMemory(builder.build());
    const forgotten = new Set(['b']);
    let asked = 0;
    const keep = (w: string) => {
      asked++;
      return isSafeWord(w, forgotten);
    };
    const askable = new LiveAskable(() => memory, undefined, keep);
    const docs = () => memory.documentIds().map((id) => memory.documentTokens(id)!);
    assert.deepEqual(docs().map((d) => d.join(' ')).sort(), [...initial.values()].map((d) => d.join(' ')).sort(), 'the documents read back as learned');
    assert.ok(brute(docs(), ';', -1, 100, () => true).some((w) => w.word === SECRET), 'a secret is there to leave out (the test can fail)');
    assert.ok(brute(docs(), ';', -1, 100, () => true).some((w) => w.word === 'b'), 'so is a forgotten word');

    const check = (label: string, walked = true) => {
      const all = docs();
      const count = (w: string) => memory.wordCount(w);
      for (const limit of [1, 5, 10, 30]) {
        for (const [word, side] of [[';', -1], [';', 1], ['define', 1], ['define', -1], [')', 1], ['fresh', -1], ['rare7', 1]] as const) {
          const got = side === 1 ? askable.following(word, limit) : askable.preceding(word, limit);
          assert.deepEqual(got, brute(all, word, side, limit, (w) => isSafeWord(w, forgotten)), `${label}: ${side === 1 ? 'after' : 'before'} ${word}, ${limit}`);
        }
        // The most frequent word's neighbours: a walk of a few candidates, not a read of each occurrence.
        let steps = askable.steps;
        asked = 0;
        askable.preceding(';', limit);
        if (walked) assert.ok(askable.steps - steps < count(';') / 4, `${label}: before ; took ${askable.steps - steps} steps for ${count(';')} occurrences`);
        assert.ok(asked <= 3 * limit + 10, `${label}: the filter was asked of ${asked} words for ${limit}`);
        // Many rare neighbours: at most about a walk given up and a scan, plus the documents changed.
        steps = askable.steps;
        askable.following('define', limit);
        assert.ok(askable.steps - steps <= 3 * count('define') + 256 + memory.overlayTokens, `${label}: after define took ${askable.steps - steps} steps for ${count('define')} occurrences`);
      }
    };
    check('index only');

    // Documents removed and changed (a word rare in the index now often before ";", and one never
    // seen), and new ones: every change is in the overlay over the same index.
    for (let d = 0; d < 5; d++) memory.removeDocument(`f${d}`);
    for (let d = 5; d < 10; d++) {
      const toks = statements(random, 300);
      for (let i = 0; i < 200; i++) toks.push('rare7', ';', 'fresh', ';', 'define', 'rare7');
      memory.setDocumentTokens(`f${d}`, toks);
    }
    for (let d = 0; d < 4; d++) memory.setDocumentTokens(`new${d}`, [...statements(random, 200), ...Array.from({ length: 150 }, () => ['fresh', ';']).flat()]);
    assert.ok(memory.base.index.wordHi(memory.vocab.get('rare7')!) - memory.base.index.wordLo(memory.vocab.get('rare7')!) < 10, 'rare7 is rare in the index');
    assert.ok(memory.wordCount('rare7') > 1000 && memory.wordCount('fresh') > 1000, 'and frequent now, as is a word the index never saw');
    const before = askable.preceding(';', 5).map((w) => w.word);
    assert.ok(before.includes('rare7') && before.includes('fresh'), `both are among the best before ; (${before})`);
    check('edited');

    // A word forgotten: a hole in the documents, in no list.
    memory.forgetWord('c');
    check('forgotten');

    // The index rebuilt from the current documents: the same lists.
    rebuild(memory);
    assert.equal(memory.overlaySize, 0);
    check('rebuilt');

    // Edited again over the new index.
    memory.removeDocument('new0');
    memory.setDocumentTokens('f20', Array.from({ length: 500 }, (_, i) => [`late${i % 3}`, ';']).flat());
    check('edited after the rebuild');
  });

  it('answers nothing for an unknown word or a limit of 0, and words only the changes hold', () => {
    const builder = new IndexedMemoryBuilder({ order: 3 });
    builder.addDocument('one', 'x = 1 ; y = 2 ;');
    const memory = new LiveMemory(builder.build());
    const askable = new LiveAskable(() => memory);
    assert.deepEqual(askable.following('never', 5), []);
    assert.deepEqual(askable.following('=', 0), []);
    memory.setDocumentTokens('two', ['only', 'here', 'only', 'there']);
    assert.deepEqual(askable.following('only', 5), [{ word: 'here', count: 1 }, { word: 'there', count: 1 }]);
    assert.deepEqual(askable.preceding('here', 5), [{ word: 'only', count: 1 }]);
    memory.removeDocument('one');
    assert.deepEqual(askable.following('=', 5), []);
    assert.deepEqual(askable.preceding(';', 5), []);
  });
});
