import { strict as assert } from 'node:assert';
import { BatchHeaderError, encodeLoggedBatch, newWriterId, payloadOf, readLoggedBatch } from '../../../src/share/batchFormat';

describe('share/batchFormat', () => {
  it('round-trips the header and keeps the payload intact', () => {
    const writer = newWriterId();
    const payload = new Uint8Array([9, 8, 7]);
    const bytes = encodeLoggedBatch(writer, 'snapshot', payload);
    const batch = readLoggedBatch(bytes);
    assert.equal(batch.writer, writer);
    assert.equal(batch.kind, 'snapshot');
    assert.ok(batch.id.startsWith(`${writer}/`));
    assert.deepEqual(payloadOf(batch), payload);
  });

  it('gives each batch a unique id, even with the same content', () => {
    const a = readLoggedBatch(encodeLoggedBatch('w-1', 'delta', new Uint8Array([1])));
    const b = readLoggedBatch(encodeLoggedBatch('w-1', 'delta', new Uint8Array([1])));
    assert.notEqual(a.id, b.id);
  });

  it('rejects foreign, truncated and future-version bytes', () => {
    const good = encodeLoggedBatch('w-1', 'delta', new Uint8Array([1]));
    assert.throws(() => readLoggedBatch(new Uint8Array([1, 2, 3])), BatchHeaderError);
    assert.throws(() => readLoggedBatch(good.subarray(0, 6)), /truncated/);
    const future = good.slice();
    future[1] = 99;
    assert.throws(() => readLoggedBatch(future), /version 99/);
    assert.throws(() => encodeLoggedBatch('bad id!', 'delta', new Uint8Array()), /invalid writer id/);
  });
});
