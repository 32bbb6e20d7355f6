import { strict as assert } from 'node:assert';
import { Memory } from '../../../src/memory/memory';
import { MemoryFormatError } from '../../../src/memory/types';
import { crc32, decodeSavedMemory, emptyManifest, encodeSavedMemory } from '../../../src/persistence/savedMemory';

function sample(): Uint8Array {
  const local = new Memory();
  local.setDocument('src/a.ts\u0000x.0', 'const keeper = new Keeper();\nkeeper.light();\n');
  const team = new Memory();
  team.setDocument('peer', 'the tide turns');
  const manifest = { ...emptyManifest(), trained: true, files: { 'src/a.ts': [1700000000000, 48] as [number, number] }, forgottenWords: ['secretword'] };
  return encodeSavedMemory({ manifest, local: local.encode(), team: team.encode() });
}

describe('persistence/savedMemory', () => {
  it('round-trips the manifest and both memories', () => {
    const saved = decodeSavedMemory(sample());
    assert.equal(saved.manifest.trained, true);
    assert.deepEqual(saved.manifest.files['src/a.ts'], [1700000000000, 48]);
    assert.deepEqual(saved.manifest.forgottenWords, ['secretword']);
    assert.equal(saved.local.wordCount('keeper'), 2);
    assert.equal(saved.team.wordCount('tide'), 1);
    assert.deepEqual(saved.local.documentIds(), ['src/a.ts\u0000x.0']);
  });

  it('rejects truncated, foreign and corrupted bytes with MemoryFormatError', () => {
    const bytes = sample();
    assert.throws(() => decodeSavedMemory(bytes.subarray(0, bytes.length - 1)), MemoryFormatError);
    assert.throws(() => decodeSavedMemory(bytes.subarray(0, 20)), MemoryFormatError);
    assert.throws(() => decodeSavedMemory(new TextEncoder().encode('{"not":"a memory"}'.repeat(3))), MemoryFormatError);
    for (let i = 0; i < bytes.length; i += Math.max(1, Math.floor(bytes.length / 97))) {
      const broken = bytes.slice();
      broken[i] ^= 0x41;
      let decoded;
      try {
        decoded = decodeSavedMemory(broken);
      } catch (error) {
        assert.ok(error instanceof MemoryFormatError, `byte ${i}: ${error}`);
        continue;
      }
      // A flip the checks cannot see must at least leave an intact memory (e.g. a manifest fingerprint digit).
      assert.equal(decoded.local.wordCount('keeper'), 2, `byte ${i} silently changed the memory`);
    }
  });

  it('rejects a future version', () => {
    const bytes = sample();
    new DataView(bytes.buffer).setUint32(4, 99, true);
    assert.throws(() => decodeSavedMemory(bytes), /version 99/);
  });

  it('keeps the fingerprints of skipped files, and reads manifests saved before they were kept', () => {
    const local = new Memory();
    const team = new Memory();
    const manifest = { ...emptyManifest(), trained: true, skipped: { 'dist/app.min.js': [1700000000000, 90000] as [number, number] } };
    const saved = decodeSavedMemory(encodeSavedMemory({ manifest, local: local.encode(), team: team.encode() }));
    assert.deepEqual(saved.manifest.skipped, manifest.skipped);
    const { skipped: _dropped, ...older } = manifest;
    const old = decodeSavedMemory(encodeSavedMemory({ manifest: older as typeof manifest, local: local.encode(), team: team.encode() }));
    assert.deepEqual(old.manifest.skipped, {});
  });

  it('computes the standard CRC-32', () => {
    assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
  });
});
