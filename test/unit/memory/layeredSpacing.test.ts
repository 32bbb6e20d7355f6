// A live memory's spacing over its index's table (LayeredSpacing) votes exactly as one table that
// saw the whole history: the index's documents added, then random documents added and removed,
// including documents of the index, pairs the index never saw and removals of what is not there.
import { strict as assert } from 'node:assert';
import { LayeredSpacing, SpacingTable, type SpacingVotes } from '../../../src/memory/spacing';
import { Vocabulary } from '../../../src/memory/vocabulary';
import { NEWLINE } from '../../../src/memory/types';

const WORDS = ['(', ')', '.', ',', 'foo', 'bar', 'if', '=', '42', 'x', NEWLINE, '{', '}'];

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

interface Doc {
  ids: Int32Array;
  bits: Uint8Array;
}

function randomDoc(random: () => number, vocab: Vocabulary, words: readonly string[]): Doc {
  const n = 2 + Math.floor(random() * 30);
  const ids = new Int32Array(n);
  const bits = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++) {
    ids[i] = vocab.intern(words[Math.floor(random() * words.length)]);
    if (random() < 0.5) bits[i >> 3] |= 1 << (i & 7);
  }
  return { ids, bits };
}

function votes(table: { votes(prev: string, next: string, out: SpacingVotes): void }, prev: string, next: string): SpacingVotes {
  const out = { pairSpaced: 0, pairJoined: 0, classSpaced: 0, classJoined: 0 };
  table.votes(prev, next, out);
  return out;
}

describe('memory/LayeredSpacing', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`votes as one table with the whole history (seed ${seed})`, () => {
      const random = rng(seed);
      const baseVocab = new Vocabulary();
      const newline = baseVocab.intern(NEWLINE);
      const baseDocs = Array.from({ length: 20 }, () => randomDoc(random, baseVocab, WORDS.slice(0, 9)));
      const base = new SpacingTable(baseVocab);
      const reference = new SpacingTable(new Vocabulary());
      const refVocab = (reference as unknown as { vocab: Vocabulary }).vocab;
      for (const word of baseVocab.words) if (word !== '') refVocab.intern(word);
      for (const doc of baseDocs) {
        base.apply(doc.ids, doc.bits, 0, doc.ids.length, 1, newline);
        reference.apply(doc.ids, doc.bits, 0, doc.ids.length, 1, newline);
      }
      const liveVocab = baseVocab.extended();
      const layered = new LayeredSpacing(base, liveVocab);
      const live = [...baseDocs];
      for (let step = 0; step < 400; step++) {
        let doc: Doc;
        let sign: 1 | -1;
        if (random() < 0.45 && live.length > 0) {
          doc = live.splice(Math.floor(random() * live.length), 1)[0];
          sign = -1;
        } else if (random() < 0.1) {
          doc = randomDoc(random, liveVocab, WORDS); // removed though never added: changes nothing
          sign = -1;
        } else {
          doc = randomDoc(random, liveVocab, WORDS);
          live.push(doc);
          sign = 1;
        }
        for (const word of liveVocab.words) if (word !== '' && refVocab.get(word) === undefined) refVocab.intern(word);
        layered.apply(doc.ids, doc.bits, 0, doc.ids.length, sign, newline);
        reference.apply(doc.ids, doc.bits, 0, doc.ids.length, sign, newline);
      }
      for (const prev of WORDS) {
        for (const next of WORDS) assert.deepEqual(votes(layered, prev, next), votes(reference, prev, next), `${prev} ${next}`);
      }
    });
  }

  it('never writes the index table', () => {
    const vocab = new Vocabulary();
    const newline = vocab.intern(NEWLINE);
    const doc = { ids: Int32Array.from(['foo', '(', 'x', ')'].map((w) => vocab.intern(w))), bits: new Uint8Array([0b0000]) };
    const base = new SpacingTable(vocab);
    base.apply(doc.ids, doc.bits, 0, doc.ids.length, 1, newline);
    const before = JSON.stringify(base.parts(), (_, v) => (ArrayBuffer.isView(v) ? Array.from(v as Uint32Array) : v));
    const layered = new LayeredSpacing(base, vocab.extended());
    layered.apply(doc.ids, doc.bits, 0, doc.ids.length, -1, newline);
    layered.apply(doc.ids, doc.bits, 0, doc.ids.length, -1, newline);
    assert.equal(JSON.stringify(base.parts(), (_, v) => (ArrayBuffer.isView(v) ? Array.from(v as Uint32Array) : v)), before);
    assert.deepEqual(votes(layered, 'foo', '('), { pairSpaced: 0, pairJoined: 0, classSpaced: 0, classJoined: 0 });
    assert.deepEqual(votes(base, 'foo', '('), { pairSpaced: 0, pairJoined: 1, classSpaced: 0, classJoined: 1 });
  });
});
