import { strict as assert } from 'node:assert';
import { decodeDeltas, encodeDeltas, Memory } from '../../../src/memory';
import { bulkFromBatch, bulkToBatch, decodeDeltasBulk, selectBulk } from '../../../src/memory/bulkDelta';
import type { DeltaBatch, NgramDelta } from '../../../src/memory/types';
import { memoryContribution } from '../../../src/share/contribution';

function rng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** Random entries over a small vocabulary: repeats, negative deltas and too-long n-grams included. */
function randomBatch(random: () => number, size: number, { negative = 0.2, maxLength = 5 } = {}): DeltaBatch {
  const entries: NgramDelta[] = [];
  for (let i = 0; i < size; i++) {
    const n = 1 + Math.floor(random() * maxLength);
    const ngram = Array.from({ length: n }, () => `t${Math.floor(random() * 12)}`);
    const magnitude = 1 + Math.floor(random() * 5);
    entries.push({ ngram, delta: random() < negative ? -magnitude : magnitude });
  }
  return { entries };
}

function outcome(run: () => void): string {
  try {
    run();
    return 'ok';
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
}

describe('memory/bulkDelta', () => {
  it('decodes to the same entries as decodeDeltas', () => {
    const random = rng(7);
    for (let round = 0; round < 50; round++) {
      const bytes = encodeDeltas(randomBatch(random, 1 + Math.floor(random() * 200), { maxLength: 12 }));
      assert.deepEqual(bulkToBatch(decodeDeltasBulk(bytes)), decodeDeltas(bytes));
    }
  });

  it('refuses damaged or over-limit bytes exactly as decodeDeltas does', () => {
    const random = rng(11);
    const base = encodeDeltas(randomBatch(random, 40, { maxLength: 4 }));
    const cases: Array<[Uint8Array, object]> = [
      [base.subarray(0, 3), {}],
      [base.subarray(0, base.length - 1), {}],
      [base, { maxEntries: 10 }],
      [base, { maxTokenLength: 1 }],
      [base, { maxAbsDelta: 2 }],
      [new Uint8Array([0x4c, 0x4e, 0x44, 0x42, 9, 0, 0, 0, 0, 0, 0]), {}],
    ];
    for (let i = 0; i < 200; i++) {
      const flipped = base.slice();
      flipped[Math.floor(random() * flipped.length)] ^= 1 << Math.floor(random() * 8);
      cases.push([flipped, {}]);
    }
    for (const [bytes, limits] of cases) {
      assert.equal(outcome(() => decodeDeltasBulk(bytes, limits)), outcome(() => decodeDeltas(bytes, limits)));
    }
  });

  it('applies random batches to the same counts, bytes and refusals as applyDelta', () => {
    const random = rng(3);
    const viaEntries = new Memory({ order: 4 });
    const viaBulk = new Memory({ order: 4 });
    let refused = 0;
    for (let round = 0; round < 300; round++) {
      // Only n-grams that fit the order (the validator drops longer ones before either path).
      const batch = randomBatch(random, 1 + Math.floor(random() * 30), { maxLength: 4, negative: 0.3 });
      const before = memoryContribution(viaBulk);
      const expected = outcome(() => viaEntries.applyDelta(batch));
      const actual = outcome(() => viaBulk.applyBulkDelta(bulkFromBatch(batch), 0, batch.entries.length, 1));
      assert.equal(actual, expected);
      if (expected !== 'ok') {
        refused++;
        assert.deepEqual(memoryContribution(viaBulk), before, 'a refused batch leaves every count as it was');
      }
      assert.deepEqual(viaBulk.encode(), viaEntries.encode());
    }
    assert.ok(refused > 10 && refused < 290, `both outcomes exercised (${refused} refused)`);
  });

  it('applies a range, undoes it with sign -1, and nets an n-gram named twice', () => {
    const memory = new Memory({ order: 3 });
    const bulk = bulkFromBatch({
      entries: [
        { ngram: ['a', 'b'], delta: 2 },
        { ngram: ['c'], delta: 5 },
        { ngram: ['a', 'b'], delta: 3 },
      ],
    });
    const revision = memory.revision;
    memory.applyBulkDelta(bulk, 0, 3, 1);
    assert.ok(memory.revision > revision, 'a bulk change counts as a change of the memory');
    assert.equal(memory.count(['a', 'b']), 5);
    memory.applyBulkDelta(bulk, 1, 2, -1);
    assert.equal(memory.count(['c']), 0);
    assert.equal(memory.count(['a', 'b']), 5);
    assert.throws(() => memory.applyBulkDelta(bulk, 2, 4, 1), /range/);
  });

  it('refuses n-grams longer than the order and keeps only selected entries', () => {
    const memory = new Memory({ order: 2 });
    const bulk = bulkFromBatch({
      entries: [
        { ngram: ['x', 'y', 'z'], delta: 1 },
        { ngram: ['x', 'y'], delta: 1 },
      ],
    });
    assert.throws(() => memory.applyBulkDelta(bulk, 0, 2, 1), /1 to 2 tokens/);
    assert.equal(memory.stats().vocabulary, 0);
    const kept = selectBulk(bulk, new Uint8Array([0, 1]));
    memory.applyBulkDelta(kept, 0, kept.count, 1);
    assert.equal(memory.count(['x', 'y']), 1);
    assert.deepEqual(bulkToBatch(kept), { entries: [{ ngram: ['x', 'y'], delta: 1 }] });
  });
});
