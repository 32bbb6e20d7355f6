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
