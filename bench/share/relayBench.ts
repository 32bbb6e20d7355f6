// `npm run bench:relay`: the team relay's rows of the share bench. A real `light-network relay`
// process (with a data folder) and real session stacks over loopback:
// - 1M tokens of text to a joiner through the relay (writer and joiner in their own processes), timed
//   from the joiner's link to the relay coming up (and from its session start) to holding all of it;
// - update latency p50/p95 with 50 peers, from the writer's publish (one document changed) to each
//   receiver holding the new text: once with the 49 receivers each in its own process (as peers on their own machines,
//   though all 50 share this machine's 2 cores), once with all 50 in this one process (one event
//   loop: each receiver waits behind the others, an upper bound);
// - the relay's resident memory: idle, per room (50 small rooms), and per million tokens held.
// Writes bench/results/relay.json.
import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createInvite, type Invite } from '../../src/share/invite';
import { ShareSession } from '../../src/share/session';
import { TeamMemory } from '../../src/share/teamMemory';
import { newWriterKey } from '../../src/share/writerKey';
import { PeerProcess, sleep, waitUntil } from '../../test/integration/share/harness';
import { probeOf, syntheticDocuments, tokensOf } from '../../test/integration/share/synthetic';
import { startRelay, tempDir, type Proc } from '../../test/integration/relay/processes';

function rssMB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Math.round(Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) / 102.4) / 10;
}

/** The relay's resident memory once it settles (a collection may still be pending: the lowest of a few looks). */
async function settledRss(pid: number): Promise<number> {
  let low = Infinity;
  for (let i = 0; i < 6; i++) {
    low = Math.min(low, rssMB(pid));
    await sleep(500);
  }
  return low;
}

function inProcessPeer(invite: Invite, name: string, publishDelayMs = 5) {
  // The team memory counts what the layer hands it a moment later: it says so as a team change too.
  const memory: TeamMemory = new TeamMemory({ onChanged: () => session.emit('teamChanged') });
  const session: ShareSession = new ShareSession({ invite, writerKey: newWriterKey(), user: { name, color: '#40a0e0' }, team: memory, publishDelayMs });
  session.start();
  return { session, memory };
}

/** Update `u` of the latency rows: the writer's one document now says 'latency probe' u times. */
function publishProbe(session: ShareSession, u: number): void {
  session.publishDocuments([{ id: 'probe.md', tokens: Array.from({ length: u }, () => ['latency', 'probe', '\n']).flat() }]);
}

async function syncThroughRelay(url: string, tokens: number) {
  const invite = createInvite([], url);
  const writer = await PeerProcess.spawn('writer');
  const joiner = await PeerProcess.spawn('joiner');
  try {
    await writer.call({ cmd: 'start', invite, writerId: 'w-writer', name: 'writer' });
    const { bytes } = await writer.call({ cmd: 'publishSnapshot', tokens, seed: 11 });
    const documents = syntheticDocuments(tokens, 11);
    const last = probeOf(documents, -1);
    // The relay holds it all before the joiner comes: a second member sees the last document.
    const probe = await PeerProcess.spawn('probe');
    await probe.call({ cmd: 'start', invite, writerId: 'w-probe', name: 'probe' });
    await waitUntil(async () => (await probe.call({ cmd: 'stats', probes: [last] })).probes[0] === 1, 180_000, 'the relay never held the writer’s text');
    await probe.close();
    await joiner.call({ cmd: 'resetLoop' });
    await joiner.call({ cmd: 'start', invite, writerId: 'w-joiner', name: 'joiner' });
    const done = await waitUntil(
      async () => {
        const s = await joiner.call({ cmd: 'stats', probes: [last] });
        return s.probes[0] === 1 && s.tokens === tokensOf(documents) && s.teamIdle && s;
      },
      180_000,
      `the joiner did not receive ${tokens} tokens`,
    );
    const changes = joiner.events.filter((e) => e.event === 'teamCounted').map((e) => e.at as number);
    if (process.env.LN_BENCH_DEBUG) console.log(`team counted at +${changes.map((at) => at - done.startedAt).join(", +")} ms`);
    // The link is up when the joiner's relay connection reports connected (after the authentication round trip).
    const linkUp = Math.min(...joiner.events.filter((e) => e.event === 'signaling' && (e.status as { connected: boolean }[])[0]?.connected).map((e) => e.at as number));
    return { tokens, logBytes: bytes, syncMs: Math.max(...changes) - done.startedAt, fromLinkMs: Math.max(...changes) - linkUp, applyMs: Math.round(done.applyMs), joinerPeakRssMB: Math.round(done.peakRssMB), joinerMaxStallMs: Math.round(done.maxStallMs) };
  } finally {
    await Promise.all([writer.close(), joiner.close()]);
  }
}

