// Training on a fixture inside the real workspace: what is learned and what never is.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LightNetworkTestSeam } from '../../../../src/extension/api';
import { assertSameCounts, documentIdsOf, expectedIdsOf, expectedMemory, extensionApi, removeFixture, waitFor, writeFixture } from './helpers';

const SECRET = 'Xy7pQ2rT9sLm4NvB8cKdW3zq';
const AWS_KEY = 'AKIAQWERTYUIOPASDFGH';

describe('extension: training on the workspace', function () {
  this.timeout(120_000);
  let api: LightNetworkTestSeam;
  const fixture = 'ln-train-fixture';

  before(async () => {
    api = await extensionApi();
    await writeFixture(fixture, {
      'src/harbour.ts':
        'export function lightTheHarbourBeacon(keeper: Keeper) {\n  keeper.climbTheSpiralStairs();\n  keeper.trimTheWickCarefully();\n}\n' +
        `const apiKey = "${SECRET}";\nconst region = 'north';\n`,
      'docs/guide.md': '# Guide\n\nThe keeper climbs the spiral stairs every evening before the lamp is lit.\nMoonwardly the keeper rests.\n',
      '.env': `AWS_ACCESS_KEY_ID=${AWS_KEY}\nDATABASE_PASSWORD=moonlitQuay77\n`,
      'keys/deploy.pem': '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n',
      'node_modules/dep/index.js': 'module.exports = function vendoredGlimmerword() {};\n',
      '.gitignore': 'generated-output/\n',
      'generated-output/report.txt': 'ignoredQuillword appears only here\n',
      'lib/app.min.js': `${'var a=1;'.repeat(400)}\n`,
      'assets/logo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 1, 2, 3]),
    });
    const report = await api.train('full');
    assert.equal(report.cancelled, false);
    await api.whenIdle();
  });

  after(async () => {
    await removeFixture(fixture);
    await api.train('incremental');
    await api.whenIdle();
  });

  it('learns the text files and shows ready', () => {
    const files = api.learnedFiles();
    assert.ok(files.includes(`${fixture}/src/harbour.ts`), files.join(', '));
    assert.ok(files.includes(`${fixture}/docs/guide.md`));
    assert.equal(api.status().phase, 'ready');
    assert.ok(api.local.wordCount('lightTheHarbourBeacon') >= 1);
  });

  it('skips secrets files, ignored, vendored, minified and binary files', () => {
    const files = api.learnedFiles().filter((f) => f.startsWith(`${fixture}/`));
    for (const skipped of ['.env', 'keys/deploy.pem', 'node_modules/dep/index.js', 'generated-output/report.txt', 'lib/app.min.js', 'assets/logo.png']) {
      assert.ok(!files.includes(`${fixture}/${skipped}`), `${skipped} was learned`);
    }
    assert.equal(api.local.wordCount('vendoredGlimmerword'), 0);
    assert.equal(api.local.wordCount('ignoredQuillword'), 0);
  });

  it('never learns secrets found inside ordinary files', () => {
    assert.equal(api.local.wordCount(SECRET), 0);
    assert.equal(api.local.wordCount(AWS_KEY), 0);
    assert.equal(api.local.wordCount('moonlitQuay77'), 0);
    assert.ok(api.status().lastTraining!.secretsRedacted >= 1);
    const completion = api.complete('const apiKey = "', { alternatives: 5 });
    for (const c of completion.alternatives) assert.ok(!c.text.includes(SECRET.slice(0, 8)), c.text);
  });

  it('stores each file exactly as its chunks, and the memory is the sum of the learned files', async () => {
    const key = `${fixture}/src/harbour.ts`;
    assert.deepEqual(documentIdsOf(api, key), await expectedIdsOf(key));
    assertSameCounts(api.local, await expectedMemory(api), (a, b, m) => assert.equal(a, b, m));
  });

  it('completes a phrase learned from another file', () => {
    const result = api.complete('function go(keeper) {\n  keeper.climbThe');
    assert.ok(result.best, 'no completion');
    assert.ok(result.best.text.startsWith('SpiralStairs'), JSON.stringify(result.best));
  });

  it('offers ranked next words in the suggest list', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'typescript', content: 'keeper.trimThe' });
    const position = new vscode.Position(0, 'keeper.trimThe'.length);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, position);
    const ours = list.items.filter((i) => String(i.detail ?? '').startsWith('Light Network'));
    const labels = ours.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('trimTheWickCarefully'), labels.join(', '));
  });

  it('turns ghost text off for a language by setting, and back on', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: 'The keeper climbs the spiral' });
    const position = new vscode.Position(0, document.lineAt(0).text.length);
    const ask = async () => {
      const token = new vscode.CancellationTokenSource().token;
      const context: vscode.InlineCompletionContext = { triggerKind: vscode.InlineCompletionTriggerKind.Automatic, selectedCompletionInfo: undefined };
      const result = await api.providers.inline.provideInlineCompletionItems(document, position, context, token);
      return Array.isArray(result) ? result : (result?.items ?? []);
    };
    const before = await ask();
    assert.ok(before.length > 0, 'ghost text expected in markdown by default');
    assert.equal(String(before[0].insertText).trim().split(/\s+/)[0], 'stairs');
    const config = vscode.workspace.getConfiguration('lightNetwork', { languageId: 'markdown' });
    await config.update('completions.inline', false, vscode.ConfigurationTarget.Global, true);
    try {
      assert.equal((await ask()).length, 0, 'ghost text must be off for markdown');
      const ts = await vscode.workspace.openTextDocument({ language: 'typescript', content: 'The keeper climbs the spiral' });
      const items = await api.providers.inline.provideInlineCompletionItems(ts, position, { triggerKind: 1, selectedCompletionInfo: undefined }, new vscode.CancellationTokenSource().token);
      assert.ok((Array.isArray(items) ? items : (items?.items ?? [])).length > 0, 'other languages keep ghost text');
    } finally {
      await config.update('completions.inline', undefined, vscode.ConfigurationTarget.Global, true);
    }
    assert.ok((await ask()).length > 0);
  });

  it('drops files newly excluded by lightNetwork.exclude, and learns them again when the setting is undone', async () => {
    const key = `${fixture}/docs/guide.md`;
    const config = vscode.workspace.getConfiguration('lightNetwork');
    const defaults = config.get<string[]>('exclude', []);
    await config.update('exclude', [...defaults, `${fixture}/docs/**`], vscode.ConfigurationTarget.Workspace);
    try {
      await waitFor(() => !api.learnedFiles().includes(key), 30_000, 'the excluded file to leave the memory');
      await api.whenIdle();
      assert.equal(api.local.wordCount('Moonwardly'), 0);
    } finally {
      await config.update('exclude', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitFor(() => api.learnedFiles().includes(key), 30_000, 'the file to be learned again');
    await api.whenIdle();
    assert.equal(api.local.wordCount('Moonwardly'), 1);
  });

  it('extends the item the suggest list has selected, as VS Code requires while the list is open', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'typescript', content: 'The keeper climbs the spi' });
    const position = new vscode.Position(0, 25);
    const selectedCompletionInfo = { range: new vscode.Range(0, 22, 0, 25), text: 'spiral' };
    const context: vscode.InlineCompletionContext = { triggerKind: vscode.InlineCompletionTriggerKind.Automatic, selectedCompletionInfo };
    const result = await api.providers.inline.provideInlineCompletionItems(document, position, context, new vscode.CancellationTokenSource().token);
    const items = Array.isArray(result) ? result : (result?.items ?? []);
    assert.ok(items.length > 0, 'ghost text continues the selected item');
    const first = items[0];
    assert.ok(String(first.insertText).startsWith('spiral'), String(first.insertText));
    assert.equal(String(first.insertText).slice('spiral'.length).trim().split(/\s+/)[0], 'stairs');
    assert.ok(first.range?.isEqual(selectedCompletionInfo.range));
  });

  it('honours cancellation of a completion request', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'plaintext', content: 'The keeper climbs the spiral' });
    const source = new vscode.CancellationTokenSource();
    source.cancel();
    const result = await api.providers.inline.provideInlineCompletionItems(document, new vscode.Position(0, 28), { triggerKind: 1, selectedCompletionInfo: undefined }, source.token);
    assert.equal(result, undefined);
  });

  it('pauses and resumes suggestions by command', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'plaintext', content: 'The keeper climbs the spiral' });
    const ask = () => api.providers.inline.provideInlineCompletionItems(document, new vscode.Position(0, 28), { triggerKind: 1, selectedCompletionInfo: undefined }, new vscode.CancellationTokenSource().token);
    await vscode.commands.executeCommand('lightNetwork.pauseSuggestions');
    try {
      assert.equal(api.status().paused, true);
      assert.equal(await ask(), undefined);
    } finally {
      await vscode.commands.executeCommand('lightNetwork.resumeSuggestions');
    }
    assert.equal(api.status().paused, false);
    assert.ok(await ask());
  });
});
