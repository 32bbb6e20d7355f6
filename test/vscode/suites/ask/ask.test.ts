// Ask the memory in a real VS Code (issue 11): the language-model tools are contributed and
// registered, and answer through vscode.lm.invokeTool from the live memory of the workspace; an edit
// moves or removes an occurrence and the answer follows; a secret never appears; a forgotten file
// never appears (even while open in an editor); bad input gets one clear sentence.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LightNetworkTestSeam } from '../../../../src/extension/api';
import { ASK_TOOLS } from '../../../../src/extension/ask/askIds';
import { WorkspaceText } from '../../../../src/extension/ask/workspaceText';
import { tokenize } from '../../../../src/memory/tokenizer';
import { chunkDocumentId } from '../../../../src/workspace/chunks';
import { prepareForLearning } from '../../../../src/workspace/learnable';
import { documentIdsOf, extensionApi, fixtureUri, removeFixture, waitFor, writeFixture } from '../extension/helpers';

const fixture = 'ln-ask-fixture';
const SECRET = 'ghp_R8fK2mQ9xZ4vL7pW1sT6yB3nH5jD0cA8eG2u';
const PHRASE = 'glimmerhorn(tidepool)';

function lines(n: number, mark: (i: number) => string | undefined): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(mark(i) ?? `export const harbour${i} = computeTide(${i}, 'ebb');`);
  return `${out.join('\n')}\n`;
}

const files = {
  'a.ts': lines(40, (i) => (i === 2 || i === 30 ? `  const wave${i} = ${PHRASE};` : undefined)),
  'b.ts': lines(20, (i) => (i === 5 ? `  return ${PHRASE};` : undefined)),
  'secret.ts': lines(10, (i) => (i === 3 ? `  const apiToken = "${SECRET}"; ${PHRASE};` : undefined)),
  // Files never to be read when asked: excluded by a setting, ignored by git, secret by name.
  'excluded/x.ts': lines(5, () => undefined),
  'ignored.ts': lines(5, () => undefined),
  '.gitignore': 'ignored.ts\n',
  '.env': `API_TOKEN=${SECRET}\n`,
};

async function invoke(name: string, input: object): Promise<string> {
  const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
  return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
}

/** The `file:line:column` places a find answer lists. */
function listed(answer: string): string[] {
  return [...answer.matchAll(/^(\S+?):(\d+):(\d+): /gm)].map((m) => `${m[1]}:${m[2]}:${m[3]}`);
}

/** Where the phrase is in a document's text now, as `key:line:column` (1-based). */
function placesIn(key: string, text: string, phrase = PHRASE): string[] {
  const out: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    for (let at = line.indexOf(phrase); at !== -1; at = line.indexOf(phrase, at + 1)) out.push(`${key}:${i + 1}:${at + 1}`);
  });
  return out;
}

/** Resolves once the memory holds exactly the chunks of the document's current text. */
async function learned(api: LightNetworkTestSeam, key: string, document: vscode.TextDocument): Promise<void> {
  const expected = () => prepareForLearning(document.getText()).chunks.map((c) => chunkDocumentId(key, c.id)).sort().join('|');
  await waitFor(() => documentIdsOf(api, key).join('|') === expected(), 20_000, `${key} to be learned as it is now`);
}

