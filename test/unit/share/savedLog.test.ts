import { strict as assert } from 'node:assert';
import * as Y from 'yjs';
import { encodeDeltas } from '../../../src/memory';
import { DeltaLog, LOG_NAME } from '../../../src/share/deltaLog';
import { withLimits } from '../../../src/share/limits';
import { savedLogProblem } from '../../../src/share/savedLog';
import { newWriterKey } from '../../../src/share/writerKey';

describe('share/savedLog', () => {
  const limits = withLimits();

  it('admits a log of signed batches', () => {
    const log = new DeltaLog(new Y.Doc(), newWriterKey());
    log.append({ entries: [{ ngram: ['a', 'b'], delta: 2 }] });
    assert.equal(savedLogProblem(Y.encodeStateAsUpdate(log.doc), limits), undefined);
  });

  it('sets aside a log saved before batches were signed, and damaged bytes', () => {
    const doc = new Y.Doc();
    const v1 = new Uint8Array([0x4c, 1, 0, 3, 0x77, 0x2d, 0x31, 1, 2, 3, 4, 5, 6, 7, 8, ...encodeDeltas({ entries: [{ ngram: ['x'], delta: 1 }] })]);
    doc.getArray<Uint8Array>(LOG_NAME).push([v1]);
    assert.match(savedLogProblem(Y.encodeStateAsUpdate(doc), limits)!, /1 unsigned batches of an older version/);
    assert.ok(savedLogProblem(new Uint8Array([1, 2, 3, 250]), limits));
  });
});
