import assert from 'node:assert/strict';
import { PairTable } from '../../../src/memory/pairTable';

describe('pair table', () => {
  it('inserts absent pairs once, refuses present ones, and keeps finding all after reserve and growth', () => {
    const t = new PairTable(16);
    t.reserve(100);
    const ids: number[] = [];
    for (let i = 0; i < 300; i++) ids.push(t.insertIfAbsent(i, i * 7));
    assert.deepEqual(ids, Array.from({ length: 300 }, (_, i) => i));
    assert.equal(t.insertIfAbsent(5, 35), -1);
    assert.equal(t.insertIfAbsent(35, 5), 300);
    for (let i = 0; i < 300; i++) assert.equal(t.find(i, i * 7), i);
    assert.equal(t.find(1, 1), -1);
    assert.equal(t.size, 301);
  });
});

describe('memory/PairTable.copyInSteps', () => {
  function filled(n: number): PairTable {
    const t = new PairTable(16);
    for (let i = 0; i < n; i++) t.insert(i % 997, i);
    return t;
  }

  for (const [label, extra] of [['room enough in the index', 0], ['an index rebuilt in steps', 50_000]] as const) {
    it(`copies every pair under its id, with room for more (${label})`, () => {
      const source = filled(20_000);
      const capacity = source.size + extra;
      const steps = copy(source, capacity);
      const { table, count } = steps;
      if (extra > 0) assert.ok(count > 3, `${count} steps`);
      assert.equal(table.size, source.size);
      for (let i = 0; i < source.size; i++) assert.equal(table.find(i % 997, i), i);
      assert.equal(table.find(5, 6), -1);
      const keys = table.keyA;
      for (let i = source.size; i < capacity; i++) table.insert(-1, i);
      assert.equal(table.keyA, keys, 'the reserved room took the new pairs without growing');
      assert.equal(source.find(-1, source.size), -1, 'the source is untouched');
      assert.equal(source.size, 20_000);
    });
  }

  function copy(source: PairTable, capacity: number): { table: PairTable; count: number } {
    const steps = source.copyInSteps(capacity, 4096);
    let count = 0;
    for (let step = steps.next(); ; step = steps.next()) {
      if (step.done) return { table: step.value, count };
      count++;
    }
  }
});
