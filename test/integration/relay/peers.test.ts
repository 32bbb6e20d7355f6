// Many peers through one relay, in one process each with its own session stack (the real
// ShareSession, team layer, team memory, Hocuspocus provider and server over loopback): convergence
// on exactly the text each published (counts of its n-grams in the team memory), a relay restart under live peers, and what the relay refuses (no token, hostile
// members). Bounds are asserted in entries and counts, never in time.
import { strict as assert } from 'node:assert';
import { HocuspocusProvider, type HocuspocusProviderConfiguration } from '@hocuspocus/provider';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { tokenize } from '../../../src/memory';
import { relayRoom, RELAY_LOG, seal } from '../../../src/relay/relayProtocol';
import { startRelayServer, type RelayServer, type RelayServerOptions } from '../../../src/relay/relayServer';
import { LOG_NAME } from '../../../src/share/deltaLog';
import { createInvite, type Invite } from '../../../src/share/invite';
import { ShareSession } from '../../../src/share/session';
import { TeamMemory } from '../../../src/share/teamMemory';
import { newWriterKey } from '../../../src/share/writerKey';
import { freePort, sleep, waitUntil } from '../share/harness';
import { tempDir } from './processes';

interface TestPeer {
  name: string;
  session: ShareSession;
  /** The team memory: what the others published. */
  memory: TeamMemory;
  problems: string[];
}

function startPeer(invite: Invite, name: string, relayCompactAfterEntries?: number): TestPeer {
  const memory = new TeamMemory();
  const session = new ShareSession({
    invite,
    writerKey: newWriterKey(),
    user: { name, color: '#3080c0' },
    team: memory,
    publishDelayMs: 5,
    relayCompactAfterEntries,
  });
  const peer = { name, session, memory, problems: [] as string[] };
  session.on('rejected', (r) => peer.problems.push(r.reason));
  session.start();
  return peer;
}

/** Publishes a local document: `text`, `times` lines of it (so each of its n-grams counts `times` more in the others' team memories). */
function publish(peer: TestPeer, id: string, text: string, times = 1): void {
  peer.session.publishDocuments([{ id, tokens: tokenize(Array(times).fill(text).join('\n')) }]);
}

/** A raw Hocuspocus client on the relay document, as anyone could write one. */
function rawClient(url: string, name: string, token: string) {
  const doc = new Y.Doc();
  const events = { authenticated: 0, refused: [] as string[], closed: 0 };
  const provider = new HocuspocusProvider({
    url,
    name,
    document: doc,
    token,
    WebSocketPolyfill: WebSocket,
    delay: 200,
    minDelay: 200,
    maxDelay: 1000,
    onAuthenticated: () => void events.authenticated++,
    onAuthenticationFailed: ({ reason }: { reason: string }) => void events.refused.push(reason),
    onClose: () => void events.closed++,
  } as unknown as HocuspocusProviderConfiguration);
  return { doc, provider, events, log: doc.getArray<Uint8Array>(RELAY_LOG) };
}

