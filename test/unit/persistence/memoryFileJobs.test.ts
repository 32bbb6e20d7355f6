import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Memory } from '../../../src/memory/memory';
import { IndexedMemoryBuilder } from '../../../src/memory/indexedMemory';
import { memoryFromSections } from '../../../src/memory/indexedCodec';
import { LiveMemory } from '../../../src/memory/liveMemory';
import { installLoaded, loadMemoryFile, packLoaded, packRebuildSnapshot, RebuildSession, saveMemoryFile, sectionsOf } from '../../../src/persistence/memoryFileJobs';
import { emptyManifest, encodeSavedHead, encodeSavedMemory, readSavedHead } from '../../../src/persistence/savedMemory';

function indexed(docs: Record<string, string>) {
  const builder = new IndexedMemoryBuilder();
  for (const [id, text] of Object.entries(docs)) builder.addDocument(id, text);
  return builder.build();
}

type Loaded = Extract<Awaited<ReturnType<typeof loadMemoryFile>>, { kind: 'loaded' }>;

describe('persistence/memoryFileJobs', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'ln-jobs-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('saves the local index (and an empty team section), and loads it back across threads', async () => {
    const local = indexed({ 'a.ts\u0000c0': 'const lantern = new Lantern();\nlantern.shine();\n', 'b.md\u0000c0': 'The lantern shines on the harbour.' });
    const file = path.join(dir, 'sub', 'memory.lnm');
    const manifest = { ...emptyManifest(), trained: true, files: { 'a.ts': [1, 2] as [number, number] } };
    const saved = await saveMemoryFile(file, manifest, sectionsOf(local));
    assert.equal(saved.bytes, readFileSync(file).length);

    const outcome = await loadMemoryFile(file);
    assert.equal(outcome.kind, 'loaded');
    const loaded = outcome as Loaded;
    assert.deepEqual(loaded.manifest.files, manifest.files);
    assert.equal(loaded.converted, false);
    assert.ok(loaded.local.every((s) => s.buffer instanceof SharedArrayBuffer), 'the index is on shared memory');
    const { packed, transfer } = packLoaded(loaded);
    const received = structuredClone(packed, { transfer });
    const steps = installLoaded(received);
    let next = steps.next();
    while (!next.done) next = steps.next();
    const installed = next.value;
    assert.deepEqual({ ...installed.local.memory.stats(), bytes: 0 }, { ...local.stats(), bytes: 0 });
    assert.equal(installed.local.memory.wordCount('lantern'), 3);
    // The team memory is collaborators' text, rebuilt from the saved team log: the file's team section is empty.
    const bytes = readFileSync(file);
    const head = await readSavedHead(readerOf(bytes), bytes.length);
    assert.ok(head.version === 2 && head.teamLength === new Memory().encode().length);
    // Saved again from the installed sections, the file is the same.
    const again = path.join(dir, 'again.lnm');
    await saveMemoryFile(again, manifest, installed.localSections);
    assert.deepEqual(readFileSync(again), readFileSync(file));
  });

  it("does not read the team trie a file written before text sharing holds", async () => {
    const file = path.join(dir, 'memory.lnm');
    const manifest = { ...emptyManifest(), trained: true };
    await saveMemoryFile(file, manifest, sectionsOf(indexed({ 'a.ts\u0000c0': 'let beam = 1;' })));
    const bytes = readFileSync(file);
    const head = await readSavedHead(readerOf(bytes), bytes.length);
    if (head.version !== 2) return assert.fail(`version ${head.version}`);
    const team = new Memory();
    team.setDocument('peer', 'the tide turns twice');
    const old = path.join(dir, 'old.lnm');
    writeFileSync(old, Buffer.concat([encodeSavedHead(manifest, team.encode().length), team.encode(), bytes.subarray(head.localAt)]));
    const outcome = (await loadMemoryFile(old)) as Loaded;
    assert.equal(outcome.kind, 'loaded');
    assert.equal(memoryFromSections(outcome.local, true).wordCount('beam'), 1);
    assert.equal(memoryFromSections(outcome.local, true).wordCount('tide'), 0);
    assert.equal('team' in outcome, false);
  });

  it('converts a memory saved by the previous version (a trie) exactly', async () => {
    const trie = new Memory();
    trie.setDocument('a.ts\u0000c0', 'function glow(x) { return x * 2; }\nglow(3);\n');
    trie.setDocument('b.ts\u0000c0', 'glow(4);');
    trie.forgetWord('x');
    const team = new Memory();
    team.setDocument('peer', 'glow glow');
    const file = path.join(dir, 'old.lnm');
    writeFileSync(file, encodeSavedMemory({ manifest: { ...emptyManifest(), trained: true }, local: trie.encode(), team: team.encode() }));
    const outcome = (await loadMemoryFile(file)) as Loaded;
    assert.equal(outcome.kind, 'loaded');
    assert.equal(outcome.converted, true);
    const local = memoryFromSections(outcome.local, true);
    assert.deepEqual({ ...local.stats(), bytes: 0 }, { ...trie.stats(), bytes: 0 });
    assert.equal(local.count(['glow', '(']), 3);
    assert.equal(local.wordCount('x'), 0);
  });

  it('rebuilds a live memory from its snapshot and a training\'s documents, as a direct build', () => {
    const live = new LiveMemory(indexed({ 'old.ts\u0000c0': 'let beam = 1;', 'gone.ts\u0000c0': 'let dark = 0;' }));
    live.setDocument('edited.ts\u0000c0', 'beam = beam + 1;');
    const snapshot = live.beginRebuild();
    const session = new RebuildSession(structuredClone(packRebuildSnapshot(snapshot)));
    session.add([{ id: 'new.ts\u0000c0', text: 'const ray = beam * 2;' }], ['gone.ts\u0000c0']);
    const { sections, tokens } = session.finish();
    live.finishRebuild(memoryFromSections(sections, true));
    const direct = indexed({ 'old.ts\u0000c0': 'let beam = 1;', 'edited.ts\u0000c0': 'beam = beam + 1;', 'new.ts\u0000c0': 'const ray = beam * 2;' });
    assert.equal(tokens, direct.tokenTotal);
    assert.deepEqual({ ...live.stats(), bytes: 0 }, { ...direct.stats(), bytes: 0 });
    assert.deepEqual(live.documentIds().sort(), direct.documentIds().sort());
  });

  it('tells a missing, a corrupt, a truncated and an unreadable file apart', async () => {
    assert.deepEqual(await loadMemoryFile(path.join(dir, 'none.lnm')), { kind: 'missing' });
    const bad = path.join(dir, 'bad.lnm');
    writeFileSync(bad, 'not a memory at all, just text that is long enough');
    assert.equal((await loadMemoryFile(bad)).kind, 'corrupt');
    const good = path.join(dir, 'good.lnm');
    await saveMemoryFile(good, emptyManifest(), sectionsOf(indexed({ a: 'one two three four' })));
    const bytes = readFileSync(good);
    for (const cut of [10, 40, bytes.length - 3]) {
      writeFileSync(bad, bytes.subarray(0, cut));
      assert.equal((await loadMemoryFile(bad)).kind, 'corrupt', `cut at ${cut}`);
    }
    // The team section is not read (see memoryFileJobs.ts): a flip is looked for in the head and the index.
    const head = await readSavedHead(readerOf(bytes), bytes.length);
    assert.equal(head.version, 2);
    const localAt = head.version === 2 ? head.localAt : 0;
    for (const at of [20, Math.floor((localAt + bytes.length) / 2), bytes.length - 20]) {
      const flipped = Buffer.from(bytes);
      flipped[at] ^= 0x5a;
      writeFileSync(bad, flipped);
      assert.equal((await loadMemoryFile(bad)).kind, 'corrupt', `flipped at ${at}`);
    }
    const folder = path.join(dir, 'folder.lnm');
    mkdirSync(folder);
    assert.equal((await loadMemoryFile(folder)).kind, 'unreadable');
  });
});

function readerOf(bytes: Uint8Array) {
  return async (into: Uint8Array, at: number) => {
    const n = Math.max(0, Math.min(into.length, bytes.length - at));
    into.set(bytes.subarray(at, at + n));
    return n;
  };
}
