// Keeping the memory current: edits, saves, and files created, changed, renamed or deleted on disk
// replace a file's contribution exactly — never counted twice, removed when the file goes.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LightNetworkTestSeam } from '../../../../src/extension/api';
import { assertSameCounts, documentIdsOf, expectedIdsOf, expectedMemory, extensionApi, fixtureUri, removeFixture, waitFor, workspaceRoot, writeFixture } from './helpers';

const fixture = 'ln-live-fixture';

function body(word: string, times: number, filler = 40): string {
  let text = '';
  for (let i = 0; i < filler; i++) text += `export const harbourValue${i} = computeTide(${i}, 'ebb');\n`;
  for (let i = 0; i < times; i++) text += `log(${word});\n`;
  return text;
}

describe('extension: live updates replace a file exactly', function () {
  this.timeout(120_000);
  let api: LightNetworkTestSeam;

  before(async () => {
    api = await extensionApi();
    await writeFixture(fixture, { 'a.ts': body('zebracorn', 3) });
    await waitFor(() => api.local.wordCount('zebracorn') === 3, 20_000, 'the created file to be learned');
    await api.whenIdle();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await removeFixture(fixture);
    await api.whenIdle();
  });

  it('learns a file created on disk', async () => {
    assert.equal(api.local.wordCount('zebracorn'), 3);
    assert.deepEqual(documentIdsOf(api, `${fixture}/a.ts`), await expectedIdsOf(`${fixture}/a.ts`));
  });

  it('replaces the contribution of a file changed on disk (a git checkout), never adding it twice', async () => {
    const before = api.local.stats();
    await fs.writeFile(path.join(workspaceRoot(), fixture, 'a.ts'), body('zebracorn', 5));
    await waitFor(() => api.local.wordCount('zebracorn') === 5, 20_000, 'the change on disk');
    await api.whenIdle();
    assert.equal(api.local.wordCount('zebracorn'), 5);
    assert.ok(api.local.stats().tokens > before.tokens);
    await fs.writeFile(path.join(workspaceRoot(), fixture, 'a.ts'), body('zebracorn', 3));
    await waitFor(() => api.local.wordCount('zebracorn') === 3, 20_000, 'the revert on disk');
    await api.whenIdle();
    assert.equal(api.local.wordCount('zebracorn'), 3);
    assert.deepEqual(documentIdsOf(api, `${fixture}/a.ts`), await expectedIdsOf(`${fixture}/a.ts`));
    // Exactly the sum of the files on disk: other suites may touch other files meanwhile, so compare
    // with a memory rebuilt from disk rather than with the statistics from before.
    assertSameCounts(api.local, await expectedMemory(api), (a, b, m) => assert.equal(a, b, m));
  });

  it('learns unsaved edits (debounced), then the saved file, counting it once', async () => {
    const uri = fixtureUri(`${fixture}/a.ts`);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(document.lineCount - 1, 0), 'log(zebracorn);\nlog(quasarwhelk);\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitFor(() => api.local.wordCount('quasarwhelk') === 1, 20_000, 'the edit to be learned');
    assert.equal(api.local.wordCount('zebracorn'), 4);
    await document.save();
    await api.whenIdle();
    await new Promise((resolve) => setTimeout(resolve, 600)); // let the watcher report the save
    await api.whenIdle();
    assert.equal(api.local.wordCount('zebracorn'), 4);
    assert.equal(api.local.wordCount('quasarwhelk'), 1);
    assert.deepEqual(documentIdsOf(api, `${fixture}/a.ts`), await expectedIdsOf(`${fixture}/a.ts`));
  });

  it('moves a renamed file without changing counts', async () => {
    const edit = new vscode.WorkspaceEdit();
    edit.renameFile(fixtureUri(`${fixture}/a.ts`), fixtureUri(`${fixture}/moved/b.ts`));
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitFor(() => api.learnedFiles().includes(`${fixture}/moved/b.ts`), 20_000, 'the rename');
    await new Promise((resolve) => setTimeout(resolve, 600));
    await api.whenIdle();
    assert.ok(!api.learnedFiles().includes(`${fixture}/a.ts`));
    assert.deepEqual(documentIdsOf(api, `${fixture}/moved/b.ts`), await expectedIdsOf(`${fixture}/moved/b.ts`));
    assertSameCounts(api.local, await expectedMemory(api), (a, b, m) => assert.equal(a, b, m));
  });

  it('removes a file deleted on disk, and its folder', async () => {
    await fs.writeFile(path.join(workspaceRoot(), fixture, 'moved', 'c.md'), 'The quasarwhelk sings at low tide.\n');
    await waitFor(() => api.local.wordCount('quasarwhelk') === 2, 20_000, 'the second file');
    await fs.rm(path.join(workspaceRoot(), fixture, 'moved', 'b.ts'));
    await waitFor(() => api.local.wordCount('zebracorn') === 0, 20_000, 'the deletion');
    assert.equal(api.local.wordCount('quasarwhelk'), 1);
    await fs.rm(path.join(workspaceRoot(), fixture, 'moved'), { recursive: true });
    await waitFor(() => api.local.wordCount('quasarwhelk') === 0, 20_000, 'the folder deletion');
    await api.whenIdle();
    assert.ok(!api.learnedFiles().some((f) => f.startsWith(`${fixture}/`)));
    assertSameCounts(api.local, await expectedMemory(api), (a, b, m) => assert.equal(a, b, m));
  });

  it('forgets a file on command and does not learn it again', async () => {
    await writeFixture(fixture, { 'forget-me.txt': 'The mooncalf ledger lists every mooncalf.\n' });
    await waitFor(() => api.local.wordCount('mooncalf') === 2, 20_000, 'the new file');
    assert.ok(await vscode.commands.executeCommand('lightNetwork.forgetFile', fixtureUri(`${fixture}/forget-me.txt`)));
    await api.whenIdle();
    assert.equal(api.local.wordCount('mooncalf'), 0);
    await fs.appendFile(path.join(workspaceRoot(), fixture, 'forget-me.txt'), 'Another mooncalf.\n');
    await new Promise((resolve) => setTimeout(resolve, 800));
    await api.whenIdle();
    assert.equal(api.local.wordCount('mooncalf'), 0);
  });

  it('learns regular files inside the workspace only: no link out of it, device or FIFO, on disk or in an editor', async function () {
    if (process.platform === 'win32') this.skip();
    const outside = await fs.mkdtemp(path.join(os.tmpdir(), 'ln-outside-'));
    try {
      await fs.writeFile(path.join(outside, 'notes.md'), 'The farwalrus keeps the farwalrus ledger.\n');
      const folder = path.join(workspaceRoot(), fixture, 'odd');
      await fs.mkdir(folder, { recursive: true });
      await fs.symlink(outside, path.join(folder, 'linked'));
      await fs.symlink(path.join(outside, 'notes.md'), path.join(folder, 'notes-link.md'));
      await fs.symlink('/dev/zero', path.join(folder, 'zero.txt'));
      execFileSync('mkfifo', [path.join(folder, 'pipe.txt')]);
      // Learned only if the changes above did not stall the pipeline (a FIFO once held a thread for good).
      await fs.writeFile(path.join(folder, 'after.md'), 'The nearotter swims.\n');
      await waitFor(() => api.local.wordCount('nearotter') === 1, 20_000, 'the ordinary file after the odd ones');
      await api.whenIdle();
      assert.equal(api.local.wordCount('farwalrus'), 0);
      // Editing the outside file through the linked folder does not teach it either.
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(folder, 'linked', 'notes.md')));
      const edit = new vscode.WorkspaceEdit();
      edit.insert(document.uri, new vscode.Position(0, 0), 'farwalrus ');
      assert.ok(await vscode.workspace.applyEdit(edit));
      await new Promise((resolve) => setTimeout(resolve, 800)); // past the edit debounce
      await api.whenIdle();
      assert.equal(api.local.wordCount('farwalrus'), 0);
      assert.ok(!api.learnedFiles().some((f) => f.includes('/odd/linked') || f.endsWith('zero.txt') || f.endsWith('pipe.txt') || f.endsWith('notes-link.md')));
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    } finally {
      await fs.rm(outside, { recursive: true, force: true });
    }
  });
});
