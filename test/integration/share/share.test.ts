// Three and more real peers (separate Node processes running the session code) over loopback:
// convergence on 1M tokens of text, a memory larger than its share of the log, disconnect and
// reconnect, signaling server restart, wrong password and hostile peers. run.sh runs this inside a
// private network namespace when it can.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInvite, encodeInvite, type Invite } from '../../../src/share/invite';
import { encodeLoggedBatch } from '../../../src/share/batchFormat';
import { newWriterKey } from '../../../src/share/writerKey';
import { PeerProcess, SignalProcess, sleep, waitUntil } from './harness';
import { probeOf, syntheticDocuments, tokensOf } from './synthetic';

/** A document of text, as the peer process publishes it. */
const doc = (id: string, text: string) => ({ id, text });

const isolated = process.env.LIGHT_NETWORK_NETNS === '1';

describe('share integration (real peers over loopback)', function () {
  this.timeout(240_000);
  let signal: SignalProcess | undefined;
  let port: number;
  let invite: Invite;
  const peers: PeerProcess[] = [];
  /** Each peer's writer id (its key's). */
  const writers = new Map<PeerProcess, string>();

  async function peer(name: string, writerId = `w-${name}`, joinWith: Invite = invite, extra: object = {}): Promise<PeerProcess> {
    const p = await PeerProcess.spawn(name);
    peers.push(p);
    const { writer } = await p.call({ cmd: 'start', invite: joinWith, writerId, name, ...extra });
    writers.set(p, writer);
    return p;
  }

  async function teamCount(p: PeerProcess, ngram: string[]): Promise<number> {
    const stats = await p.call({ cmd: 'stats', probes: [ngram] });
    return stats.probes[0];
  }

  beforeEach(async () => {
    ({ signal, port } = await SignalProcess.startOnFreePort());
    invite = createInvite([signal.url]);
  });

  afterEach(async () => {
    await Promise.all(peers.splice(0).map((p) => p.close()));
    await signal?.stop();
    for (const p of peers) assert.equal(p.count('unhandledRejection'), 0);
  });

  it('runs with no network but loopback when isolated', async function () {
    if (!isolated) this.skip();
    const error = await new Promise<Error | undefined>((resolve) => {
      const socket = net.connect({ host: '1.1.1.1', port: 80 });
      socket.once('connect', () => resolve(undefined));
      socket.once('error', resolve);
    });
    assert.ok(error, 'an outside address was reachable');
  });

  it('converges three peers on a memory of 1M tokens', async () => {
    const a = await peer('a');
    const b = await peer('b');
    const big = syntheticDocuments(1_000_000, 1);
    const small = syntheticDocuments(1000, 2);
    await a.call({ cmd: 'publishSnapshot', tokens: 1_000_000, seed: 1 });
    await b.call({ cmd: 'publishSnapshot', tokens: 1000, seed: 2 });
    const probeA = probeOf(big, -1);
    const probeB = probeOf(small, 1);
    const joinedAt = Date.now();
    const c = await peer('c');
    const stats = await waitUntil(
      async () => {
        const s = await c.call({ cmd: 'stats', probes: [probeA, probeB] });
        return s.probes[0] === 1 && s.probes[1] === 1 && s.tokens === tokensOf(big) + tokensOf(small) && s;
      },
      120_000,
      'c did not receive both memories',
    );
    console.log(`      c synced ${stats.tokens} tokens (${stats.documents} chunks) in ${Date.now() - joinedAt} ms (process start included); rss ${stats.rssMB.toFixed(0)} MB`);
    assert.equal(stats.documents, big.length + small.length);
    // b and a may still be building their team memory's index (c was the one waited for).
    await waitUntil(async () => (await teamCount(b, probeA)) === 1, 60_000, "b never held a's text");
    await waitUntil(async () => (await teamCount(a, probeB)) === 1, 60_000, "a never held b's text");
    assert.equal(await teamCount(a, probeA), 0, 'a peer never holds its own chunks in its team memory');
    // What c holds of b is exactly b's text, chunk for chunk.
    const { texts } = await c.call({ cmd: 'teamText', writer: writers.get(b) });
    assert.deepEqual(texts, small.map((d) => d.tokens.join(' ')).sort());
    // A live edit reaches everyone, and a removal takes it back.
    await a.call({ cmd: 'publish', documents: [doc('live.ts', 'live edit')] });
    for (const p of [b, c]) await waitUntil(async () => (await teamCount(p, ['live', 'edit'])) === 1, 30_000, `${p.name} missed the edit`);
    await a.call({ cmd: 'publish', documents: [{ id: 'live.ts' }] });
    for (const p of [b, c]) await waitUntil(async () => (await teamCount(p, ['live', 'edit'])) === 0, 30_000, `${p.name} missed the removal`);
    assert.equal(await teamCount(c, probeA), 1, 'the rest of a stays');
    for (const p of [a, b, c]) assert.equal(p.count('rejected'), 0, JSON.stringify(p.events.filter((e) => e.event === 'rejected')));
  });

  it('shares the first documents of a memory larger than its share of the log, and the session works', async () => {
    // Scaled down 16 times: a 4 MiB log (a writer's snapshot gets a quarter) and a memory whose
    // text would take several MiB, as a 64 MiB log and a memory of tens of millions of tokens.
    // Published whole, every peer would refuse the log and the joiner get nothing, not even c's.
    const MiB = 1024 * 1024;
    const limits = { maxLogBytes: 4 * MiB, maxMessageBytes: 4 * MiB, maxSendQueueBytes: 8 * MiB };
    const c = await peer('c', 'w-c', invite, { limits });
    await c.call({ cmd: 'publish', documents: [doc('c.md', 'small words')] });
    const a = await peer('a', 'w-a', invite, { limits });
    const { report } = await a.call({ cmd: 'publishSnapshot', tokens: 1_000_000, seed: 5 });
    assert.ok(report.cut, JSON.stringify(report));
    assert.ok(report.bytes <= MiB && report.bytes > MiB / 2, JSON.stringify(report));
    const all = syntheticDocuments(1_000_000, 5);
    assert.equal(report.totalDocuments, all.length);
    assert.equal(report.totalTokens, tokensOf(all));
    assert.ok(report.documents > 0 && report.documents < all.length, JSON.stringify(report));
    assert.equal(report.tokens, tokensOf(all.slice(0, report.documents)), 'the first documents, whole');
    const b = await peer('b', 'w-b', invite, { limits });
    const stats = await waitUntil(
      async () => {
        const s = await b.call({ cmd: 'stats', probes: [['small', 'words'], probeOf(all, report.documents - 1), probeOf(all, report.documents)] });
        return s.probes[0] === 1 && s.probes[1] === 1 && s;
      },
      60_000,
      "b did not get c's text and a's first documents",
    );
    assert.equal(stats.probes[2], 0, 'a document past the budget was shared');
    await waitUntil(async () => (await b.call({ cmd: 'stats' })).tokens === report.tokens + 2, 30_000, 'b holds exactly what a shared, and c');
    for (const p of [a, b, c]) {
      assert.equal(p.events.filter((e) => e.event === 'rejected' && /the log would hold more/.test(String(e.reason))).length, 0, `${p.name} refused the log`);
    }
  });

  it('recovers after a peer disconnects and reconnects, without holding anything twice', async () => {
    const a = await peer('a');
    let b = await peer('b');
    await b.call({ cmd: 'publishSnapshot', tokens: 5000, seed: 7 });
    const documents = syntheticDocuments(5000, 7);
    const probe = probeOf(documents, 7);
    await waitUntil(async () => (await teamCount(a, probe)) === 1, 60_000, 'a never got b');
    b.kill();
    await a.call({ cmd: 'publish', documents: [doc('away.md', 'while away')] });
    b = await peer('b2', 'w-b'); // b restarts with its persisted writer id (and a new salt: new chunk keys)
    await b.call({ cmd: 'publishSnapshot', tokens: 5000, seed: 7 });
    await waitUntil(async () => (await teamCount(b, ['while', 'away'])) === 1, 60_000, 'b missed what happened while away');
    const c = await peer('c');
    await waitUntil(async () => (await teamCount(c, probe)) === 1, 60_000, 'c never got b');
    await sleep(1500);
    assert.equal(await teamCount(a, probe), 1, "b's text twice at a (its last run's chunks kept)");
    assert.equal(await teamCount(c, probe), 1, "b's text twice at c");
    for (const p of [a, c]) assert.equal((await p.call({ cmd: 'stats' })).tokens, tokensOf(documents) + (p === c ? 2 : 0), `${p.name} holds b's text once`);
  });

  it('recovers when both ends drop their links at once (glare), and shows presence', async () => {
    const a = await peer('a');
    const b = await peer('b');
    await a.call({ cmd: 'publish', documents: [doc('first.md', 'first')] });
    await waitUntil(async () => (await teamCount(b, ['first'])) === 1, 60_000, 'b never got the first edit');
    for (let round = 0; round < 3; round++) {
      const [da, db] = await Promise.all([a.call({ cmd: 'dropLinks' }), b.call({ cmd: 'dropLinks' })]);
      assert.ok(da.dropped + db.dropped > 0);
      const word = `after${round}`;
      await a.call({ cmd: 'publish', documents: [doc(`${word}.md`, word)] });
      await waitUntil(async () => (await teamCount(b, [word])) === 1, 60_000, `round ${round}: the link never came back`);
    }
    await a.call({ cmd: 'setWord', word: 'lantern' });
    await waitUntil(async () => (await b.call({ cmd: 'stats' })).peers.some((p: { name: string; word: string }) => p.name === 'a' && p.word === 'lantern'), 30_000, 'b never saw what a is typing');
  });

  it('survives a crash of a peer\'s WebRTC process: the peer stays up, its links come back, nothing is counted twice', async () => {
    const a = await peer('a');
    const b = await peer('b');
    await b.call({ cmd: 'publishSnapshot', tokens: 5000, seed: 3 });
    const probe = probeOf(syntheticDocuments(5000, 3), 4);
    await waitUntil(async () => (await teamCount(a, probe)) === 1, 60_000, 'a never got b');
    for (let round = 0; round < 2; round++) {
      const { pid } = await a.call({ cmd: 'crashTransport' });
      await waitUntil(() => a.count('transportRestarted') === round + 1, 30_000, 'the crash was not reported');
      const word = `crash${round}`;
      await b.call({ cmd: 'publish', documents: [doc(`${word}.md`, word)] });
      await a.call({ cmd: 'publish', documents: [doc(`${word}.md`, `${word}a`)] });
      await waitUntil(async () => (await teamCount(a, [word])) === 1, 60_000, `round ${round}: b's change never reached a`);
      await waitUntil(async () => (await teamCount(b, [`${word}a`])) === 1, 60_000, `round ${round}: a's change never reached b`);
      assert.notEqual((await a.call({ cmd: 'stats' })).transportPid, pid, 'a new WebRTC process');
    }
    assert.ok(!a.hasExited && !b.hasExited);
    assert.equal(await teamCount(a, probe), 1, 'b held twice at a');
    assert.match(String(a.events.find((e) => e.event === 'transportRestarted')?.reason), /killed by SIGSEGV; links reconnect/);
  });

  it('keeps links through a signaling server restart and reconnects to it', async () => {
    const a = await peer('a');
    const b = await peer('b');
    await a.call({ cmd: 'publish', documents: [doc('before.md', 'before')] });
    await waitUntil(async () => (await teamCount(b, ['before'])) === 1, 60_000, 'b never got the first edit');
    await signal!.stop();
    await waitUntil(() => a.events.some((e) => e.event === 'signaling' && !(e.status as any[])[0].connected), 10_000, 'a did not report the dead server');
    await a.call({ cmd: 'publish', documents: [doc('during.md', 'during')] });
    await waitUntil(async () => (await teamCount(b, ['during'])) === 1, 30_000, 'the existing link broke with the server');
    signal = await SignalProcess.start(port);
    await waitUntil(async () => (await a.call({ cmd: 'stats' })).signaling[0].connected, 20_000, 'a did not reconnect to the server');
    const c = await peer('c');
    await waitUntil(async () => (await teamCount(c, ['during'])) === 1, 60_000, 'a new peer could not join after the restart');
  });

  it('keeps out a peer with the wrong password without disturbing the others', async () => {
    const a = await peer('a');
    const b = await peer('b');
    const intruder = await peer('x', 'w-x', { ...invite, password: 'not-the-password-at-all' });
    await a.call({ cmd: 'publish', documents: [doc('plan.md', 'secret plan')] });
    await waitUntil(async () => (await teamCount(b, ['secret', 'plan'])) === 1, 60_000, 'b never got the edit');
    await waitUntil(() => a.count('wrongPassword') > 0 || b.count('wrongPassword') > 0, 20_000, 'nobody noticed the intruder');
    await sleep(2000);
    assert.equal(await teamCount(intruder, ['secret', 'plan']), 0);
    assert.equal((await intruder.call({ cmd: 'stats' })).peers.length, 0);
    for (const p of [a, b, intruder]) assert.equal(p.count('unhandledRejection'), 0);
  });

  it('rejects a hostile peer\'s malformed, deceptive and oversized input and reports it', async () => {
    const a = await peer('a');
    const small = await peer('small', 'w-small', invite, { limits: { maxMessageBytes: 256 * 1024 } });
    const evil = await peer('evil');
    await evil.call({ cmd: 'publish', documents: [doc('fine.md', 'fine')] });
    await waitUntil(async () => (await teamCount(a, ['fine'])) === 1, 60_000, 'a never got the valid edit');
    await evil.call({ cmd: 'attack', kind: 'deceptive' });
    // 60k new words in one chunk: over small's message cap, within a's limits.
    await evil.call({ cmd: 'publish', documents: [{ id: 'flood.md', tokens: Array.from({ length: 60_000 }, (_, i) => `junk${i}`) }] });
    await waitUntil(async () => (await teamCount(a, ['junk59999'])) === 1, 30_000, 'a did not take the flood (within its limits)').catch((error) => {
      throw new Error(`${(error as Error).message}; a reported: ${JSON.stringify(a.events.filter((e) => e.event === 'rejected').map((e) => e.reason))}`);
    });
    await waitUntil(() => small.events.some((e) => e.event === 'rejected' && /cap/.test(String(e.reason))), 30_000, 'small did not cap the big message');
    // Entries that are not batches (a's guard then refuses every message of evil's that carries them, and closes the link).
    await evil.call({ cmd: 'raw', bytes: [1, 2, 3, 4] });
    await evil.call({ cmd: 'raw', bytes: [...encodeLoggedBatch(newWriterKey(), 'delta', new Uint8Array([0xff, 0xff, 0xff]), { seq: 1, floor: 0, dead: [] })] });
    await waitUntil(() => a.count('rejected') >= 3, 30_000, 'a did not report the bad batches');
    const stats = await a.call({ cmd: 'stats', probes: [['const'], ['fine']] });
    assert.equal(stats.probes[0], 0, 'nothing of the deceptive batch was applied');
    assert.equal(stats.probes[1], 1);
    assert.equal(a.count('unhandledRejection'), 0);
  });

  it("refuses a peer forging another writer's batches and keeps text another peer deletes, until the writer puts it back", async () => {
    const a = await peer('a');
    const b = await peer('b');
    const forger = await peer('forger');
    const deleter = await peer('deleter');
    await a.call({ cmd: 'publish', documents: [doc('precious.md', 'precious words')] });
    await waitUntil(async () => (await teamCount(b, ['precious', 'words'])) === 1, 60_000, "b never got a's edit");
    await waitUntil(async () => (await forger.call({ cmd: 'stats' })).logBatches.length > 0 && (await deleter.call({ cmd: 'stats' })).logBatches.length > 0, 60_000, 'the hostile peers never got the log');
    const writerOfA = (await forger.call({ cmd: 'stats' })).logBatches[0] as string;
    // A batch under a's id and key, signed by the forger, that claims to supersede all of a's
    // batches and rewrites a's chunk (same key).
    await forger.call({ cmd: 'forge', victim: writerOfA, records: [{ tokens: ['forged', 'words'] }] });
    await waitUntil(() => b.events.some((e) => e.event === 'rejected' && /bad signature/.test(String(e.reason))), 30_000, 'b did not report the forged batch');
    // Another peer deletes a's batches from the shared log.
    const { deleted } = await deleter.call({ cmd: 'deleteBatchesOf', victim: writerOfA });
    assert.ok(deleted > 0);
    await waitUntil(() => b.events.some((e) => e.event === 'rejected' && /without its writer superseding it/.test(String(e.reason))), 30_000, 'b did not report the deletion');
    const c = await peer('c');
    await waitUntil(async () => (await teamCount(c, ['precious', 'words'])) === 1, 60_000, 'a did not put its deleted batch back for a later joiner');
    await sleep(1000);
    for (const p of [b, c]) {
      const stats = await p.call({ cmd: 'stats', probes: [['precious', 'words'], ['forged', 'words']] });
      assert.deepEqual(stats.probes, [1, 0], `${p.name}: text kept once, nothing forged`);
    }
    for (const p of [a, b, c]) assert.equal(p.count('unhandledRejection'), 0);
  });

  it('keeps the team memory in a headless peer that predict can read, and seeds later joiners', async () => {
    const root = path.resolve(__dirname, '../../..');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ln-seed-'));
    const file = path.join(dir, 'team.bin');
    const phrase = 'the amber falcon circles the northern tower';
    const a = await peer('a');
    await a.call({ cmd: 'publishText', text: `${phrase}\n${phrase} again\n${phrase}\n` });
    // The invite on standard input: on the command line every user would see it (ps).
    const seed = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'peer', '--join', '-', '--memory', file, '--name', 'seed'], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    seed.stdin!.end(`${encodeInvite(invite)}\n`);
    let seedLog = '';
    seed.stderr!.on('data', (chunk) => (seedLog += chunk));
    try {
      await waitUntil(() => existsSync(`${file}.teamlog`) && statSync(`${file}.teamlog`).size > 200, 60_000, `the seed saved nothing:\n${seedLog}`);
      a.kill(); // the only editor that knew the phrase is gone
      const c = await peer('c');
      await waitUntil(async () => (await teamCount(c, ['amber', 'falcon'])) === 3, 60_000, 'c was not seeded by the headless peer');
      const exited = new Promise<number | null>((resolve) => seed.once('exit', resolve));
      seed.kill('SIGINT');
      assert.equal(await exited, 0, seedLog);
      for (const saved of [file, `${file}.teamlog`, `${file}.key`]) assert.equal(statSync(saved).mode & 0o777, 0o600, `${saved} holds learned text or a key`);
      const predict = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'predict', '-m', file, 'the amber falcon'], { cwd: root, encoding: 'utf8' });
      assert.equal(predict.status, 0, predict.stderr);
      assert.match(predict.stdout, /ghost text: .*circles/);
    } finally {
      if (seed.exitCode === null) seed.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
