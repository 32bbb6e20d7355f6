// The saved memory: reloaded instead of retraining, a corrupt file gives a warning and a retrain
// (never a crash), and cancelling training leaves every file wholly learned or not at all.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import type { LightNetworkTestSeam } from '../../../../src/extension/api';
import { Memory } from '../../../../src/memory/memory';
import { encodeSavedHead, encodeSavedMemory, readSavedHead, SAVED_MEMORY_VERSION } from '../../../../src/persistence/savedMemory';
import { assertSameCounts, documentIdsOf, expectedIdsOf, expectedMemory, extensionApi, fixtureUri, removeFixture, waitFor, writeFixture } from './helpers';

const fixture = 'ln-persist-fixture';

function manyFiles(count: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let f = 0; f < count; f++) {
    let text = '';
    for (let line = 0; line < 120; line++) text += `export function beacon${f}_${line}(tide: number) { return tide * ${line} + ${f}; }\n`;
    files[`many/file${String(f).padStart(3, '0')}.ts`] = text;
  }
  return files;
}

describe('extension: persistence and cancellation', function () {
  this.timeout(180_000);
  let api: LightNetworkTestSeam;

  before(async () => {
    api = await extensionApi();
  });

  after(async () => {
    await removeFixture(fixture);
    await api.train('incremental');
    await api.whenIdle();
  });

  it('saves the memory and reloads it at start instead of retraining', async () => {
    await writeFixture(fixture, { 'saved.md': 'The lanternfish archive survives every reload.\n' });
    await waitFor(() => api.local.wordCount('lanternfish') === 1, 20_000, 'the file to be learned');
    await api.whenIdle();
    const before = api.local.stats();
    const saved = await fs.stat(api.storageFile);
    assert.ok(saved.size > 0);
    await api.restart();
    await api.whenIdle();
    assert.equal(api.status().loadError, undefined);
    assert.ok(api.status().loadMs !== undefined);
    assert.equal(api.status().lastTraining?.mode, 'incremental');
    assert.equal(api.status().lastTraining?.filesLearned, 0, 'nothing should be retrained');
    assert.ok((api.status().lastTraining?.filesSkipped ?? 0) > 0, 'the fixture holds files that are skipped');
    assert.equal(api.status().lastTraining?.filesRead, 0, 'unchanged files, learned or skipped, are not read again');
    const after = api.local.stats();
    for (const field of ['documents', 'tokens', 'vocabulary', 'ngrams', 'order'] as const) assert.equal(after[field], before[field], field);
    assert.deepEqual(after.ngramsByOrder, before.ngramsByOrder);
    assert.equal(api.local.wordCount('lanternfish'), 1);
  });

  it('converts a memory saved by the previous version (a trie), with no error and nothing retrained', async () => {
    await api.whenIdle();
    const current = await fs.readFile(api.storageFile);
    const head = await readSavedHead((into, at) => {
      const n = Math.max(0, Math.min(into.length, current.length - at));
      into.set(current.subarray(at, at + n));
      return n;
    }, current.length);
    assert.equal(head.version, SAVED_MEMORY_VERSION);
    if (head.version !== SAVED_MEMORY_VERSION) return;
    const expected = await expectedMemory(api);
    await fs.writeFile(api.storageFile, encodeSavedMemory({ manifest: head.manifest, local: expected.encode(), team: new Memory().encode() }));
    await api.restart();
    await api.whenIdle();
    assert.equal(api.status().loadError, undefined);
    assert.equal(api.status().lastTraining?.filesLearned, 0, 'nothing should be retrained');
    assertSameCounts(api.local, expected, (a, b, m) => assert.equal(a, b, m));
    const rewritten = await fs.readFile(api.storageFile);
    assert.equal(rewritten.readUInt32LE(4), SAVED_MEMORY_VERSION, 'saved again in the new format');
  });

  it("does not keep the team memory in the file: an older file's team trie is not read, and an empty team section is written", async () => {
    await api.whenIdle();
    const current = await fs.readFile(api.storageFile);
    const readAt = (bytes: Uint8Array) => (into: Uint8Array, at: number) => {
      const n = Math.max(0, Math.min(into.length, bytes.length - at));
      into.set(bytes.subarray(at, at + n));
      return n;
    };
    const head = await readSavedHead(readAt(current), current.length);
    if (head.version !== SAVED_MEMORY_VERSION) return assert.fail(`version ${head.version}`);
    const emptyTeam = new Memory().encode();
    assert.equal(head.teamLength, emptyTeam.length, 'the team section is empty');
    // A file from before text sharing: a team trie of peers' counts between the manifest and the index.
    const oldTeam = new Memory({ order: api.local.order });
    oldTeam.setDocument('peer', 'the marrowquill counted by an older version\n'.repeat(3));
    const team = oldTeam.encode();
    await fs.writeFile(api.storageFile, Buffer.concat([encodeSavedHead(head.manifest, team.length), team, current.subarray(head.localAt)]));
    const teamTokens = api.team.stats().tokens;
    await api.restart();
    await api.whenIdle();
    assert.equal(api.status().loadError, undefined);
    assert.equal(api.status().lastTraining?.filesLearned, 0, 'nothing should be retrained');
    assert.equal(api.team.wordCount('marrowquill'), 0, "the old file's team trie is not read");
    assert.equal(api.team.stats().tokens, teamTokens, 'a load leaves the team memory as it was');
    // The next save writes the team section empty again.
    const written = fixtureUri(`${fixture}/team-section.md`).fsPath;
    await fs.mkdir(written.slice(0, written.lastIndexOf('/')), { recursive: true });
    await fs.writeFile(written, 'The saltfinch rewrites the memory file.\n');
    await waitFor(() => api.local.wordCount('saltfinch') === 1, 20_000, 'the file to be learned');
    await api.whenIdle();
    const rewritten = await fs.readFile(api.storageFile);
    const again = await readSavedHead(readAt(rewritten), rewritten.length);
    assert.ok(again.version === SAVED_MEMORY_VERSION && again.teamLength === emptyTeam.length, 'written with an empty team section');
  });

  it('keeps the memory and the previous file when a save fails, and saves once it can', async () => {
    await api.whenIdle();
    const previous = await fs.readFile(api.storageFile);
    // A folder where the file goes: writing the new file and renaming it over fails (even as root).
    await fs.rm(api.storageFile);
    await fs.mkdir(api.storageFile);
    await fs.writeFile(`${api.storageFile}/occupied`, 'x');
    try {
      await fs.writeFile(fixtureUri(`${fixture}/failed-save.md`).fsPath, 'The quillmoth outlives a failed save.\n');
      await waitFor(() => api.local.wordCount('quillmoth') === 1, 20_000, 'the file to be learned');
      await assert.rejects(api.whenIdle(), /./, 'the save fails with its reason');
      assert.equal(api.local.wordCount('quillmoth'), 1, 'the memory is intact');
      const folder = api.storageFile.slice(0, api.storageFile.lastIndexOf('/'));
      assert.deepEqual((await fs.readdir(folder)).filter((f) => f.endsWith('.tmp')), [], 'nothing half-written is kept');
    } finally {
      await fs.rm(api.storageFile, { recursive: true, force: true });
    }
    assert.ok(previous.length > 0);
    await api.whenIdle(); // saves now
    await api.restart();
    await api.whenIdle();
    assert.equal(api.status().loadError, undefined);
    assert.equal(api.local.wordCount('quillmoth'), 1);
  });

  it('warns and retrains when the saved memory is corrupt, keeping the bad file aside', async () => {
    await api.whenIdle();
    const bytes = await fs.readFile(api.storageFile);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    bytes[bytes.length - 10] ^= 0x55;
    await fs.writeFile(api.storageFile, bytes);
    await api.restart();
    assert.ok(api.status().loadError, 'the corrupt file must be reported');
    await api.whenIdle();
    assert.equal(api.status().lastTraining?.mode, 'full');
    assert.equal(api.local.wordCount('lanternfish'), 1);
    const folder = api.storageFile.slice(0, api.storageFile.lastIndexOf('/'));
    const aside = (await fs.readdir(folder)).filter((f) => f.includes('.corrupt-'));
    assert.ok(aside.length >= 1, 'the unreadable file is kept aside');
    assertSameCounts(api.local, await expectedMemory(api), (a, b, m) => assert.equal(a, b, m));
    // And the memory written after retraining reads back.
    await api.restart();
    await api.whenIdle();
    assert.equal(api.status().loadError, undefined);
  });

  it('leaves a consistent memory when training is cancelled', async () => {
    await writeFixture(fixture, manyFiles(150));
    // The file watcher reports new files a moment later: wait until it has learned all of them, or
    // its events would land after the reset of the next test and refill the memory.
    const learnedFixture = () => api.learnedFiles().filter((f) => f.startsWith(`${fixture}/`)).length;
    await waitFor(() => learnedFixture() >= 150, 60_000, 'the watcher to learn the 150 new files');
    await api.whenIdle(); // a full retrain then re-reads them all
    const training = api.train('full');
    await waitFor(() => (api.status().training?.done ?? 0) >= 5, 60_000, 'training to make progress');
    api.cancelTraining();
    const report = await training;
    assert.equal(report.cancelled, true);
    await api.whenIdle();
    for (const key of api.learnedFiles().filter((f) => f.startsWith(`${fixture}/`))) {
      assert.deepEqual(documentIdsOf(api, key), await expectedIdsOf(key), `${key} is half learned`);
    }
    assertSameCounts(api.local, await expectedMemory(api), (a, b, m) => assert.equal(a, b, m));
  });

  it('cancelling a first training leaves only whole files', async () => {
    await vscodeReset(api);
    const training = api.train('full');
    await waitFor(() => (api.status().training?.done ?? 0) >= 3, 60_000, 'training to make progress');
    api.cancelTraining();
    await training;
    await api.whenIdle();
    const learned = api.learnedFiles();
    assert.ok(learned.length > 0);
    for (const key of learned) assert.deepEqual(documentIdsOf(api, key), await expectedIdsOf(key), `${key} is half learned`);
    assertSameCounts(api.local, await expectedMemory(api), (a, b, m) => assert.equal(a, b, m));
    const full = await api.train('full');
    assert.equal(full.cancelled, false);
    await api.whenIdle();
    assertSameCounts(api.local, await expectedMemory(api), (a, b, m) => assert.equal(a, b, m));
  });
});

async function vscodeReset(api: LightNetworkTestSeam): Promise<void> {
  assert.ok(await vscode.commands.executeCommand('lightNetwork.resetMemory', { confirmed: true }));
  await api.whenIdle();
  assert.equal(api.local.stats().tokens, 0);
  assert.equal(api.learnedFiles().length, 0);
}