describe('ask: the memory as language-model tools and Ask the Memory', function () {
  this.timeout(120_000);
  let api: LightNetworkTestSeam;

  before(async () => {
    api = await extensionApi();
    await writeFixture(fixture, files);
    await waitFor(() => api.local.wordCount('glimmerhorn') === 4, 30_000, 'the fixture to be learned');
    await api.whenIdle();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await removeFixture(fixture);
    await api.whenIdle();
  });

  it('contributes and registers the three tools, which answer through vscode.lm.invokeTool', async () => {
    for (const name of Object.values(ASK_TOOLS)) {
      const tool = vscode.lm.tools.find((t) => t.name === name);
      assert.ok(tool, `${name} is listed in vscode.lm.tools`);
      assert.ok(tool.description.length > 40, 'it says what it does');
      assert.equal((tool.inputSchema as { type?: string }).type, 'object');
    }
    const found = await invoke(ASK_TOOLS.find, { phrase: PHRASE });
    assert.match(found, /occurs 4 times/);
    const expected = Object.entries(files).flatMap(([name, text]) => placesIn(`${fixture}/${name}`, text));
    assert.deepEqual(listed(found).sort(), expected.sort());
    assert.ok(expected.includes(`${fixture}/a.ts:3:17`) && expected.includes(`${fixture}/b.ts:6:10`));
    assert.match(found, new RegExp(`${fixture}/b.ts:6:10: +return glimmerhorn\\(tidepool\\);`));
    const completed = await invoke(ASK_TOOLS.complete, { text: 'const wave = glimmerhorn(' });
    assert.match(completed, /Ghost text: "tidepool/);
    const around = await invoke(ASK_TOOLS.neighbors, { word: 'glimmerhorn', limit: 3 });
    assert.match(around, /follow it most often:\n1\. "\("  4/);
    assert.match(around, /precede it most often:\n1\. "="  2/);
  });

  it('answers follow an edit: an occurrence moves with lines added above it, and goes when removed', async () => {
    const key = `${fixture}/a.ts`;
    const document = await vscode.workspace.openTextDocument(fixtureUri(key));
    await vscode.window.showTextDocument(document);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(0, 0), '// moved\n// down\n// three lines\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    // Even before the memory has learned the edit, no place listed is stale.
    for (const place of listed(await invoke(ASK_TOOLS.find, { phrase: PHRASE })).filter((p) => p.startsWith(key))) {
      assert.ok(placesIn(key, document.getText()).includes(place), `${place} holds the phrase now`);
    }
    await learned(api, key, document);
    const moved = listed(await invoke(ASK_TOOLS.find, { phrase: PHRASE })).filter((p) => p.startsWith(key));
    assert.deepEqual(moved, placesIn(key, document.getText()));
    assert.deepEqual(moved, [`${key}:6:17`, `${key}:34:18`]);

    const line = document.lineAt(5);
    const removal = new vscode.WorkspaceEdit();
    removal.replace(document.uri, line.range, '  const wave2 = nothingHere;');
    assert.ok(await vscode.workspace.applyEdit(removal));
    for (const place of listed(await invoke(ASK_TOOLS.find, { phrase: PHRASE })).filter((p) => p.startsWith(key))) {
      assert.ok(placesIn(key, document.getText()).includes(place), `${place} holds the phrase now`);
    }
    await learned(api, key, document);
    const after = await invoke(ASK_TOOLS.find, { phrase: PHRASE });
    assert.match(after, /occurs 3 times/);
    assert.deepEqual(listed(after).filter((p) => p.startsWith(key)), [`${key}:34:18`]);
  });

  it('never shows a secret: not found, not completed, blanked in the lines shown', async () => {
    const found = await invoke(ASK_TOOLS.find, { phrase: PHRASE, limit: 100 });
    const line = found.split('\n').find((l) => l.startsWith(`${fixture}/secret.ts:4:`));
    assert.ok(line, 'the line of secret.ts is listed');
    assert.ok(!line.includes(SECRET) && !line.includes('R8fK2mQ9'), 'with its secret blanked');
    assert.match(await invoke(ASK_TOOLS.find, { phrase: SECRET }), /does not occur/);
    assert.ok(!(await invoke(ASK_TOOLS.complete, { text: 'const apiToken = "' })).includes('R8fK2mQ9'));
    assert.ok(!(await invoke(ASK_TOOLS.neighbors, { word: 'apiToken' })).includes('R8fK2mQ9'));
  });

  it('never shows a forgotten file, even while it is open in an editor', async () => {
    const key = `${fixture}/b.ts`;
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(fixtureUri(key)));
    assert.ok(listed(await invoke(ASK_TOOLS.find, { phrase: PHRASE })).some((p) => p.startsWith(key)));
    await vscode.commands.executeCommand('lightNetwork.forgetFile', fixtureUri(key));
    await api.whenIdle();
    const found = await invoke(ASK_TOOLS.find, { phrase: PHRASE, limit: 100 });
    assert.ok(!found.includes(key), found);
    assert.match(found, /occurs 2 times/);
    assert.ok(!(await invoke(ASK_TOOLS.find, { phrase: 'return glimmerhorn' })).includes(key));
  });

  it("reads files as learning would: the editor's text, blanked; never excluded, ignored, secret or forgotten files", async () => {
    const key = `${fixture}/secret.ts`;
    const text = new WorkspaceText({ files: new Set([`${fixture}/b.ts`]), words: new Set(['harbour5']) });
    const read = async (k: string) => (await text.read(k))?.text;
    const current = await read(key);
    assert.ok(current !== undefined && current.includes('harbour4') && !/\bharbour5\b/.test(current), 'forgotten words are blanked');
    assert.ok(!current.includes(SECRET), 'secrets are blanked');
    assert.equal(current.split('\n').length, files['secret.ts'].split('\n').length, 'lines are kept');
    // The same text is prepared once (a phrase typed letter by letter asks again and again).
    assert.equal(await text.read(key), await text.read(key));
    // An unsaved edit is read from the editor.
    const document = await vscode.workspace.openTextDocument(fixtureUri(key));
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(0, 0), '// seen in the editor\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok((await read(key))?.startsWith('// seen in the editor\n'));
    // Forgetting a word prepares the text again, with the word blanked.
    assert.match((await read(key)) ?? '', /\bharbour4\b/);
    const forgetting = new WorkspaceText({ files: new Set(), words: new Set(['harbour4']) });
    assert.doesNotMatch((await forgetting.read(key))?.text ?? 'missing harbour4', /\bharbour4\b/);
    assert.equal(await read(`${fixture}/b.ts`), undefined, 'a forgotten file');
    assert.equal(await read(`${fixture}/ignored.ts`), undefined, 'a file .gitignore leaves out');
    assert.equal(await read(`${fixture}/.env`), undefined, 'a secret file');
    assert.equal(await read(`${fixture}/../outside.ts`), undefined, 'a key that leads out');
    assert.ok(await read(`${fixture}/excluded/x.ts`), 'read while not excluded');
    const config = vscode.workspace.getConfiguration('lightNetwork');
    const exclude = config.get<string[]>('exclude') ?? [];
    await config.update('exclude', [...exclude, `${fixture}/excluded/**`], vscode.ConfigurationTarget.Workspace);
    try {
      assert.equal(await read(`${fixture}/excluded/x.ts`), undefined, 'an excluded file');
    } finally {
      await config.update('exclude', undefined, vscode.ConfigurationTarget.Workspace);
      await api.whenIdle();
    }
  });

  it("answers complete and neighbors from the team's text too, marked apart, and never find", async () => {
    // What a collaborator shares: the tokens of a chunk of its text (a team document `writer/key`), no file.
    const text = 'const tide = glimmerhorn(coralreef);\n'.repeat(3);
    api.team.setDocument(`w-peer/${'0'.repeat(32)}`, tokenize(text));
    await api.team.whenIdle();
    try {
      const around = await invoke(ASK_TOOLS.neighbors, { word: 'glimmerhorn' });
      assert.match(around, /"\("  \d+ local, 3 team/);
      const completed = await invoke(ASK_TOOLS.complete, { text: 'const tide = glimmerhorn(', limit: 5 });
      assert.match(completed, /"coralreef[^\n]*local never seen; team seen 3×/);
      assert.match(await invoke(ASK_TOOLS.find, { phrase: 'glimmerhorn(coralreef)' }), /does not occur/);
    } finally {
      api.clearTeam();
    }
  });

  it('refuses bad input with one clear sentence, and keeps answering', async () => {
    await assert.rejects(invoke(ASK_TOOLS.find, { phrase: '   ' }), /no words or symbols/);
    await assert.rejects(invoke(ASK_TOOLS.find, { phrase: 'x'.repeat(5000) }), /at most 2000/);
    await assert.rejects(invoke(ASK_TOOLS.neighbors, { word: 'two words' }), /one word/);
    await assert.rejects(invoke(ASK_TOOLS.complete, { text: 'a', limit: 0 }), /limit/);
    await assert.rejects(invoke(ASK_TOOLS.find, { phrase: 42 }), /string/);
    assert.match(await invoke(ASK_TOOLS.find, { phrase: PHRASE }), /occurs/);
  });
});
