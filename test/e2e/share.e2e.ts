// Issue 5 in real VS Code: two code-server windows with different workspaces share a session
// through a local signaling server, and each then completes a phrase that only the other's
// workspace contains, from its team memory (the other's text, shared as token streams).
import * as assert from 'node:assert/strict';
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startSignalingServer, type SignalingServer } from '../../src/share/signalingServer';
import { launchVSCode, makeWorkspace, removeDir, repoRoot, type VSCodeSession } from './harness/index';
import { waitUntil } from '../integration/share/harness';

// Each phrase occurs only in one workspace (several times, so its memory is sure of it).
const ALICE_PHRASE = { prefix: 'The zephyr quantum lattice', rest: 'harmonizes crimson beacons' };
const BOB_PHRASE = { prefix: 'Marigold vortex engines', rest: 'calibrate silent orchards' };

function workspaceWith(phrase: { prefix: string; rest: string }, label: string): string {
  const line = `${phrase.prefix} ${phrase.rest}.`;
  return makeWorkspace({ 'notes/phrase.md': [line, '', `Again: ${line}`, '', line, '', line, ''].join('\n'), 'notes/draft.md': '' }, label);
}

/** Processes of a session's server group whose command line mentions `script` (Linux /proc). */
function processesOf(session: VSCodeSession, script: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields after the command's closing parenthesis: state, ppid, pgrp.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (pgrp === session.server.processGroup && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(script)) pids.push(Number(entry));
    } catch {
      // The process ended meanwhile.
    }
  }
  return pids;
}

/** The extension's output channel as VS Code logged it. */
function outputLog(session: VSCodeSession): string {
  const root = join(session.server.userDataDir, 'logs');
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(join(dir, entry.name)) : entry.name.endsWith('Light Network.log') ? [join(dir, entry.name)] : []));
  return walk(root).map((file) => readFileSync(file, 'utf8')).join('\n');
}

