// The events features build on: net deltas of the local memory (the share session publishes them,
// the light field follows them) and typing events (the light field ignites the typed word).
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LightNetworkTestSeam } from '../../../../src/extension/api';
import type { TypingEvent } from '../../../../src/extension/services';
import type { NgramDelta } from '../../../../src/memory/types';
import { extensionApi, fixtureUri, removeFixture, waitFor, workspaceRoot, writeFixture } from './helpers';

const fixture = 'ln-events-fixture';

describe('extension: events for features', function () {
  this.timeout(60_000);
  let api: LightNetworkTestSeam;

  before(async () => {
    api = await extensionApi();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await removeFixture(fixture);
    await api.whenIdle();
  });

  it('reports each net change of the local memory as deltas that add up to its counts', async () => {
    const entries: NgramDelta[] = [];
    const subscription = api.onDidChangeLocal((batch) => entries.push(...batch.entries));
    try {
      await writeFixture(fixture, { 'tides.md': 'The glasswing tide rose.\nThe glasswing tide fell.\n' });
      await waitFor(() => api.local.wordCount('glasswing') === 2, 20_000, 'the new file');
      await fs.writeFile(path.join(workspaceRoot(), fixture, 'tides.md'), 'The glasswing tide rose.\n');
      await waitFor(() => api.local.wordCount('glasswing') === 1, 20_000, 'the change');
      await api.whenIdle();
    } finally {
      subscription.dispose();
    }
    const sum = (ngram: string[]) => entries.filter((e) => e.ngram.join('\u0001') === ngram.join('\u0001')).reduce((a, e) => a + e.delta, 0);
    assert.equal(sum(['glasswing']), 1);
    assert.equal(sum(['glasswing', 'tide']), api.local.count(['glasswing', 'tide']));
    assert.equal(sum(['fell']), 0);
  });

  it('tells what is typed: the word at the cursor and the predictions after it', async () => {
    await writeFixture(fixture, { 'keeper.md': 'The keeper climbs the spiral stairs.\nThe keeper climbs the spiral stairs again.\n', 'draft.md': '' });
    await waitFor(() => api.local.wordCount('spiral') === 2, 20_000, 'the file');
    const events: TypingEvent[] = [];
    const subscription = api.onDidType((event) => events.push(event));
    try {
      const editor = await vscode.window.showTextDocument(fixtureUri(`${fixture}/draft.md`));
      for (const piece of ['The keeper climbs the', ' spiral']) {
        await editor.edit((edit) => edit.insert(editor.document.lineAt(editor.document.lineCount - 1).range.end, piece));
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      await waitFor(() => events.some((e) => e.word === 'spiral'), 10_000, 'a typing event for "spiral"');
    } finally {
      subscription.dispose();
    }
    const last = events.filter((e) => e.word === 'spiral').pop()!;
    assert.deepEqual(last.context.slice(-3), ['keeper', 'climbs', 'the']);
    assert.ok(last.predictions.length > 0 && last.predictions[0].token === 'spiral', JSON.stringify(last.predictions.slice(0, 3)));
  });
});
