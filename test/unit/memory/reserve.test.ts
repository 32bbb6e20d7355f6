import assert from 'node:assert/strict';
import { Memory } from '../../../src/memory';
import { NgramStore } from '../../../src/memory/ngramStore';
import { assertSameModel, CODE_A, CODE_B, PROSE } from './helpers';

function trained(docs: Record<string, string>, reserve?: number): Memory {
  const m = new Memory({ order: 6 });
  if (reserve !== undefined) m.reserve(reserve);
  for (const [id, text] of Object.entries(docs)) m.setDocument(id, text);
  return m;
}

/** Distinct words, so every n-gram of the text is new: `n` tokens add about `order * n` nodes. */
function freshText(n: number, tag: string): string {
  return Array.from({ length: n }, (_, i) => `${tag}${i}`).join(' ');
}

describe('Memory.reserve', () => {
  it('adding up to the reserved n-grams never grows the store again', () => {
    const m = new Memory({ order: 4 });
    m.setDocument('a', CODE_A);
    m.reserve(40_000);
    const bytes = m.stats().bytes;
    const capacity = m.store.capacity;
    m.setDocument('big', freshText(8_000, 'w')); // ~32,000 new n-grams
    assert.ok(m.stats().ngrams > 30_000);
    assert.equal(m.store.capacity, capacity);
    assert.equal(m.stats().bytes, bytes);
  });

  it('without a reservation the same training grows the store (the test above can fail)', () => {
    const m = new Memory({ order: 4 });
    m.setDocument('a', CODE_A);
    const bytes = m.stats().bytes;
    m.setDocument('big', freshText(8_000, 'w'));
    assert.ok(m.stats().bytes > bytes);
  });

  it('changes no count or prediction, and exactness holds across it', () => {
    const plain = trained({ a: CODE_A, b: CODE_B, p: PROSE });
    const reserved = trained({ a: CODE_A, b: CODE_B, p: PROSE }, 50_000);
    assertSameModel(plain, reserved, [CODE_A, CODE_B, PROSE]);
    reserved.removeDocument('b');
    reserved.reserve(1_000);
    assertSameModel(trained({ a: CODE_A, p: PROSE }), reserved, [CODE_A, CODE_B, PROSE]);
  });

  it('an unused reservation does not reach the saved bytes', () => {
    const plain = trained({ a: CODE_A, b: CODE_B });
    const reserved = trained({ a: CODE_A, b: CODE_B }, 200_000);
    assert.ok(reserved.stats().bytes > plain.stats().bytes * 4);
    assert.deepEqual(reserved.encode(), plain.encode());
    const copy = Memory.decode(reserved.encode());
    assertSameModel(plain, copy, [CODE_A, CODE_B, PROSE]);
  });

  it('a memory saved while partly reserved loads and keeps learning exactly', () => {
    const big = freshText(3_000, 'x');
    const plain = trained({ a: CODE_A, big });
    const reserved = trained({ a: CODE_A, big }, 30_000);
    const copy = Memory.decode(reserved.encode(), { adopt: true });
    assertSameModel(plain, copy, [CODE_A, big]);
    copy.setDocument('p', PROSE);
    plain.setDocument('p', PROSE);
    assertSameModel(plain, copy, [CODE_A, big, PROSE]);
  });

  it('works on a memory that adopted its file bytes, leaving those bytes alone', () => {
    const bytes = trained({ a: CODE_A }).encode();
    const before = bytes.slice();
    const adopted = Memory.decode(bytes, { adopt: true });
    adopted.reserve(10_000);
    adopted.setDocument('b', CODE_B);
    assert.deepEqual(bytes, before);
    assertSameModel(trained({ a: CODE_A, b: CODE_B }), adopted, [CODE_A, CODE_B]);
  });

  it('never shrinks, and zero is a no-op', () => {
    const m = trained({ a: CODE_A }, 20_000);
    const bytes = m.stats().bytes;
    m.reserve(10);
    m.reserve(0);
    assert.equal(m.stats().bytes, bytes);
  });

  it('rejects a negative or non-finite amount with a RangeError and changes nothing', () => {
    const m = trained({ a: CODE_A });
    const bytes = m.stats().bytes;
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) assert.throws(() => m.reserve(bad), RangeError);
    assert.equal(m.stats().bytes, bytes);
    assertSameModel(trained({ a: CODE_A }), m, [CODE_A]);
  });

  it('in steps, with edits between them, ends with the same room and the same model', () => {
    const m = new Memory({ order: 4 });
    m.setDocument('a', CODE_A);
    const steps = m.reserveSteps(40_000, 10_000);
    assert.ok(steps.length > 5);
    steps.forEach((step, i) => {
      step();
      if (i % 3 === 0) m.setDocument(`edit${i}`, `${CODE_B} ${i}`);
    });
    const bytes = m.stats().bytes;
    m.setDocument('big', freshText(8_000, 'w'));
    assert.equal(m.stats().bytes, bytes);
    const docs: Record<string, string> = { a: CODE_A };
    steps.forEach((_, i) => {
      if (i % 3 === 0) docs[`edit${i}`] = `${CODE_B} ${i}`;
    });
    docs.big = freshText(8_000, 'w');
    const plain = new Memory({ order: 4 });
    for (const [id, text] of Object.entries(docs)) plain.setDocument(id, text);
    assertSameModel(plain, m, [CODE_A, CODE_B, docs.big]);
  });

  it('copies the nodes it holds in steps too, when the steps run back to back', () => {
    const m = new Memory({ order: 4 });
    m.setDocument('big', freshText(8_000, 'w'));
    const held = m.stats().ngrams;
    const steps = m.reserveSteps(held * 3, 16_384); // 1024 nodes copied and placed per step
    assert.ok(steps.length > held / 1024, `${steps.length} steps for ${held} n-grams`);
    for (const step of steps) step();
    const bytes = m.stats().bytes;
    m.setDocument('more', freshText(2_000, 'z'));
    assert.equal(m.stats().bytes, bytes, 'the room was made');
    const plain = new Memory({ order: 4 });
    plain.setDocument('big', freshText(8_000, 'w'));
    plain.setDocument('more', freshText(2_000, 'z'));
    assertSameModel(plain, m, [freshText(50, 'w'), freshText(50, 'z')]);
  });

  it('takes room made and filled elsewhere, as roomFor() describes it', () => {
    const m = new Memory({ order: 4 });
    m.setDocument('a', CODE_A);
    const plan = m.roomFor(40_000);
    assert.deepEqual(plan.map((p) => p.name).sort(), ['depth', 'firstChild', 'index', 'nextSibling', 'rec']);
    const room: Record<string, Int32Array | Uint8Array> = {};
    for (const { name, length, bytesPerElement, value } of plan) {
      const buffer = new SharedArrayBuffer(length * bytesPerElement);
      room[name] = (bytesPerElement === 4 ? new Int32Array(buffer) : new Uint8Array(buffer)).fill(value);
    }
    const steps = m.reserveSteps(40_000, 1 << 16, room);
    for (const step of steps) step();
    assert.ok((m.store as unknown as { rec: Int32Array }).rec.buffer instanceof SharedArrayBuffer, 'the given arrays are in use');
    const bytes = m.stats().bytes;
    m.setDocument('big', freshText(8_000, 'w'));
    assert.equal(m.stats().bytes, bytes, 'the room was made');
    const plain = new Memory({ order: 4 });
    plain.setDocument('a', CODE_A);
    plain.setDocument('big', freshText(8_000, 'w'));
    assertSameModel(plain, m, [CODE_A, freshText(50, 'w')]);
  });

  it('steps overtaken by growth in between leave the store whole', () => {
    const m = new Memory({ order: 4 });
    const steps = m.reserveSteps(2_000, 512);
    steps[0]();
    m.setDocument('big', freshText(8_000, 'w')); // grows far past the reservation meanwhile
    for (const step of steps.slice(1)) step();
    m.setDocument('more', freshText(100, 'z'));
    const plain = new Memory({ order: 4 });
    plain.setDocument('big', freshText(8_000, 'w'));
    plain.setDocument('more', freshText(100, 'z'));
    assertSameModel(plain, m, [freshText(50, 'w'), freshText(50, 'z')]);
  });

  it('the store keeps every node findable after reserving mid-way', () => {
    const store = new NgramStore(3);
    const nodes: number[] = [];
    for (let w = 0; w < 3_000; w++) nodes.push(store.childOrCreate(0, w));
    store.reserve(5_000);
    for (let w = 3_000; w < 8_000; w++) nodes.push(store.childOrCreate(0, w));
    for (let w = 0; w < 8_000; w++) assert.equal(store.child(0, w), nodes[w]);
    assert.equal(store.child(0, 8_000), -1);
  });
});