describe('Share a session between two VS Code windows (issue 5)', function () {
  let signal: SignalingServer;
  let alice: VSCodeSession;
  let bob: VSCodeSession;
  const workspaces: string[] = [];

  /** Ghost text that continues the phrase (its first word at least; the sentence's period may follow). */
  const continues = (rest: string) => (ghost: string) => ghost.trim().length > 0 && `${rest}.`.startsWith(ghost.trim());

  /** Clicks a button of the modal dialog VS Code shows for showWarningMessage({ modal: true }). */
  async function confirmModal(session: VSCodeSession, button: string): Promise<string> {
    const dialog = session.workbench.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    const text = (await dialog.textContent()) ?? '';
    await dialog.locator('.monaco-button', { hasText: button }).first().click();
    return text;
  }

  before(async function () {
    signal = await startSignalingServer({ host: '127.0.0.1', port: 0 });
    const settings = (name: string, color: string) => ({
      'lightNetwork.share.signaling': [signal.url],
      'lightNetwork.share.userName': name,
      'lightNetwork.share.userColor': color,
    });
    workspaces.push(workspaceWith(ALICE_PHRASE, 'share-alice'), workspaceWith(BOB_PHRASE, 'share-bob'));
    alice = await launchVSCode({ workspace: workspaces[0], label: 'share-alice', settings: settings('alice', '#e0a030') });
    bob = await launchVSCode({ workspace: workspaces[1], label: 'share-bob', settings: settings('bob', '#40b0e0') });
    await alice.workbench.waitForStatus(/^Light Network ready.* from [1-9]\d* files/);
    await bob.workbench.waitForStatus(/^Light Network ready.* from [1-9]\d* files/);
  });

  // Any failed test keeps the screenshots and logs (a later test may pass and be the last one).
  let failed = false;
  afterEach(function () {
    if (this.currentTest?.state === 'failed') failed = true;
  });

  after(async function () {
    if (failed) {
      await alice?.workbench.screenshot('share-alice-failure').catch(() => {});
      await bob?.workbench.screenshot('share-bob-failure').catch(() => {});
      // The extension's output channel says what the session did (joins, syncs, rejections).
      alice?.saveLogs('share-alice');
      bob?.saveLogs('share-bob');
    }
    await Promise.all([alice?.stop(), bob?.stop()]);
    await signal?.close();
    for (const workspace of workspaces) removeDir(dirname(workspace));
  });

  it('shares, joins, and completes what only the other workspace knows', async function () {
    // Alice shares: she is told what will be shared before anything is.
    await alice.workbench.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await alice.workbench.runCommand('Light Network: Share Session');
    const question = await confirmModal(alice, 'Share My Memory');
    // Peers share text (token streams of the memory's chunks): the question says so, with how much.
    assert.match(question, /receive the text this workspace's memory learned: [1-9][\d,]* tokens \(words and symbols, in order\) in [1-9][\d,]* chunks of files, without file names/);
    await alice.workbench.waitForStatus(/^Light Network session waiting for collaborators/, 60_000);
    const code = await alice.workbench.page.evaluate(() => navigator.clipboard.readText());
    assert.match(code, /^lnet1\./, 'Share Session copies the invite code');

    // Bob joins with the code.
    await bob.workbench.runCommand('Light Network: Join Session');
    const input = bob.workbench.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(code);
    await bob.workbench.page.keyboard.press('Enter');
    await confirmModal(bob, 'Share My Memory');

    // Each sees the other in the status bar.
    await alice.workbench.waitForStatus(/^Light Network session with bob/, 90_000);
    await bob.workbench.waitForStatus(/^Light Network session with alice/, 90_000);

    // Alice completes Bob's phrase, and Bob completes Alice's.
    await alice.workbench.openFile('notes/draft.md');
    await alice.workbench.type(`${BOB_PHRASE.prefix} `);
    // Being in a session does not mean the other's counts have arrived yet: ask again until they have.
    const aliceGhost = await alice.workbench.waitForGhostTextAskingAgain(continues(BOB_PHRASE.rest));
    const shot = await alice.workbench.screenshot('share-alice-completes-bob');
    if (process.env.LIGHT_NETWORK_UPDATE_SCREENSHOTS === '1') copyFileSync(shot, join(repoRoot, 'media/screenshots/share.png'));
    await bob.workbench.openFile('notes/draft.md');
    await bob.workbench.type(`${ALICE_PHRASE.prefix} `);
    const bobGhost = await bob.workbench.waitForGhostTextAskingAgain(continues(ALICE_PHRASE.rest));
    assert.ok(`${BOB_PHRASE.rest}.`.startsWith(aliceGhost.trim()));
    assert.ok(`${ALICE_PHRASE.rest}.`.startsWith(bobGhost.trim()));
  });

  it("keeps the window and the session when Alice's WebRTC process crashes, and learns across the new links", async function () {
    // The native WebRTC module can crash the process that runs it (a send racing a close the other
    // end started): that process is the session's own, never the extension host.
    const [transport] = processesOf(alice, 'wrtcProcess.js');
    assert.ok(transport, "Alice's session runs WebRTC in a process of its own");
    process.kill(transport, 'SIGSEGV');
    await waitUntil(() => processesOf(alice, 'wrtcProcess.js').some((pid) => pid !== transport), 60_000, 'a new WebRTC process');
    await alice.workbench.waitForStatus(/^Light Network session with bob/, 90_000);

    // Something Bob writes now reaches Alice over the new links.
    const fresh = { prefix: 'Nebula copper gardens', rest: 'whisper tidal engines' };
    await bob.workbench.press('End');
    for (let i = 0; i < 3; i++) {
      await bob.workbench.press('Enter');
      await bob.workbench.type(`${fresh.prefix} ${fresh.rest}.`);
    }
    await alice.workbench.press('End');
    await alice.workbench.press('Enter');
    await alice.workbench.type(`${fresh.prefix} `);
    await alice.workbench.waitForGhostTextAskingAgain(continues(fresh.rest));
    assert.match(outputLog(alice), /Share: the WebRTC process was killed by SIGSEGV; links reconnect/);
  });

  it('leaves the session and keeps the team memory by default, also across a reload', async function () {
    await bob.workbench.runCommand('Light Network: Leave Session');
    await alice.workbench.waitForStatus(/^Light Network session waiting for collaborators/, 60_000);
    await waitUntil(() => processesOf(bob, 'wrtcProcess.js').length === 0, 30_000, "the end of Bob's WebRTC process");
    await bob.workbench.press('End');
    await bob.workbench.press('Enter');
    await bob.workbench.type(`${ALICE_PHRASE.prefix} `);
    await bob.workbench.waitForGhostText(continues(ALICE_PHRASE.rest), 60_000);

    // The memory file does not keep the team memory: after a reload, the team log the session saved
    // rebuilds it (in the background, its index built in the memory file worker).
    await bob.workbench.reload();
    await bob.workbench.waitForStatus(/^Light Network ready/, 60_000);
    await bob.workbench.openFile('notes/draft.md');
    await bob.workbench.press('Control+End');
    await bob.workbench.press('Enter');
    await bob.workbench.type(`${ALICE_PHRASE.prefix} `);
    await bob.workbench.waitForGhostTextAskingAgain(continues(ALICE_PHRASE.rest));
    assert.match(outputLog(bob), /Share: the team memory was rebuilt from the saved team log: [1-9]\d* tokens/);
  });
});

