import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadMemory } from '../../../src/cli/memoryFile';
import { IndexedMemoryBuilder } from '../../../src/memory/indexedMemory';
import { Memory } from '../../../src/memory/memory';
import { saveMemoryFile, sectionsOf } from '../../../src/persistence/memoryFileJobs';
import { emptyManifest, encodeSavedMemory } from '../../../src/persistence/savedMemory';

describe('cli/memoryFile', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'ln-cli-file-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("reads the extension's saved workspace memory (its local memory), of either version", async () => {
    const team = new Memory();
    team.setDocument('peer', 'only the team knows this');
    const builder = new IndexedMemoryBuilder();
    builder.addDocument('a.ts\u0000c0', 'const harbour = lightTheBeacon();');
    const current = path.join(dir, 'current.lnm');
    await saveMemoryFile(current, emptyManifest(), sectionsOf(builder.build()));
    const loaded = await loadMemory(current);
    assert.equal(loaded.wordCount('harbour'), 1);
    assert.equal(loaded.wordCount('team'), 0, 'the team memory is not the local one');

    const trie = new Memory();
    trie.setDocument('a.ts\u0000c0', 'const harbour = lightTheBeacon();');
    const previous = path.join(dir, 'previous.lnm');
    writeFileSync(previous, encodeSavedMemory({ manifest: emptyManifest(), local: trie.encode(), team: team.encode() }));
    const old = await loadMemory(previous);
    assert.equal(old.wordCount('lightTheBeacon'), 1);
    assert.equal(old.wordCount('team'), 0);

    const cut = path.join(dir, 'cut.lnm');
    writeFileSync(cut, Buffer.from(encodeSavedMemory({ manifest: emptyManifest(), local: trie.encode(), team: team.encode() })).subarray(0, 40));
    await assert.rejects(loadMemory(cut), /not a usable Light Network memory/);
  });
});
