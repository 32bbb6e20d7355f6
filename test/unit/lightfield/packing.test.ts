import assert from 'node:assert/strict';
import { FLAG_LOCAL, FLAG_TEAM, FieldFormatError, packField, unpackField, type LightField } from '../../../src/lightfield/packing';

function field(): LightField {
  return {
    version: 7,
    words: ['const', 'x', '=', '→ ünïcode', ''],
    count: Float32Array.of(10, 5, 4, 2, 1),
    recency: Float32Array.of(1, 0.5, 0, 0.25, 0),
    tone: Uint8Array.of(1, 0, 3, 4, 4),
    flags: Uint8Array.of(FLAG_LOCAL, FLAG_LOCAL | FLAG_TEAM, FLAG_LOCAL, FLAG_TEAM, FLAG_LOCAL),
    from: Uint32Array.of(0, 1, 2),
    to: Uint32Array.of(1, 2, 0),
    weight: Float32Array.of(0.5, 0.9, 0.125),
    stats: { vocabulary: 1234, ngrams: 98765, tokens: 4e9, teamWords: 1 },
  };
}

describe('light field packing', () => {
  it('round-trips every section, including non-ASCII and empty words', () => {
    const original = field();
    const back = unpackField(packField(original));
    assert.equal(back.version, 7);
    assert.deepEqual(back.words, original.words);
    for (const key of ['count', 'recency', 'tone', 'flags', 'from', 'to', 'weight'] as const) {
      assert.deepEqual(Array.from(back[key]), Array.from(original[key]), key);
    }
    assert.deepEqual(back.stats, original.stats);
  });

  it('round-trips an empty field', () => {
    const empty: LightField = { ...field(), words: [], count: new Float32Array(0), recency: new Float32Array(0), tone: new Uint8Array(0), flags: new Uint8Array(0), from: new Uint32Array(0), to: new Uint32Array(0), weight: new Float32Array(0) };
    assert.equal(unpackField(packField(empty)).words.length, 0);
  });

  it('decodes from an unaligned copy of the bytes', () => {
    const bytes = packField(field());
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    assert.deepEqual(unpackField(shifted.subarray(1)).words, field().words);
  });

  it('rejects truncated, foreign and inconsistent bytes with a FieldFormatError', () => {
    const bytes = packField(field());
    assert.throws(() => unpackField(bytes.subarray(0, 10)), FieldFormatError);
    assert.throws(() => unpackField(bytes.subarray(0, bytes.length - 4)), FieldFormatError);
    const foreign = bytes.slice();
    foreign[0] ^= 0xff;
    assert.throws(() => unpackField(foreign), FieldFormatError);
    const badRay = packField({ ...field(), to: Uint32Array.of(1, 2, 0) });
    const view = new DataView(badRay.buffer);
    view.setUint32(badRay.length - 12 - 4 * 3 + 0, 99, true); // first `to` entry -> a missing neuron
    assert.throws(() => unpackField(badRay), FieldFormatError);
  });

  it('refuses to pack arrays of mismatched lengths', () => {
    assert.throws(() => packField({ ...field(), count: Float32Array.of(1) }), RangeError);
    assert.throws(() => packField({ ...field(), weight: Float32Array.of(1) }), RangeError);
  });
});
