import assert from 'node:assert/strict';
import { Memory, MemoryFormatError } from '../../../src/memory';
import { assertSameModel, CODE_A, CODE_B, PROSE } from './helpers';

function sample(): Memory {
  const m = new Memory({ order: 5 });
  m.setDocument('src/a.js', CODE_A);
  m.setDocument('src/b.js', CODE_B);
  m.setDocumentTokens('tok', ['pre', 'tokenized', 'words']);
  m.applyDelta({ entries: [{ ngram: ['team', 'word'], delta: 3 }] });
  return m;
}

describe('snapshot codec', () => {
  it('reads a snapshot from a Node Buffer at any byte offset (as a file read gives it)', () => {
    const m = new Memory();
    m.setDocument('a', CODE_A);
    const bytes = m.encode();
    for (let offset = 0; offset < 4; offset++) {
      const pool = Buffer.alloc(bytes.length + 8);
      pool.set(bytes, offset);
      assertSameModel(Memory.decode(pool.subarray(offset, offset + bytes.length)), m, [CODE_A]);
    }
  });

  it('round-trips a memory: counts, predictions, documents and spacing', () => {
    const m = sample();
    const copy = Memory.decode(m.encode());
    assertSameModel(m, copy, [CODE_A, CODE_B, PROSE]);
    assert.deepEqual(copy.documentIds().sort(), m.documentIds().sort());
    assert.equal(copy.count(['team', 'word']), 3);
    assert.deepEqual(copy.encode(), m.encode());
  });

  it('keeps documents subtractable after a reload', () => {
    const m = sample();
    const copy = Memory.decode(m.encode());
    copy.removeDocument('src/b.js');
    m.removeDocument('src/b.js');
    assertSameModel(m, copy, [CODE_A, CODE_B]);
    const onlyA = new Memory({ order: 5 });
    onlyA.setDocument('src/a.js', CODE_A);
    onlyA.setDocumentTokens('tok', ['pre', 'tokenized', 'words']);
    onlyA.applyDelta({ entries: [{ ngram: ['team', 'word'], delta: 3 }] });
    assertSameModel(onlyA, copy, [CODE_A, CODE_B]);
  });

  it('round-trips after forgetting, pruning and compaction, and keeps working afterwards', () => {
    const m = sample();
    m.forgetWord('items');
    m.prune(Math.floor(m.stats().ngrams * 0.7));
    const copy = Memory.decode(m.encode());
    assertSameModel(m, copy, [CODE_A, CODE_B]);
    m.setDocument('later', PROSE);
    copy.setDocument('later', PROSE);
    assertSameModel(m, copy, [CODE_A, CODE_B, PROSE]);
  });

  it('adopts the bytes without copying and copies itself out on the first new n-gram', () => {
    const m = sample();
    const adopted = Memory.decode(m.encode(), { adopt: true });
    assertSameModel(m, adopted, [CODE_A, CODE_B, PROSE]);
    m.setDocument('later', PROSE);
    adopted.setDocument('later', PROSE);
    assertSameModel(m, adopted, [CODE_A, CODE_B, PROSE]);
    assert.deepEqual(adopted.encode(), m.encode());
  });

  it('decodes from an unaligned buffer view', () => {
    const bytes = sample().encode();
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    assert.equal(Memory.decode(shifted.subarray(1)).stats().ngrams, sample().stats().ngrams);
  });

  it('rejects truncated bytes at every length with MemoryFormatError', () => {
    const bytes = sample().encode();
    for (let n = 0; n < bytes.length; n += Math.max(1, Math.floor(bytes.length / 300))) {
      assert.throws(() => Memory.decode(bytes.subarray(0, n)), MemoryFormatError, `length ${n}`);
    }
  });

  it('rejects every single-bit corruption', () => {
    const bytes = sample().encode();
    for (let i = 0; i < bytes.length; i += Math.max(1, Math.floor(bytes.length / 400))) {
      for (const bit of [0, 3, 7]) {
        const bad = bytes.slice();
        bad[i] ^= 1 << bit;
        assert.throws(() => Memory.decode(bad), MemoryFormatError, `byte ${i} bit ${bit}`);
      }
    }
  });

  it('rejects foreign bytes and future versions with a clear message', () => {
    assert.throws(() => Memory.decode(new TextEncoder().encode('PK\u0003\u0004 this is a zip file, not a memory')), /not a Light Network memory/);
    assert.throws(() => Memory.decode(new Uint8Array(0)), MemoryFormatError);
    const future = sample().encode();
    future[4] = 99;
    assert.throws(() => Memory.decode(future), /newer version/);
  });
});