async function latencyWith50(url: string, updates: number) {
  const invite = createInvite([], url);
  const writer = inProcessPeer(invite, 'writer', 1);
  const receivers = Array.from({ length: 49 }, (_, i) => inProcessPeer(invite, `r${i}`));
  try {
    await waitUntil(() => receivers.every((r) => r.session.peers().length === 49), 60_000, 'all 50 peers present');
    const latencies: number[] = [];
    for (let u = 1; u <= updates; u++) {
      const started = performance.now();
      const pending = new Set(receivers);
      const arrived = new Promise<void>((resolve) => {
        for (const r of receivers) {
          const check = () => {
            if (!pending.has(r) || r.memory.count(['latency', 'probe']) !== u) return;
            pending.delete(r);
            r.session.off('teamChanged', check);
            latencies.push(performance.now() - started);
            if (pending.size === 0) resolve();
          };
          r.session.on('teamChanged', check);
        }
      });
      publishProbe(writer.session, u);
      await Promise.race([arrived, sleep(10_000)]);
      if (pending.size > 0) throw new Error(`update ${u}: ${pending.size} peers never got it`);
      await sleep(50);
    }
    return summarize(latencies, updates);
  } finally {
    await Promise.all([writer, ...receivers].map((p) => p.session.close()));
  }
}

/** 49 receivers in their own processes (started a few at a time), the writer here. */
async function latencyWith50Processes(url: string, updates: number) {
  const invite = createInvite([], url);
  const receivers: PeerProcess[] = [];
  const writer = inProcessPeer(invite, 'writer', 1);
  try {
    for (let i = 0; i < 49; i += 7) {
      const batch = await Promise.all(Array.from({ length: Math.min(7, 49 - i) }, (_, k) => PeerProcess.spawn(`r${i + k}`)));
      await Promise.all(batch.map((r, k) => r.call({ cmd: 'start', invite, writerId: `w-r${i + k}`, name: `r${i + k}` })));
      receivers.push(...batch);
    }
    await waitUntil(() => writer.session.peers().length === 49, 120_000, 'all 50 peers present');
    const latencies: number[] = [];
    for (let u = 1; u <= updates; u++) {
      await sleep(100);
      const started = Date.now();
      publishProbe(writer.session, u);
      // Each receiver's first count of its team memory after the publish; checked to be this update below.
      const at = await Promise.all(
        receivers.map((r) => waitUntil(() => r.events.find((e) => e.event === 'teamCounted' && (e.at as number) >= started)?.at as number | undefined, 30_000, `${r.name} got update ${u}`)),
      );
      const counts = await Promise.all(receivers.map((r) => r.call({ cmd: 'stats', probes: [['latency', 'probe']] })));
      if (counts.some((c) => c.probes[0] !== u)) throw new Error(`update ${u}: a receiver holds ${counts.map((c) => c.probes[0]).join(',')}`);
      for (const r of receivers) r.events.splice(0);
      latencies.push(...at.map((t) => t - started));
    }
    return summarize(latencies, updates);
  } finally {
    await writer.session.close();
    await Promise.all(receivers.map((r) => r.close()));
  }
}

