// The light panel inside a real VS Code extension host: the command opens the panel and its webview
// reports drawn frames of the real memory; snapshots are truthful to the memory (words, counts,
// rays with the completion's own probabilities); the neuron-count setting is honoured.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LightNetworkTestSeam } from '../../../../src/extension/api';
import { FieldBuilder } from '../../../../src/extension/lightPanel/fieldBuilder';
import type { LightPanelDebugState } from '../../../../src/extension/lightPanel/lightPanel';
import { LIGHT_PANEL_STATE_COMMAND, SHOW_LIGHT_NETWORK_COMMAND } from '../../../../src/extension/lightPanel/register';
import { unpackField } from '../../../../src/lightfield/packing';
import { RecencyClock } from '../../../../src/lightfield/recency';
import { selectNeurons } from '../../../../src/lightfield/selection';
import { LIGHT_PANEL_VIEW_TYPE } from '../../../../src/protocol/lightMessages';
import { extensionApi } from '../extension/helpers';

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const lightTabs = () =>
  vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.includes(LIGHT_PANEL_VIEW_TYPE));

const panelState = () => vscode.commands.executeCommand<LightPanelDebugState>(LIGHT_PANEL_STATE_COMMAND);

describe('light panel', function () {
  this.timeout(120_000);
  let api: LightNetworkTestSeam;

  before(async () => {
    api = await extensionApi();
  });

  after(async () => {
    await vscode.workspace.getConfiguration().update('lightNetwork.lightField.neurons', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens from its command and its webview draws the memory', async () => {
    await vscode.commands.executeCommand(SHOW_LIGHT_NETWORK_COMMAND);
    await waitFor(async () => lightTabs().length === 1, 10_000, 'a Light Network webview tab');
    await waitFor(async () => ((await panelState()).lastRendered?.neurons ?? 0) > 0, 60_000, 'the webview to draw a field');
    const state = await panelState();
    assert.equal(state.open, true);
    assert.equal(state.webglUnavailable, undefined);
    const expected = selectNeurons(api.local, api.team.live, 10_000).length;
    assert.equal(state.lastRendered?.neurons, expected, 'every selected neuron reached the screen');
    // Running the command again reveals the same panel instead of opening another.
    await vscode.commands.executeCommand(SHOW_LIGHT_NETWORK_COMMAND);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(lightTabs().length, 1);
  });

  it('builds snapshots that are truthful to the memory', async () => {
    const builder = new FieldBuilder({ local: api.local, team: api.team.live, predictNext: (context, k) => api.predictNext(context, k) }, new RecencyClock());
    const built = await builder.build(60);
    assert.ok(built);
    const field = unpackField(built.bytes);
    const neurons = selectNeurons(api.local, api.team.live, 60);
    assert.deepEqual(field.words, neurons.map((x) => x.word));
    field.words.forEach((word, i) => assert.equal(field.count[i], api.local.wordCount(word) + api.team.wordCount(word), word));
    assert.ok(field.from.length > 0, 'a real memory has connections between its frequent words');
    assert.ok(field.from.length <= 2 * field.words.length);
    for (let r = 0; r < field.from.length; r++) {
      const from = field.words[field.from[r]];
      const to = field.words[field.to[r]];
      const prediction = api.predictNext([from], 8).find((p) => p.token === to);
      assert.ok(prediction, `ray ${from} -> ${to} is among the completion's predictions`);
      assert.equal(field.weight[r], Math.fround(Math.min(1, prediction.probability)));
    }
  });

  it('honours the neuron-count setting', async () => {
    const vocabulary = selectNeurons(api.local, api.team.live, 1_000_000).length;
    assert.ok(vocabulary > 100, `the test workspace should know more than 100 words (knows ${vocabulary})`);
    await vscode.workspace.getConfiguration().update('lightNetwork.lightField.neurons', 100, vscode.ConfigurationTarget.Global);
    await waitFor(async () => (await panelState()).lastRendered?.neurons === 100, 60_000, 'a field of 100 neurons');
  });
});
