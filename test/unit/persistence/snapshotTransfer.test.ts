import { strict as assert } from 'node:assert';
import { Memory } from '../../../src/memory/memory';
import { readSnapshot } from '../../../src/memory/snapshotCodec';
import { runSteps } from '../../../src/memory/steps';
import { packSnapshot, unpackSnapshot, unpackSnapshotInSteps } from '../../../src/persistence/snapshotTransfer';

function sample(): Memory {
  const m = new Memory();
  m.setDocument('src/a.ts\u0000c0', 'const lantern = new Lantern();\nlantern.shine();\n');
  m.setDocumentTokens('tokens-only', ['no', 'spacing', 'here']);
  m.setDocument('notes/ünïcode.md\u0000c1', 'Ünïcode wörds and emoji 🌟 survive the trip.');
  return m;
}

describe('persistence/snapshotTransfer', () => {
  it('packs words and documents into one string and one buffer each way, and back', () => {
    const snap = readSnapshot(sample().encode());
    const packed = packSnapshot(snap);
    assert.equal(typeof packed.words.text, 'string');
    const back = unpackSnapshot(structuredClone(packed));
    assert.deepEqual(back.words, snap.words);
    assert.deepEqual(back.docs.map((d) => [d.id, d.length, [...d.ids], d.spacing && [...d.spacing]]), snap.docs.map((d) => [d.id, d.length, [...d.ids], d.spacing && [...d.spacing]]));
    assert.deepEqual(Memory.fromSnapshot(back).encode(), sample().encode());
  });

  it('gathers documents whose bytes live in separate buffers', () => {
    const snap = readSnapshot(sample().encode());
    snap.docs = snap.docs.map((d) => ({ ...d, ids: d.ids.slice(), spacing: d.spacing?.slice() }));
    const back = unpackSnapshot(packSnapshot(snap));
    assert.deepEqual(Memory.fromSnapshot(back).encode(), sample().encode());
  });

  it('unpacks in as many steps as asked', () => {
    const packed = packSnapshot(readSnapshot(sample().encode()));
    const steps = unpackSnapshotInSteps(packed, 1);
    let yields = 0;
    while (!steps.next().done) yields++;
    assert.ok(yields >= 3, String(yields));
    assert.deepEqual(runSteps(unpackSnapshotInSteps(packed, 1)).words, unpackSnapshot(packed).words);
  });
});
