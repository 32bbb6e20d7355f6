// Memory.applyDelta goes through the bulk form (bulkDelta.ts): all or nothing, an n-gram named
// twice netted, the same counts as applying each n-gram's net change alone.
import { strict as assert } from 'node:assert';
import { Memory } from '../../../src/memory';
import type { DeltaBatch, NgramDelta } from '../../../src/memory/types';

function rng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** Random entries over a small vocabulary: repeats and negative deltas included. */
function randomBatch(random: () => number, size: number, { negative = 0.3, maxLength = 4 } = {}): DeltaBatch {
  const entries: NgramDelta[] = [];
  for (let i = 0; i < size; i++) {
    const n = 1 + Math.floor(random() * maxLength);
    const ngram = Array.from({ length: n }, () => `t${Math.floor(random() * 12)}`);
    const magnitude = 1 + Math.floor(random() * 5);
    entries.push({ ngram, delta: random() < negative ? -magnitude : magnitude });
  }
  return { entries };
}

/** Each n-gram's net change, in order of first appearance, zero nets left out. */
function netted(batch: DeltaBatch): NgramDelta[] {
  const nets = new Map<string, NgramDelta>();
  for (const { ngram, delta } of batch.entries) {
    const key = ngram.join('\u0000');
    const entry = nets.get(key);
    if (entry) entry.delta += delta;
    else nets.set(key, { ngram, delta });
  }
  return [...nets.values()].filter((entry) => entry.delta !== 0);
}

/** Every n-gram with its count. */
function counts(memory: Memory): NgramDelta[] {
  const out: NgramDelta[] = [];
  for (const entry of memory.ngramCounts()) if (entry) out.push(entry);
  return out.sort((a, b) => (a.ngram.join(' ') < b.ngram.join(' ') ? -1 : 1));
}

describe('memory/bulkDelta (Memory.applyDelta)', () => {
  it('applies random batches all or nothing, as their net changes one by one', () => {
    const random = rng(3);
    const batched = new Memory({ order: 4 });
    const single = new Memory({ order: 4 });
    let refused = 0;
    for (let round = 0; round < 300; round++) {
      const batch = randomBatch(random, 1 + Math.floor(random() * 30));
      const before = counts(batched);
      try {
        batched.applyDelta(batch);
      } catch (error) {
        assert.ok(error instanceof RangeError, String(error));
        refused++;
        assert.deepEqual(counts(batched), before, 'a refused batch leaves every count as it was');
        continue;
      }
      for (const entry of netted(batch)) single.applyDelta({ entries: [entry] });
      assert.deepEqual(counts(batched), counts(single));
    }
    assert.ok(refused > 10 && refused < 290, `both outcomes exercised (${refused} refused)`);
  });

  it('nets an n-gram named twice and refuses n-grams longer than the order, leaving nothing behind', () => {
    const memory = new Memory({ order: 2 });
    const revision = memory.revision;
    memory.applyDelta({ entries: [{ ngram: ['a', 'b'], delta: 2 }, { ngram: ['c'], delta: 5 }, { ngram: ['a', 'b'], delta: 3 }] });
    assert.ok(memory.revision > revision, 'a delta counts as a change of the memory');
    assert.equal(memory.count(['a', 'b']), 5);
    const before = counts(memory);
    assert.throws(() => memory.applyDelta({ entries: [{ ngram: ['x', 'y'], delta: 1 }, { ngram: ['x', 'y', 'z'], delta: 1 }] }), /1 to 2 tokens/);
    assert.deepEqual(counts(memory), before);
    assert.equal(memory.wordCount('x'), 0);
  });
});
