import assert from 'node:assert/strict';
import { checkIds, decodeIds, encodeIds } from '../../../src/memory/varint';

describe('varint ids', () => {
  const ids = [0, 1, 127, 128, 16383, 16384, 2 ** 21, 2 ** 28 + 5];
  const bytes = encodeIds(ids);

  it('round-trips ids of every width', () => {
    assert.deepEqual(Array.from(decodeIds(bytes, ids.length) ?? []), ids);
  });

  it('checks count and range without decoding', () => {
    assert.equal(checkIds(bytes, ids.length, 2 ** 29), 'ok');
    assert.equal(checkIds(bytes, ids.length, 2 ** 28), 'unknown');
    assert.equal(checkIds(bytes, ids.length - 1, 2 ** 29), 'malformed');
    assert.equal(checkIds(bytes, ids.length + 1, 2 ** 29), 'malformed');
    assert.equal(checkIds(bytes.subarray(0, bytes.length - 1), ids.length, 2 ** 29), 'malformed');
    assert.equal(checkIds(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), 1, 2 ** 31), 'malformed');
    assert.equal(checkIds(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f]), 1, 2 ** 31), 'unknown');
  });
});
