// The memory budget: above it the files changed most recently are learned and the others left
// out, which Show Memory Statistics says; the budget lifted, they are learned again.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LightNetworkTestSeam } from '../../../../src/extension/api';
import { extensionApi, removeFixture, workspaceRoot, writeFixture } from './helpers';

describe('extension: memory budget', function () {
  this.timeout(120_000);
  let api: LightNetworkTestSeam;
  const fixture = 'ln-budget-fixture';
  const config = () => vscode.workspace.getConfiguration('lightNetwork');

  before(async () => {
    api = await extensionApi();
    await writeFixture(fixture, {
      'old.md': 'The archivist shelved the weatherglass ledger long ago.\n',
      'recent.md': 'Fresh notes on the brightwater lens.\n',
    });
    // The old file was last changed a year ago; the recent one just now.
    const yearAgo = new Date(Date.now() - 365 * 24 * 3600 * 1000);
    await fs.utimes(path.join(workspaceRoot(), fixture, 'old.md'), yearAgo, yearAgo);
    await api.train('incremental');
    await api.whenIdle();
    assert.equal(api.local.wordCount('weatherglass'), 1);
  });

  after(async () => {
    await config().update('memory.budgetMB', undefined, vscode.ConfigurationTarget.Workspace);
    await removeFixture(fixture);
    await api.train('incremental');
    await api.whenIdle();
  });

  it('keeps the files changed most recently, says so, and learns the rest again when the budget is lifted', async () => {
    // Files whose editor text is learned are kept first: other suites may have left some open, so
    // they are reverted and closed here (the disk speaks for them again), and the budget holds the
    // file just written, not a year-old one.
    for (const document of vscode.workspace.textDocuments.filter((d) => d.isDirty && d.uri.scheme === 'file')) {
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await api.whenIdle();
    // Documents still open (closing an editor does not always close its document) may still be
    // kept first: the budget has room for them too, by their size on disk as the budget counts.
    let keptFirst = 0;
    for (const document of vscode.workspace.textDocuments) {
      if (document.uri.scheme !== 'file' || !document.uri.fsPath.startsWith(workspaceRoot())) continue;
      keptFirst += (await fs.stat(document.uri.fsPath).catch(() => ({ size: 0 }))).size;
    }
    const recentBytes = (await fs.stat(path.join(workspaceRoot(), fixture, 'recent.md'))).size;
    // Setting the budget writes the workspace's settings file, which is then newer than the fixture
    // (and learned): room for it too, as it will be with the budget in it (a margin covers that).
    const settings = path.join(workspaceRoot(), '.vscode', 'settings.json');
    const settingsBytes = (await fs.stat(settings).catch(() => ({ size: 0 }))).size + 64;
    const tokens = (keptFirst + recentBytes + settingsBytes) / 4 + 16; // the budget's estimate: 4 bytes of text per token
    await config().update('memory.budgetMB', (tokens * 12) / (1024 * 1024), vscode.ConfigurationTarget.Workspace);
    await api.whenIdle(); // a training under way planned with the old budget
    const report = await api.train('incremental');
    await api.whenIdle();
    assert.equal(report.cancelled, false);
    assert.ok(report.filesOverBudget > 0, 'files are left out');
    assert.equal(api.local.wordCount('brightwater'), 1, 'the most recent file is kept');
    assert.equal(api.local.wordCount('weatherglass'), 0, `a year-old file is left out: ${JSON.stringify(report)} ${api.learnedFiles().join(',')}`);
    assert.ok(!api.learnedFiles().includes(`${fixture}/old.md`));
    const statistics = await vscode.workspace.openTextDocument(vscode.Uri.parse('light-network:/Light Network Statistics.md'));
    assert.match(statistics.getText(), /Memory budget reached/);

    await config().update('memory.budgetMB', undefined, vscode.ConfigurationTarget.Workspace);
    await api.whenIdle();
    const lifted = await api.train('incremental');
    await api.whenIdle();
    assert.equal(lifted.filesOverBudget, 0);
    assert.equal(api.local.wordCount('weatherglass'), 1, 'learned again');
  });
});
