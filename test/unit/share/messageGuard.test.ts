import { strict as assert } from 'node:assert';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { encodeLoggedBatch } from '../../../src/share/batchFormat';
import { LOG_NAME } from '../../../src/share/deltaLog';
import { withLimits } from '../../../src/share/limits';
import { checkUpdate, createMessageGuard } from '../../../src/share/messageGuard';
import { newWriterKey } from '../../../src/share/writerKey';

function syncMessage(step: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, step);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

describe('share/messageGuard', () => {
  const limits = withLimits({ maxBatchBytes: 1000 });
  const guard = createMessageGuard(limits);

  it('admits log appends, deletions and state vectors', () => {
    const doc = new Y.Doc();
    doc.getArray(LOG_NAME).push([encodeLoggedBatch(newWriterKey(), 'delta', new Uint8Array(10), { seq: 1, floor: 0, dead: [] })]);
    doc.getArray(LOG_NAME).delete(0, 1);
    assert.equal(guard(syncMessage(1, Y.encodeStateAsUpdate(doc))), undefined);
    assert.equal(guard(syncMessage(0, Y.encodeStateVector(doc))), undefined);
  });

  it('drops updates that write anything but batches into the log', () => {
    const text = new Y.Doc();
    text.getText('other').insert(0, 'hi');
    assert.match(checkUpdate(Y.encodeStateAsUpdate(text), limits)!, /outside the delta log/);
    const map = new Y.Doc();
    map.getMap(LOG_NAME).set('k', 1);
    assert.match(checkUpdate(Y.encodeStateAsUpdate(map), limits)!, /map key/);
    const any = new Y.Doc();
    any.getArray(LOG_NAME).push(['a string']);
    assert.match(checkUpdate(Y.encodeStateAsUpdate(any), limits)!, /not a batch/);
    const big = new Y.Doc();
    big.getArray(LOG_NAME).push([new Uint8Array(5000)]);
    assert.match(guard(syncMessage(2, Y.encodeStateAsUpdate(big)))!, /over the cap/);
  });

  it('drops random and truncated bytes and unknown message types', () => {
    const doc = new Y.Doc();
    doc.getArray(LOG_NAME).push([new Uint8Array(10)]);
    const update = Y.encodeStateAsUpdate(doc);
    assert.ok(guard(syncMessage(2, update.subarray(0, update.length - 3))));
    assert.ok(guard(new Uint8Array([0, 2, 200, 1, 2])));
    assert.match(guard(new Uint8Array([4, 1, 0]))!, /unexpected message type/);
    let dropped = 0;
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    for (let i = 0; i < 200; i++) {
      const junk = new Uint8Array(1 + (i % 40)).map(random);
      junk[0] = 0;
      if (guard(junk)) dropped++;
    }
    assert.ok(dropped > 190, `only ${dropped} of 200 junk messages dropped`);
  });
});