function summarize(samples: number[], updates: number) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] * 10) / 10;
  return { peers: 50, updates, samples: sorted.length, p50: at(0.5), p95: at(0.95), max: at(1) };
}

async function roomsRss(url: string, relay: Proc, rooms: number) {
  const before = await settledRss(relay.child.pid!);
  const peers = Array.from({ length: rooms }, () => inProcessPeer(createInvite([], url), 'p'));
  for (const [i, peer] of peers.entries()) peer.session.publishDocuments(syntheticDocuments(1000, 100 + i));
  await waitUntil(() => peers.every((p) => p.session.signaling()[0]?.connected), 60_000, 'all rooms connected');
  await sleep(2000);
  const after = await settledRss(relay.child.pid!);
  await Promise.all(peers.map((p) => p.session.close()));
  return { rooms, tokensPerRoom: 1000, rssBeforeMB: before, rssAfterMB: after, perRoomKB: Math.round(((after - before) * 1024) / rooms) };
}

async function main(): Promise<void> {
  const data = tempDir('ln-relay-bench-');
  const relay = await startRelay(['--port', '0', '--data', data], 'relay');
  try {
    const idleMB = await settledRss(relay.proc.child.pid!);
    console.log(`relay idle: ${idleMB} MB resident`);
    if (process.argv.includes('--sync')) {
      // The sync row alone (profiling a first sync through the relay).
      const sync = await syncThroughRelay(relay.url, 1_000_000);
      console.log(`1M tokens of text to a joiner through the relay: ${sync.fromLinkMs} ms from link up, ${sync.syncMs} ms from its session start`);
      return;
    }
    const rooms = await roomsRss(relay.url, relay.proc, 50);
    console.log(`relay per room (${rooms.rooms} rooms of ${rooms.tokensPerRoom} tokens, peers connected): ${rooms.perRoomKB} KB (${rooms.rssBeforeMB} → ${rooms.rssAfterMB} MB)`);
    const latencyApart = await latencyWith50Processes(relay.url, 20);
    console.log(
      `update latency, ${latencyApart.peers} peers through the relay, receivers in their own processes (${latencyApart.samples} deliveries): ` +
        `p50 ${latencyApart.p50} ms, p95 ${latencyApart.p95} ms, max ${latencyApart.max} ms`,
    );
    const latency = await latencyWith50(relay.url, 30);
    console.log(`update latency, ${latency.peers} peers through the relay, all in one process (${latency.samples} deliveries): p50 ${latency.p50} ms, p95 ${latency.p95} ms, max ${latency.max} ms`);
    const beforeMillion = await settledRss(relay.proc.child.pid!);
    const sync = await syncThroughRelay(relay.url, 1_000_000);
    const afterMillion = await settledRss(relay.proc.child.pid!);
    const perMillionMB = Math.round((afterMillion - beforeMillion) * 10) / 10;
    console.log(
      `1M tokens of text to a joiner through the relay: ${sync.fromLinkMs} ms from link up, ${sync.syncMs} ms from its session start (apply ${sync.applyMs} ms, ` +
        `joiner peak ${sync.joinerPeakRssMB} MB, longest stall ${sync.joinerMaxStallMs} ms); log ${(sync.logBytes / 1048576).toFixed(1)} MiB`,
    );
    console.log(`relay per million tokens held: +${perMillionMB} MB resident (${beforeMillion} → ${afterMillion} MB)`);
    const out = path.resolve(__dirname, '../results/relay.json');
    await fs.mkdir(path.dirname(out), { recursive: true });
    await fs.writeFile(out, JSON.stringify({ date: new Date().toISOString(), relayIdleMB: idleMB, rooms, latencyApart, latencyOneProcess: latency, sync, relayPerMillionTokensMB: perMillionMB }, null, 2));
    console.log(`written ${path.relative(process.cwd(), out)}`);
  } finally {
    await relay.proc.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
