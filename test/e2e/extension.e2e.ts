// Issue 3 in a real VS Code: the extension learns the workspace, completes with ghost text that Tab
// accepts, never suggests a planted secret, keeps its memory across a window reload, and forgets a
// file deleted on disk. One code-server and one browser serve every test here, in order.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { copyWorkspace, launchVSCode, removeWorkspace, repoRoot, type VSCodeSession } from './harness/index';

// Phrases that occur in exactly one file of the fixture workspace, several times, so the memory
// is sure of their continuation.
const LANTERN = { prefix: 'The lantern keeper trims', rest: 'every wick before the midnight tide' };
const HERON = { prefix: 'The copper heron waits', rest: 'beside the silent mill' };
// Planted secrets and, beside each, an ordinary value in the same position: the ordinary value IS
// suggested (so the secret would be too, were it learned).
const SECRET_IN_CODE = 'sk_live_51HxQ8fakeR4nd0mS3cr3tK3yZ7pLw2';
const SECRET_IN_ENV = 'ghp_Zq7fakeT0kenAbCdEfGhIjKlMnOpQrStUv12';

const fixtureFiles: Record<string, string> = {
  'docs/lantern.md': [
    '# The lantern',
    '',
    `${LANTERN.prefix} ${LANTERN.rest}.`,
    '',
    `Every night ${LANTERN.prefix.toLowerCase()} ${LANTERN.rest}, then climbs down to the logbook.`,
    '',
    `When the storm came, ${LANTERN.prefix.toLowerCase()} ${LANTERN.rest} as always.`,
    '',
    `${LANTERN.prefix} ${LANTERN.rest}.`,
    '',
  ].join('\n'),
  'docs/heron.md': [
    '# The mill',
    '',
    `${HERON.prefix} ${HERON.rest}.`,
    '',
    `At dawn ${HERON.prefix.toLowerCase()} ${HERON.rest} again.`,
    '',
    `${HERON.prefix} ${HERON.rest}.`,
    '',
  ].join('\n'),
  'src/settings.ts': [
    '// Service settings.',
    `export const serviceName = "harbour-light-reporting";`,
    `export const serviceKey = "${SECRET_IN_CODE}";`,
    `export const serviceName2 = "harbour-light-reporting";`,
    `export const serviceKey2 = "${SECRET_IN_CODE}";`,
    '',
  ].join('\n'),
  '.env': `LANTERN_TOKEN=${SECRET_IN_ENV}\nLANTERN_TOKEN_BACKUP=${SECRET_IN_ENV}\n`,
};

