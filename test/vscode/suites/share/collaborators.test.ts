// Issue 10 in a real VS Code: the user sees which collaborator taught a team suggestion (the suggest
// list's detail, and what the light field's hover asks) and can forget one collaborator's text
// without leaving the session, and remember them again between sessions. Peers share text (token
// streams of their documents): the team memory is their documents, and attribution is which
// writer's documents hold an n-gram.
// This window joins a real session (signaling server, WebRTC) with two peers, each a Node process
// running the session code (the share integration tests' peer process; y-webrtc allows one room a
// process): Bob and Carol, each with a phrase of fresh random words. The session is driven through a
// ShareController over the extension's own services (the Join command asks a modal question, which
// a suite cannot answer); the forget and remember commands are the extension's own, run between
// sessions on the log that session saved. The memory file does not keep the team memory: the saved
// log rebuilds it at start (ShareController.restoreSavedTeam, what activation runs).
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { LightNetworkTestSeam } from '../../../../src/extension/api';
import { ShareController } from '../../../../src/extension/share/shareController';
import { loadShareRuntime } from '../../../../src/extension/share/shareRuntime';
import { createInvite, type Invite } from '../../../../src/share/invite';
import type { SignalingServer } from '../../../../src/share/signalingServer';
import { PeerProcess } from '../../../integration/share/harness';
import { extensionApi, waitFor } from '../extension/helpers';

const word = (): string => `zq${randomBytes(4).toString('hex')}`;

