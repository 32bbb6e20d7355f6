import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Memory } from '../../../src/memory/memory';
import { SnapshotCopier } from '../../../src/memory/snapshotCopy';
import { installLoaded, loadMemoryFile, packLoaded, saveMemoryFile } from '../../../src/workspace/memoryFileJobs';
import { unpackSnapshot } from '../../../src/workspace/snapshotTransfer';
import { decodeSavedMemory, emptyManifest } from '../../../src/workspace/savedMemory';

function copy(memory: Memory) {
  const copier = new SnapshotCopier(memory);
  while (!copier.step());
  return copier.result();
}

describe('workspace/memoryFileJobs', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'ln-jobs-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('saves copies of both memories and loads them back as transferable snapshots', async () => {
    const local = new Memory();
    local.setDocument('a.ts\u0000c0', 'const lantern = new Lantern();\nlantern.shine();\n');
    local.setDocument('b.md\u0000c0', 'The lantern shines on the harbour.');
    local.removeDocument('b.md\u0000c0'); // leaves dead n-grams for the worker to compact
    const team = new Memory();
    team.setDocument('peer', 'the tide turns twice');
    const file = path.join(dir, 'sub', 'memory.lnm');
    const manifest = { ...emptyManifest(), trained: true, files: { 'a.ts': [1, 2] as [number, number] } };
    const saved = await saveMemoryFile(file, manifest, copy(local), copy(team));
    assert.equal(saved.bytes, readFileSync(file).length);

    const outcome = await loadMemoryFile(file);
    assert.equal(outcome.kind, 'loaded');
    if (outcome.kind !== 'loaded') return;
    assert.deepEqual(outcome.saved.manifest.files, manifest.files);
    assert.ok(outcome.saved.local.store.rec.buffer instanceof SharedArrayBuffer, 'the large arrays are shared');
    const { packed, transfer } = packLoaded(outcome);
    const received = structuredClone(packed, { transfer });
    const moved = { local: unpackSnapshot(received.local), team: unpackSnapshot(received.team) };
    assert.deepEqual(moved.local.docs.map((d) => d.id), ['a.ts\u0000c0']);
    const loadedLocal = Memory.fromSnapshot(moved.local);
    assert.equal(loadedLocal.wordCount('lantern'), 2);
    assert.equal(loadedLocal.wordCount('harbour'), 0);
    assert.equal(Memory.fromSnapshot(moved.team).wordCount('tide'), 1);
    assert.deepEqual(loadedLocal.encode(), local.encode());
    // Installing in steps gives the same memories, a piece at a time.
    const steps = installLoaded(packLoaded((await loadMemoryFile(file)) as Extract<Awaited<ReturnType<typeof loadMemoryFile>>, { kind: 'loaded' }>).packed, 2);
    let yields = 0;
    let next = steps.next();
    for (; !next.done; next = steps.next()) yields++;
    assert.ok(yields > 3, String(yields));
    assert.deepEqual(next.value.local.encode(), local.encode());
    assert.deepEqual(next.value.team.encode(), team.encode());
    // The synchronous reader agrees with the worker's path.
    assert.deepEqual(decodeSavedMemory(readFileSync(file)).local.encode(), local.encode());
    // The new memory grows after a load (it has room of its own).
    loadedLocal.setDocument('c.ts\u0000c0', 'lantern.dim();');
    assert.equal(loadedLocal.wordCount('dim'), 1);
  });

  it('tells a missing, a corrupt and an unreadable file apart', async () => {
    assert.deepEqual(await loadMemoryFile(path.join(dir, 'none.lnm')), { kind: 'missing' });
    const bad = path.join(dir, 'bad.lnm');
    writeFileSync(bad, 'not a memory at all, just text that is long enough');
    const corrupt = await loadMemoryFile(bad);
    assert.equal(corrupt.kind, 'corrupt');
    const folder = path.join(dir, 'folder.lnm');
    mkdirSync(folder);
    const unreadable = await loadMemoryFile(folder);
    assert.equal(unreadable.kind, 'unreadable');
  });
});
