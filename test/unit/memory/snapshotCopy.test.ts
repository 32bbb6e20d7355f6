import { strict as assert } from 'node:assert';
import { Memory } from '../../../src/memory/memory';
import { readSnapshot, tidyForSnapshot, writeSnapshot, type SnapshotInput } from '../../../src/memory/snapshotCodec';
import { SnapshotCopier, transferablesOf } from '../../../src/memory/snapshotCopy';

function trained(): Memory {
  const m = new Memory();
  for (let i = 0; i < 40; i++) m.setDocument(`doc${i}`, `function light${i % 7}(ray) { return ray.bend(${i}) + glow; }\nThe beam number ${i} refracts.\n`);
  return m;
}

function copyOf(memory: Memory): { copy: SnapshotInput; copier: SnapshotCopier; steps: number } {
  const copier = new SnapshotCopier(memory);
  let steps = 1;
  while (!copier.step()) steps++;
  return { copy: copier.result(), copier, steps };
}

function encodeCopy(copy: SnapshotInput): Uint8Array {
  return writeSnapshot({ ...copy, store: tidyForSnapshot(copy.order, copy.words.length, copy.store) });
}

describe('memory/snapshotCopy', () => {
  it('copies a memory in steps into a snapshot equal to encode()', () => {
    const memory = trained();
    const { copy, steps } = copyOf(memory);
    assert.ok(steps > 1, 'the copy is done in several steps');
    assert.deepEqual(encodeCopy(copy), memory.encode());
  });

  it('compacts dead n-grams in the copy, leaving the live memory as it is', () => {
    const memory = trained();
    for (let i = 0; i < 40; i += 2) memory.removeDocument(`doc${i}`);
    memory.setDocument('doc1', 'an entirely different text about lenses and prisms');
    const dead = memory.store.dead;
    assert.ok(dead > 0);
    const bytes = encodeCopy(copyOf(memory).copy);
    assert.equal(memory.store.dead, dead, 'the live store is not compacted by copying');
    const restored = Memory.decode(bytes);
    assert.equal(restored.store.dead, 0);
    assert.deepEqual(restored.encode(), memory.encode());
    assert.deepEqual({ ...restored.stats(), bytes: 0 }, { ...memory.stats(), bytes: 0 }, 'the same counts (capacity aside)');
  });

  it('starts over when the memory changes between steps, ending with the latest state', () => {
    const memory = trained();
    const copier = new SnapshotCopier(memory);
    assert.equal(copier.step(), false);
    memory.setDocument('late', 'a late arrival lights the field');
    while (!copier.step());
    assert.equal(copier.restarts, 1);
    const restored = Memory.fromSnapshot(readSnapshot(encodeCopy(copier.result())));
    assert.equal(restored.wordCount('arrival'), 1);
    assert.deepEqual(restored.encode(), memory.encode());
  });

  it('finishes in one step once the memory changed under it a few times, so it always ends', () => {
    const memory = trained();
    const copier = new SnapshotCopier(memory);
    let steps = 0;
    while (!copier.step()) {
      memory.setDocument(`stream${steps++}`, `a peer streams word${steps} after word${steps}`);
      assert.ok(steps < 20, 'the copy ends');
    }
    assert.equal(copier.restarts, 3);
    assert.deepEqual(encodeCopy(copier.result()), memory.encode());
  });

  it('copies into arrays made for it elsewhere when they fit, else makes its own', () => {
    const memory = trained();
    const live = memory.store.liveState();
    const rec = new Int32Array(live.rec.length);
    const wrongIndex = new Int32Array(live.index.length + 1);
    const copier = new SnapshotCopier(memory, { room: { rec, index: wrongIndex } });
    while (!copier.step());
    assert.equal(copier.result().store.rec, rec);
    assert.notEqual(copier.result().store.index, wrongIndex);
    assert.deepEqual(encodeCopy(copier.result()), memory.encode());
  });

  it('can make its large copies on shared memory, which needs no transfer', () => {
    const memory = trained();
    const copier = new SnapshotCopier(memory, { shared: true });
    while (!copier.step());
    const copy = copier.result();
    assert.ok(copy.store.rec.buffer instanceof SharedArrayBuffer);
    assert.ok(!transferablesOf(copy).some((b) => (b as unknown) instanceof SharedArrayBuffer));
    assert.deepEqual(encodeCopy(structuredClone(copy, { transfer: transferablesOf(copy) })), memory.encode());
  });

  it('owns every array of the copy, so it can be transferred without touching the memory', () => {
    const memory = trained();
    const before = memory.encode();
    const { copy } = copyOf(memory);
    const buffers = transferablesOf(copy);
    structuredClone(copy, { transfer: buffers });
    assert.equal(copy.store.rec.length, 0, 'the copy moved away');
    assert.deepEqual(memory.encode(), before);
    assert.ok(memory.wordCount('glow') > 0);
  });
});