describe('share: collaborators taught the team memory (issue 10)', function () {
  this.timeout(120_000);
  let api: LightNetworkTestSeam;
  let server: SignalingServer;
  let controller: ShareController;
  const peers: PeerProcess[] = [];
  // Fresh words each run: neither the local memory nor an earlier run's team memory holds them.
  const [lead, next, bobWord, carolWord, bobLater] = [word(), word(), word(), word(), word()];
  // Writer names for the peer processes' persisted keys: fresh ones each run.
  const bob = { writerId: `w-bob-${word()}`, id: '' };
  const carol = { writerId: `w-carol-${word()}`, id: '' };

  /** A peer process in the session, publishing what `text` teaches (as an editor does on joining). */
  async function startPeer(invite: Invite, name: string, who: typeof bob, text: string): Promise<PeerProcess> {
    const peer = await PeerProcess.spawn(name, api.context.extensionPath);
    peers.push(peer);
    who.id = (await peer.call({ cmd: 'start', invite, writerId: who.writerId, name, order: 4 })).writer;
    await peer.call({ cmd: 'publishText', text });
    return peer;
  }

  /** The suggest list's items after `text` in a fresh untitled document. */
  async function suggestions(text: string): Promise<vscode.CompletionItem[]> {
    const document = await vscode.workspace.openTextDocument({ content: text, language: 'plaintext' });
    const position = document.positionAt(text.length);
    const result = await api.providers.suggest.provideCompletionItems(document, position, new vscode.CancellationTokenSource().token, {
      triggerKind: vscode.CompletionTriggerKind.Invoke,
      triggerCharacter: undefined,
    });
    return result instanceof vscode.CompletionList ? result.items : (result ?? []);
  }
  const heldAtUs = async () => (await controller.collaboratorChoices()).find((choice) => choice.writer === bob.id)?.held ?? 0;
  const detailOf = (items: vscode.CompletionItem[], label: string) => items.find((item) => item.label === label)?.detail;

  before(async () => {
    api = await extensionApi();
    const { startSignalingServer } = loadShareRuntime(api.context);
    server = await startSignalingServer({ host: '127.0.0.1', port: 0 });
    controller = new ShareController(api);
  });

  after(async () => {
    await Promise.all(peers.map((peer) => peer.close()));
    await controller?.leave(false).catch(() => undefined);
    await controller?.forgetTeam();
    controller?.dispose();
    await server?.close();
    await api.whenIdle();
  });

  it('names who taught a team suggestion, forgets one collaborator in the session, and holds their later batches', async () => {
    const invite = createInvite([server.url]);
    await controller.start(invite);
    const bobPeer = await startPeer(invite, 'Bob', bob, `${lead} ${next} ${bobWord} .\n`.repeat(3));
    const carolPeer = await startPeer(invite, 'Carol', carol, `${lead} ${next} ${carolWord} .\n`.repeat(2));
    await waitFor(() => api.team.count([lead, next, bobWord]) === 3 && api.team.count([lead, next, carolWord]) === 2, 60_000, "both peers' text");
    // Each writer's text is its own documents of the team memory (ids `writer/key`).
    assert.ok(api.team.documentsOf(bob.id).length > 0 && api.team.documentsOf(carol.id).length > 0);
    // Names arrive with presence: wait until both are known.
    let items: vscode.CompletionItem[] = [];
    const deadline = Date.now() + 30_000;
    do {
      items = await suggestions(`${lead} ${next} `);
      if (/from Bob$/.test(detailOf(items, bobWord) ?? '') && /from Carol$/.test(detailOf(items, carolWord) ?? '')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    } while (Date.now() < deadline);
    assert.match(detailOf(items, bobWord) ?? 'missing', /^Light Network · [\d.]+% · from Bob$/);
    assert.match(detailOf(items, carolWord) ?? 'missing', /^Light Network · [\d.]+% · from Carol$/);
    // A word both taught names both; what the light field's hover asks for a word is the same.
    assert.deepEqual(api.teamContributors([lead]).sort(), ['Bob', 'Carol']);
    assert.deepEqual(api.teamContributors([bobWord]), ['Bob']);

    const bobChoice = (await controller.collaboratorChoices()).find((choice) => choice.writer === bob.id);
    assert.equal(bobChoice?.label, 'Bob');
    assert.ok((bobChoice?.batches ?? 0) > 0);
    assert.equal(await controller.forgetCollaborator(bob.id), 'now');
    const heldBefore = await heldAtUs();
    assert.equal(heldBefore, bobChoice?.batches, 'his batches are held, not dropped');
    assert.equal(api.team.count([lead, next, bobWord]), 0, "Bob's text is gone");
    assert.deepEqual(api.team.documentsOf(bob.id), []);
    assert.equal(api.team.wordCount(bobWord), 0);
    assert.equal(api.team.count([lead, next, carolWord]), 2, "Carol's stay");
    assert.equal(api.team.count([lead, next]), 2, 'a shared n-gram keeps what Carol taught');
    assert.deepEqual(api.teamContributors([lead]), ['Carol']);
    items = await suggestions(`${lead} ${next} `);
    assert.equal(detailOf(items, bobWord), undefined, 'no longer suggested');
    assert.match(detailOf(items, carolWord) ?? 'missing', /from Carol$/);

    // Bob keeps writing (a new document of his): his new batch reaches us and is held, never counted.
    const bobBatches = async (peer: PeerProcess) => ((await peer.call({ cmd: 'stats' })).logBatches as string[]).filter((writer) => writer === bob.id).length;
    const before = await bobBatches(carolPeer);
    await bobPeer.call({ cmd: 'publish', documents: [{ id: 'later.md', text: `${bobLater} `.repeat(4) }] });
    const carolSaw = Date.now() + 30_000;
    while ((await bobBatches(carolPeer)) <= before && Date.now() < carolSaw) await new Promise((resolve) => setTimeout(resolve, 50));
    const until = Date.now() + 30_000;
    while ((await heldAtUs()) <= heldBefore && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok((await heldAtUs()) > heldBefore, "Bob's new batch arrived and is held");
    assert.equal(api.team.wordCount(bobLater), 0, 'and not counted');
    await controller.leave(true);
  });

  it("remembers and forgets a collaborator between sessions with the extension's commands, from the saved log", async () => {
    await vscode.commands.executeCommand('lightNetwork.rememberCollaborator', bob.id);
    assert.equal(api.team.count([lead, next, bobWord]), 3, "Bob's text is back");
    assert.equal(api.team.wordCount(bobLater), 4, 'with what he wrote while forgotten');
    assert.equal(api.team.count([lead, next, carolWord]), 2);
    assert.deepEqual(api.teamContributors([bobWord]), ['Bob']);
    await vscode.commands.executeCommand('lightNetwork.forgetCollaborator', bob.id);
    assert.equal(api.team.count([lead, next, bobWord]), 0);
    assert.equal(api.team.wordCount(bobLater), 0);
    assert.equal(api.team.count([lead, next, carolWord]), 2, "Carol's stay");
    assert.deepEqual(api.teamContributors([lead]), ['Carol']);
    // The next session refuses his batches from the start.
    const invite = createInvite([server.url]);
    await controller.start(invite);
    await startPeer(invite, 'Carol', carol, `${lead} ${next} ${carolWord} .\n`.repeat(2));
    // The saved log brings his batches back into the session's log: they are held, not counted.
    const until = Date.now() + 30_000;
    while ((await heldAtUs()) === 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok((await heldAtUs()) > 0, "Bob's batches are in the new session's log, held");
    await waitFor(() => api.team.count([lead, next, carolWord]) === 2, 60_000, "Carol's text in the new session");
    assert.equal(api.team.count([lead, next, bobWord]), 0, 'Bob stays forgotten');
    assert.equal(api.team.wordCount(bobLater), 0);
    await controller.leave(true);
  });

  it('rebuilds the team memory from the saved log at start, forgotten collaborators left out', async () => {
    // What a new window finds: a saved team log, and a team memory the memory file did not keep.
    api.clearTeam();
    assert.equal(api.team.count([lead, next, carolWord]), 0);
    await api.restart();
    await api.whenIdle();
    assert.equal(api.team.count([lead, next, carolWord]), 0, 'the memory file holds no team memory');
    await controller.restoreSavedTeam();
    assert.equal(api.team.count([lead, next, carolWord]), 2, "Carol's text is back from the saved log");
    assert.equal(api.team.count([lead, next, bobWord]), 0, 'Bob stays forgotten');
    assert.equal(api.team.wordCount(bobLater), 0);
    assert.deepEqual(api.teamContributors([lead]), ['Carol']);
    // A word forgotten since the log was saved stays forgotten in the rebuilt team memory.
    await api.forgetWord(carolWord);
    assert.equal(api.team.wordCount(carolWord), 0);
    api.clearTeam();
    await controller.restoreSavedTeam();
    assert.equal(api.team.count([lead, next]), 2, "Carol's text is back");
    assert.equal(api.team.wordCount(carolWord), 0, 'without the forgotten word');
  });
});
