import { strict as assert } from 'node:assert';
import * as Y from 'yjs';
import { encodeLoggedBatch } from '../../../src/share/batchFormat';
import { DeltaLog, LOG_NAME } from '../../../src/share/deltaLog';
import { withLimits } from '../../../src/share/limits';
import { savedLogProblem } from '../../../src/share/savedLog';
import { newWriterKey } from '../../../src/share/writerKey';
import { batchOf, rec } from './logPeers';

describe('share/savedLog', () => {
  const limits = withLimits();

  it('admits a log of signed text batches', () => {
    const log = new DeltaLog(new Y.Doc(), newWriterKey());
    log.append(batchOf(rec('a', 'a b')));
    assert.equal(savedLogProblem(Y.encodeStateAsUpdate(log.doc), limits), undefined);
  });

  it('sets aside a log saved before batches were signed, one of n-gram counts, and damaged bytes', () => {
    const doc = new Y.Doc();
    const v1 = new Uint8Array([0x4c, 1, 0, 3, 0x77, 0x2d, 0x31, 1, 2, 3, 4, 5, 6, 7, 8, 1, 1, 1, 120, 2]);
    doc.getArray<Uint8Array>(LOG_NAME).push([v1]);
    assert.match(savedLogProblem(Y.encodeStateAsUpdate(doc), limits)!, /1 batches of an older format/);
    const counts = new Y.Doc();
    const key = newWriterKey();
    const v2 = encodeLoggedBatch(key, 'delta', new Uint8Array([1, 1, 1, 97, 2]), { seq: 1, floor: 0, dead: [] }).slice(0, -64);
    v2[1] = 2;
    counts.getArray<Uint8Array>(LOG_NAME).push([new Uint8Array([...v2, ...key.sign(v2)])]);
    assert.match(savedLogProblem(Y.encodeStateAsUpdate(counts), limits)!, /older format \(unsigned, or n-gram counts\); the team memory is rebuilt from the peers/);
    assert.ok(savedLogProblem(new Uint8Array([1, 2, 3, 250]), limits));
  });
});