describe('Light Network in VS Code (issue 3)', function () {
  let session: VSCodeSession;
  let workspace: string;
  let draftCount = 0;

  /** Opens a new file of the workspace (empty, or `content` with the cursor on a fresh last line). */
  async function openDraft(extension = 'md', content = ''): Promise<string> {
    const name = `drafts/draft-${++draftCount}.${extension}`;
    mkdirSync(join(workspace, 'drafts'), { recursive: true });
    writeFileSync(join(workspace, name), content);
    await session.workbench.openFile(name);
    if (content) await session.workbench.press('Control+End');
    return name;
  }

  /**
   * Types `text` and returns the ghost text once `accept` accepts it, asking again while none
   * does (the memory may still be taking in the draft just created when VS Code first asks).
   */
  async function typeAndExpectGhost(text: string, accept: (ghost: string) => boolean): Promise<string> {
    await session.workbench.type(text);
    return session.workbench.waitForGhostTextAskingAgain(accept, 20_000);
  }

  /**
   * Ghost text that continues `rest`: its first word at least (prose completions may stop there),
   * or all of it and more (the punctuation and words that follow it in the file).
   */
  const continues = (rest: string) => (ghost: string) => {
    const text = ghost.trim();
    return text.length > 0 && (rest.startsWith(text) || text.startsWith(rest));
  };

  /** Types `text` and returns whatever ghost text shows within a couple of seconds ('' for none). */
  async function typeAndReadGhost(text: string): Promise<string> {
    await session.workbench.type(text);
    await session.workbench.page.waitForTimeout(2_000); // a provider call takes well under 0.5 s
    return session.workbench.ghostText();
  }

  before(async function () {
    workspace = copyWorkspace(join(repoRoot, 'demo'), 'extension-e2e');
    for (const [path, content] of Object.entries(fixtureFiles)) {
      mkdirSync(dirname(join(workspace, path)), { recursive: true });
      writeFileSync(join(workspace, path), content);
    }
    session = await launchVSCode({ workspace, label: 'extension-e2e' });
    // First start: loads nothing, trains on the workspace, then shows ready with the files it learned.
    await session.workbench.waitForStatus(/^Light Network ready.* from [1-9]\d* files/);
    assert.ok(
      (await session.workbench.statusHistory('Light Network training')).length > 0,
      'the first start should have trained on the workspace',
    );
  });

  after(async function () {
    if (this.currentTest?.state === 'failed') {
      await session?.workbench.screenshot('extension-e2e-failure').catch(() => {});
      session?.saveLogs('extension-e2e');
    }
    await session?.stop();
    if (workspace) removeWorkspace(workspace);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      await session.workbench.screenshot(`extension-e2e-${this.currentTest.title.replace(/\W+/g, '-')}`).catch(() => {});
    }
  });

  it('shows the continuation of a phrase from another file as ghost text, and Tab inserts it', async function () {
    // Seen once in ~10 runs on a quiet machine: the first inline request after training showed nothing
    // and VS Code asked again only on the next keystroke. One retry, in a fresh draft; see the notes.
    this.retries(1);
    // Some context above the cursor, so the screenshot looks like work in progress.
    await openDraft('md', '# Night watch\n\nThe harbour was quiet and the fog stayed out at sea.\n\n');
    const ghost = await typeAndExpectGhost(`${LANTERN.prefix} `, continues(LANTERN.rest));
    const shot = await session.workbench.screenshot('ghost-text');
    if (process.env.LIGHT_NETWORK_UPDATE_SCREENSHOTS === '1') {
      mkdirSync(join(repoRoot, 'media/screenshots'), { recursive: true });
      copyFileSync(shot, join(repoRoot, 'media/screenshots/ghost-text.png'));
    }
    const line = await session.workbench.acceptGhostText(ghost);
    assert.equal(line.trimEnd(), `${LANTERN.prefix} ${ghost.trim()}`, 'Tab inserts the ghost text that was shown');
    assert.equal(await session.workbench.ghostText(), '', 'no ghost text is left after Tab');
  });

  it('never suggests a planted secret, from a .env file or from inside a code file', async function () {
    await openDraft('ts');
    // The control: the same kind of line with an ordinary value is completed from memory.
    await typeAndExpectGhost('export const serviceName = "', (ghost) => ghost.includes('harbour'));
    await session.workbench.press('Escape');
    await session.workbench.press('End');
    await session.workbench.press('Enter');
    const inCode = await typeAndReadGhost('export const serviceKey = "');
    assert.ok(!inCode.includes('sk_live'), `a secret from src/settings.ts was suggested: ${JSON.stringify(inCode)}`);
    await session.workbench.press('Escape');
    await session.workbench.press('End');
    await session.workbench.press('Enter');
    const fromEnv = await typeAndReadGhost('LANTERN_TOKEN=');
    assert.ok(!fromEnv.includes('ghp_'), `a secret from .env was suggested: ${JSON.stringify(fromEnv)}`);
    assert.ok(!(await session.workbench.editorText()).includes('ghp_'));
  });

  it('stops suggesting a file deleted on disk', async function () {
    await openDraft();
    await typeAndExpectGhost(`${HERON.prefix} `, continues(HERON.rest));
    rmSync(join(workspace, 'docs/heron.md'));
    // The file watcher reports the deletion; the memory drops that file's contribution.
    const deadline = Date.now() + 30_000;
    const suggestsHeron = continues(HERON.rest);
    let ghost = 'beside';
    while (suggestsHeron(ghost) && Date.now() < deadline) {
      await session.workbench.press('Escape');
      await session.workbench.press('Control+A');
      await session.workbench.press('Backspace');
      ghost = await typeAndReadGhost(`${HERON.prefix} `);
    }
    assert.ok(!suggestsHeron(ghost), `the deleted file's phrase is still suggested: ${JSON.stringify(ghost)}`);
  });

  it('keeps its memory across a window reload without training again', async function () {
    const { workbench } = session;
    // Nothing restored on screen may teach the memory after the reload, and nothing is read from
    // the workspace at start: whatever it then completes comes from the memory it saved.
    await workbench.runCommand('View: Close All Editors');
    const settingsFile = join(session.server.userDataDir, 'User/settings.json');
    const settings = JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(settingsFile, JSON.stringify({ ...settings, 'lightNetwork.training.onStartup': false }, null, 2));
    await workbench.page.waitForTimeout(1_500); // the last auto-save (1 s) is learned
    const before = await workbench.waitForStatus('Light Network ready');

    await workbench.reload();
    const after = await workbench.waitForStatus('Light Network ready');
    const history = await workbench.statusHistory('Light Network');
    assert.deepEqual(
      history.filter((label) => label.startsWith('Light Network training')),
      [],
      `the reloaded window trained (status history: ${JSON.stringify(history)})`,
    );
    assert.equal(after, before, 'the memory has the same size after the reload');
    await openDraft();
    await typeAndExpectGhost(`${LANTERN.prefix} `, continues(LANTERN.rest));
  });
});
