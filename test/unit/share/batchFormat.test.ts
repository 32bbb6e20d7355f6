import { strict as assert } from 'node:assert';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BatchHeaderError, encodeLoggedBatch, payloadOf, readLoggedBatch, signatureProblem } from '../../../src/share/batchFormat';
import { importWriterKey, loadOrCreateWriterKey, newWriterKey, writerIdOf, type WriterKey } from '../../../src/share/writerKey';

const ORDER = { seq: 5, floor: 3, dead: ['00112233445566ff'] };

/** `key`'s public key and id, but signatures made with `signer`'s private key. */
function impostor(key: WriterKey, signer: WriterKey): WriterKey {
  return { ...key, sign: signer.sign };
}

describe('share/batchFormat (signed batches)', () => {
  const key = newWriterKey();

  it('round-trips the header, the order fields and the payload', () => {
    const payload = new Uint8Array([9, 8, 7]);
    const batch = readLoggedBatch(encodeLoggedBatch(key, 'snapshot', payload, ORDER));
    assert.equal(batch.writer, key.id);
    assert.equal(batch.writer, writerIdOf(key.publicKey));
    assert.match(batch.writer, /^k-[A-Za-z0-9_-]{22}$/);
    assert.equal(batch.kind, 'snapshot');
    assert.deepEqual([batch.seq, batch.floor, batch.dead], [5, 3, ['00112233445566ff']]);
    assert.ok(batch.id.startsWith(`${key.id}/`));
    assert.deepEqual(payloadOf(batch), payload);
  });

  it('gives each batch a unique id, even with the same content', () => {
    const a = readLoggedBatch(encodeLoggedBatch(key, 'delta', new Uint8Array([1]), ORDER));
    const b = readLoggedBatch(encodeLoggedBatch(key, 'delta', new Uint8Array([1]), ORDER));
    assert.notEqual(a.id, b.id);
  });

  it('rejects a forged signature, and any byte changed after signing (payload, seq, supersession, id)', () => {
    const good = encodeLoggedBatch(key, 'delta', new Uint8Array(40).fill(7), ORDER);
    assert.equal(signatureProblem(readLoggedBatch(good)), undefined);
    const forged = readLoggedBatch(encodeLoggedBatch(impostor(key, newWriterKey()), 'delta', new Uint8Array([1]), ORDER));
    assert.match(signatureProblem(forged)!, /bad signature/);
    for (let i = 2; i < good.length; i++) {
      const bent = good.slice();
      bent[i] ^= 0x10;
      let problem: string | undefined;
      try {
        problem = signatureProblem(readLoggedBatch(bent));
      } catch (error) {
        assert.ok(error instanceof BatchHeaderError);
        problem = error.message;
      }
      assert.ok(problem, `byte ${i} changed unnoticed`);
    }
  });

  it('rejects a batch whose writer id is not the one of the key it carries', () => {
    const other = newWriterKey();
    // Properly signed by `other`, but claiming `key`'s id.
    const lying: WriterKey = { ...other, id: key.id };
    assert.throws(() => readLoggedBatch(encodeLoggedBatch(lying, 'delta', new Uint8Array([1]), ORDER)), /another writer's key/);
  });

  it('refuses unsigned version-1 batches with a clear reason, and foreign, truncated and future bytes', () => {
    // Format 1: 'L' 1 kind varstring(writer) nonce(8) payload, no key and no signature.
    const v1 = new Uint8Array([0x4c, 1, 0, 3, 0x77, 0x2d, 0x31, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9]);
    assert.throws(() => readLoggedBatch(v1), /unsigned batch of format version 1 refused .*update/);
    const good = encodeLoggedBatch(key, 'delta', new Uint8Array([1]), ORDER);
    assert.throws(() => readLoggedBatch(new Uint8Array([1, 2, 3])), BatchHeaderError);
    assert.throws(() => readLoggedBatch(good.subarray(0, 6)), /truncated/);
    const future = good.slice();
    future[1] = 99;
    assert.throws(() => readLoggedBatch(future), /version 99/);
    assert.throws(() => encodeLoggedBatch(key, 'delta', new Uint8Array(), { seq: -1, floor: 0, dead: [] }), /sequence/);
  });

  it('refuses a signed batch of format version 2 (n-gram counts) and says its writer must update', () => {
    // A genuine version-2 batch: the same envelope, signed, over a count payload.
    const v2 = encodeLoggedBatch(key, 'delta', new Uint8Array([1, 1, 1, 97, 2]), ORDER).slice(0, -64);
    v2[1] = 2;
    const signed = new Uint8Array([...v2, ...key.sign(v2)]);
    assert.throws(
      () => readLoggedBatch(signed),
      /batch of format version 2 \(n-gram counts\) refused: this Light Network shares text \(format 3\); its writer must update Light Network/,
    );
  });
});

describe('share/writerKey', () => {
  it('keeps the private key in a file only its owner can read, and reloads the same identity', async function () {
    if (process.platform === 'win32') this.skip();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ln-key-'));
    try {
      const file = path.join(dir, 'nested', 'writer.key');
      const first = await loadOrCreateWriterKey(file);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      const again = await loadOrCreateWriterKey(file);
      assert.equal(again.id, first.id);
      assert.equal(importWriterKey(readFileSync(file)).id, first.id);
      chmodSync(file, 0o644);
      await loadOrCreateWriterKey(file);
      assert.equal(statSync(file).mode & 0o777, 0o600, 'a widened mode is narrowed again');
      writeFileSync(file, 'garbage');
      await assert.rejects(loadOrCreateWriterKey(file), /damaged/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