describe('relay: many peers, restarts, refusals', function () {
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const relayOn = async (options: Partial<RelayServerOptions> = {}): Promise<RelayServer & { lines: string[] }> => {
    const lines: string[] = [];
    const relay = await startRelayServer({ host: '127.0.0.1', port: 0, storeDelayMs: 100, log: (line) => lines.push(line), ...options });
    cleanups.push(() => relay.close());
    return Object.assign(relay, { lines });
  };
  const peerOn = (invite: Invite, name: string, relayCompactAfterEntries?: number): TestPeer => {
    const peer = startPeer(invite, name, relayCompactAfterEntries);
    cleanups.push(() => peer.session.close());
    return peer;
  };

  it('50 peers converge with nothing lost or held twice, and see each other', async function () {
    const relay = await relayOn();
    const invite = createInvite([], relay.url);
    const peers = Array.from({ length: 50 }, (_, i) => peerOn(invite, `peer${String(i).padStart(2, '0')}`));
    // Each round, each peer a new document: 'shared word' once and its own word i + 1 times.
    let round = 0;
    const publishRound = () => {
      round++;
      peers.forEach((peer, i) => publish(peer, `round${round}.md`, ['shared word', ...Array(i + 1).fill(`own${i}`)].join(' ')));
    };
    const converged = (rounds: number) => async () => {
      for (const [i, peer] of peers.entries()) {
        await peer.session.whenTeamIdle();
        if (peer.memory.count(['shared', 'word']) !== 49 * rounds) return false;
        for (let j = 0; j < peers.length; j++) if (j !== i && peer.memory.count([`own${j}`]) !== (j + 1) * rounds) return false;
      }
      return true;
    };
    publishRound();
    await waitUntil(converged(1), 90_000, 'every peer holds the other 49 contributions exactly');
    publishRound();
    await waitUntil(converged(2), 90_000, 'a second round adds exactly once more');
    for (const peer of peers) assert.equal(peer.memory.count([`own${peers.indexOf(peer)}`]), 0, 'a peer never holds its own documents as team memory');
    await waitUntil(() => peers.every((peer) => peer.session.peers().length === 49), 30_000, 'presence: everyone sees the 49 others');
    assert.deepEqual(peers[0].session.peers().map((p) => p.name).slice(0, 2), ['peer01', 'peer02']);
    assert.deepEqual(relay.stats(), { rooms: 1, connections: 50 });
    assert.deepEqual(peers.flatMap((peer) => peer.problems), []);
  });

  it('peers outlive a relay restart: they keep their memories while it is down, then catch up exactly', async function () {
    const data = tempDir('ln-relay-live-');
    const port = await freePort();
    let relay = await startRelayServer({ host: '127.0.0.1', port, dataDir: data, storeDelayMs: 100 });
    const invite = createInvite([], relay.url);
    const [a, b, c] = ['a', 'b', 'c'].map((name) => peerOn(invite, name));
    publish(a, 'before.md', 'before restart', 2);
    await waitUntil(async () => (await b.session.whenTeamIdle(), b.memory.count(['before', 'restart']) === 2), 30_000, 'b has a');
    await relay.close();
    await waitUntil(() => !a.session.signaling()[0].connected, 10_000, 'a notices the relay is gone');
    // While it is down: local memories keep answering, and new counts wait.
    publish(a, 'during.md', 'during restart', 3);
    publish(c, 'before.md', 'before restart', 5);
    await sleep(300);
    assert.equal(b.memory.count(['before', 'restart']), 2);
    relay = await startRelayServer({ host: '127.0.0.1', port, dataDir: data, storeDelayMs: 100 });
    cleanups.push(() => relay.close());
    for (const peer of [a, b, c]) {
      await waitUntil(async () => (await peer.session.whenTeamIdle(), peer.session.signaling()[0].connected), 30_000, `${peer.name} reconnects`);
    }
    const expected = { a: [5, 0], b: [7, 3], c: [2, 3] } as const;
    for (const peer of [a, b, c]) {
      const [before, during] = expected[peer.name as keyof typeof expected];
      await waitUntil(
        async () => (await peer.session.whenTeamIdle(), peer.memory.count(['before', 'restart']) === before && peer.memory.count(['during', 'restart']) === during),
        30_000,
        `${peer.name} holds exactly the others' counts`,
      );
    }
    const late = peerOn(invite, 'late');
    await waitUntil(async () => (await late.session.whenTeamIdle(), late.memory.count(['before', 'restart']) === 7 && late.memory.count(['during', 'restart']) === 3), 30_000, 'a late joiner gets it all once');
    await sleep(500);
    await late.session.whenTeamIdle();
    assert.equal(late.memory.count(['before', 'restart']), 7);
    assert.deepEqual([a, b, c, late].flatMap((peer) => peer.problems), []);
  });

  it('keeps the relay log short: members compact it, and joiners after still get exact counts', async function () {
    const relay = await relayOn();
    const invite = createInvite([], relay.url);
    const [a, b] = ['a', 'b'].map((name) => peerOn(invite, name, 30));
    const room = relayRoom(invite.room, invite.password);
    // 120 publishes, each its own entry (waiting for the one before to reach b).
    for (let i = 1; i <= 120; i++) {
      publish(a, `typed${i}.md`, `busy typist ${Array(i).fill(`word${i}`).join(' ')}`);
      await waitUntil(async () => (await b.session.whenTeamIdle(), b.memory.count(['busy', 'typist']) === i), 10_000, `b has publish ${i}`);
    }
    const observer = rawClient(relay.url, room.documentName, room.token);
    cleanups.push(() => observer.provider.destroy());
    await waitUntil(() => observer.log.length > 0 && observer.log.length <= 30 + 10, 30_000, 'the relay log was compacted');
    const late = peerOn(invite, 'late');
    await waitUntil(async () => (await late.session.whenTeamIdle(), late.memory.count(['busy', 'typist']) === 120), 30_000, 'a late joiner gets every count');
    for (const i of [1, 60, 120]) assert.equal(late.memory.count([`word${i}`]), i);
    assert.equal(b.memory.count(['busy', 'typist']), 120);
    assert.deepEqual([a, b, late].flatMap((peer) => peer.problems), []);
  });

  it('puts back what a member deletes from the relay, once or so, and later joiners still get everything', async function () {
    const relay = await relayOn();
    const invite = createInvite([], relay.url);
    const peers = ['a', 'b', 'c'].map((name) => peerOn(invite, name));
    peers.forEach((peer, i) => publish(peer, 'kept.md', `kept by${i}`, i + 1));
    await waitUntil(async () => {
      for (const peer of peers) await peer.session.whenTeamIdle();
      return peers.every((peer, i) => peers.every((_other, j) => i === j || peer.memory.count(['kept', `by${j}`]) === j + 1));
    }, 30_000, 'all three converge');
    const room = relayRoom(invite.room, invite.password);
    const vandal = rawClient(relay.url, room.documentName, room.token);
    cleanups.push(() => vandal.provider.destroy());
    await waitUntil(() => vandal.log.length >= 3, 10_000, 'the vandal has the room');
    vandal.doc.transact(() => vandal.log.delete(0, vandal.log.length));
    // The three honest members put their logs back; not each every time (a random wait first).
    await waitUntil(() => vandal.log.length > 0, 30_000, 'something is put back');
    await sleep(3000);
    assert.ok(vandal.log.length <= 3, `${vandal.log.length} entries put back`);
    const late = peerOn(invite, 'late');
    await waitUntil(async () => (await late.session.whenTeamIdle(), [0, 1, 2].every((j) => late.memory.count(['kept', `by${j}`]) === j + 1)), 30_000, 'a late joiner gets every count once');
  });

  it('refuses a client without the invite token, and one that never authenticates', async function () {
    const relay = await relayOn();
    const invite = createInvite([], relay.url);
    const member = peerOn(invite, 'member');
    publish(member, 'private.md', 'private words');
    const room = relayRoom(invite.room, invite.password);
    await waitUntil(() => relay.stats().connections === 1, 10_000, 'the member is connected');
    // Knows the room's relay name (it is no secret to the relay's operator), not the token.
    const outsider = rawClient(relay.url, room.documentName, 'guessed-token');
    cleanups.push(() => outsider.provider.destroy());
    await waitUntil(() => outsider.events.refused.length > 0, 10_000, 'the outsider is refused');
    assert.equal(outsider.events.authenticated, 0);
    await sleep(300);
    assert.equal(outsider.log.length, 0, 'the outsider received no entry');
    // A socket that only talks without authenticating is cut off after a few messages.
    const talker = new WebSocket(relay.url);
    await new Promise((resolve) => talker.once('open', resolve));
    const closed = new Promise((resolve) => talker.once('close', resolve));
    for (let i = 0; i < 100 && talker.readyState === WebSocket.OPEN; i++) talker.send(Buffer.concat([Buffer.from([room.documentName.length]), Buffer.from(room.documentName), Buffer.from([0, 0, 1, 0])]));
    await closed;
    assert.equal(relay.stats().connections, 1);
  });

  it('holds a hostile member to the caps: foreign writes, junk and floods are refused, honest peers unchanged', async function () {
    const relay = await relayOn({ limits: { maxRoomEntries: 40, itemsPerSecond: 1, maxItemsPerMessage: 100 } });
    const invite = createInvite([], relay.url);
    const honest = peerOn(invite, 'honest');
    const other = peerOn(invite, 'other');
    publish(honest, 'honest.md', 'honest count', 4);
    await waitUntil(async () => (await other.session.whenTeamIdle(), other.memory.count(['honest', 'count']) === 4), 30_000, 'honest counts arrive');
    const room = relayRoom(invite.room, invite.password);

    // 1. Writing anything but the sealed log: the relay closes the connection, nothing is kept.
    const writer = rawClient(relay.url, room.documentName, room.token);
    cleanups.push(() => writer.provider.destroy());
    await waitUntil(() => writer.events.authenticated > 0, 10_000, 'the member authenticates');
    writer.doc.getMap('elsewhere').set('x', 'y');
    await waitUntil(() => relay.lines.some((line) => /outside|another item|map key/.test(line)), 10_000, 'the foreign write is refused');
    writer.provider.destroy();

    // 2. Sealed with the room key but not a log update: every peer refuses it, counts unchanged.
    const junk = rawClient(relay.url, room.documentName, room.token);
    cleanups.push(() => junk.provider.destroy());
    await waitUntil(() => junk.events.authenticated > 0, 10_000, 'the junk sender authenticates');
    junk.doc.transact(() => junk.log.push([seal(room, new Uint8Array(16).fill(0xff))]));
    // A log update holding a batch that no writer signed.
    const forged = new Y.Doc();
    forged.getArray<Uint8Array>(LOG_NAME).push([new Uint8Array(200).fill(7)]);
    junk.doc.transact(() => junk.log.push([seal(room, Y.encodeStateAsUpdate(forged))]));
    await waitUntil(() => honest.problems.length >= 2 && other.problems.length >= 2, 20_000, 'both honest peers refuse both entries').catch((e) => {
      console.log(honest.problems, other.problems, relay.lines);
      throw e;
    });
    await honest.session.whenTeamIdle();
    assert.equal(other.memory.count(['honest', 'count']), 4);
    assert.equal(honest.memory.stats().tokens, 0, 'nothing of the junk reached the team memory');

    // 3. A flood: more entries than the room may hold, faster than the item rate allows.
    const flood = rawClient(relay.url, room.documentName, room.token);
    cleanups.push(() => flood.provider.destroy());
    await waitUntil(() => flood.events.authenticated > 0, 10_000, 'the flooder authenticates');
    for (let i = 0; i < 200; i++) flood.doc.transact(() => flood.log.push([seal(room, new Uint8Array([i]))]));
    await waitUntil(() => relay.lines.some((line) => /would hold more than 40 entries|items a second/.test(line)), 10_000, 'the flood hits a cap');
    // What the relay kept: a fresh member's copy of the room is within the cap.
    const observer = rawClient(relay.url, room.documentName, room.token);
    cleanups.push(() => observer.provider.destroy());
    await waitUntil(() => observer.log.length > 0, 10_000, 'an observer syncs');
    await sleep(300);
    assert.ok(observer.log.length <= 40, `the room holds ${observer.log.length} entries`);
    assert.equal(other.memory.count(['honest', 'count']), 4);
  });
});
