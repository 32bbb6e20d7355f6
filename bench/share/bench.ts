// `npm run bench:share`: real peers (separate Node processes running the session code) over
// loopback. Reports the time and bytes to sync 100k and 1M counts to a joining peer, update
// latency p50/p95 between two peers, and peak memory per peer. Writes bench/results/share.json.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { createInvite } from '../../src/share/invite';
import { PeerProcess, SignalProcess, sleep, waitUntil } from '../../test/integration/share/harness';
import { syntheticBatch } from '../../test/integration/share/synthetic';

interface SyncResult {
  counts: number;
  logBytes: number;
  /** From the joiner's session start to holding every count (signaling and WebRTC set-up included). */
  syncMs: number;
  /** From the moment the joiner first hears from the writer over WebRTC to holding every count. */
  fromLinkMs: number;
  /** Of which: applying the validated batches to the team memory. */
  applyMs: number;
  writerPeakRssMB: number;
  joinerPeakRssMB: number;
}

async function withSignal<T>(run: (signalUrl: string) => Promise<T>): Promise<T> {
  const { signal } = await SignalProcess.startOnFreePort();
  try {
    return await run((signal as unknown as { url: string }).url);
  } finally {
    await signal.stop();
  }
}

async function syncBench(counts: number): Promise<SyncResult> {
  return withSignal(async (url) => {
    const invite = createInvite([url]);
    const writer = await PeerProcess.spawn('writer');
    const joiner = await PeerProcess.spawn('joiner');
    try {
      await writer.call({ cmd: 'start', invite, writerId: 'w-writer', name: 'writer' });
      const { bytes } = await writer.call({ cmd: 'publishSnapshot', count: counts, seed: 11 });
      const last = syntheticBatch(counts, 11).entries.at(-1)!;
      await joiner.call({ cmd: 'start', invite, writerId: 'w-joiner', name: 'joiner' });
      const done = await waitUntil(
        async () => {
          const s = await joiner.call({ cmd: 'stats', probes: [last.ngram] });
          return s.probes[0] === last.delta && s.ngrams === counts && s;
        },
        180_000,
        `joiner did not receive ${counts} counts`,
      );
      const events = joiner.events.filter((e) => e.event === 'teamChanged').map((e) => e.at as number);
      if (process.env.BENCH_DEBUG) console.log(JSON.stringify(joiner.events.map((e) => ({ ...e, peers: undefined, status: undefined, at: e.at ? (e.at as number) - done.startedAt : undefined }))));
      const writerStats = await writer.call({ cmd: 'stats' });
      return {
        counts,
        logBytes: bytes,
        syncMs: Math.max(...events) - done.startedAt,
        fromLinkMs: Math.max(...events) - Math.min(...joiner.events.filter((e) => e.event === 'peers' && (e.peers as unknown[]).length > 0).map((e) => e.at as number)),
        applyMs: Math.round(done.applyMs),
        writerPeakRssMB: Math.round(writerStats.peakRssMB),
        joinerPeakRssMB: Math.round(done.peakRssMB),
      };
    } finally {
      await Promise.all([writer.close(), joiner.close()]);
    }
  });
}

async function latencyBench(updates: number): Promise<{ p50: number; p95: number; max: number; updates: number }> {
  return withSignal(async (url) => {
    const invite = createInvite([url]);
    const a = await PeerProcess.spawn('a');
    const b = await PeerProcess.spawn('b');
    try {
      await a.call({ cmd: 'start', invite, writerId: 'w-a', name: 'a' });
      await b.call({ cmd: 'start', invite, writerId: 'w-b', name: 'b' });
      await a.call({ cmd: 'publish', batch: { entries: [{ ngram: ['warm', 'up'], delta: 1 }] } });
      await waitUntil(async () => (await b.call({ cmd: 'stats', probes: [['warm', 'up']] })).probes[0] === 1, 60_000, 'peers never connected');
      const latencies: number[] = [];
      for (let i = 0; i < updates; i++) {
        const seen = b.count('teamChanged');
        const { at } = await a.call({ cmd: 'publish', batch: { entries: [{ ngram: ['edit', `n${i}`], delta: 1 }] } });
        const event = await waitUntil(() => b.count('teamChanged') > seen && b.events.filter((e) => e.event === 'teamChanged').at(-1), 10_000, 'update lost');
        latencies.push((event.at as number) - at);
        await sleep(20);
      }
      latencies.sort((x, y) => x - y);
      const pick = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
      return { updates, p50: pick(0.5), p95: pick(0.95), max: latencies.at(-1)! };
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
}

async function main(): Promise<void> {
  const sizes = process.argv.includes('--quick') ? [100_000] : process.argv.includes('--big') ? [1_000_000] : [100_000, 1_000_000];
  const sync: SyncResult[] = [];
  for (const counts of sizes) {
    const result = await syncBench(counts);
    sync.push(result);
    console.log(
      `sync ${counts.toLocaleString()} counts to a joining peer: ${result.syncMs} ms from session start, ${result.fromLinkMs} ms from link up (engine apply ${result.applyMs} ms), ` +
        `log ${(result.logBytes / 1048576).toFixed(1)} MiB, peak RSS writer ${result.writerPeakRssMB} MB / joiner ${result.joinerPeakRssMB} MB`,
    );
  }
  const latency = await latencyBench(100);
  console.log(`update latency over ${latency.updates} edits: p50 ${latency.p50} ms, p95 ${latency.p95} ms, max ${latency.max} ms`);
  const out = path.resolve(__dirname, '../results/share.json');
  await fs.mkdir(path.dirname(out), { recursive: true });
  await fs.writeFile(out, JSON.stringify({ date: new Date().toISOString(), sync, latency }, null, 2));
  console.log(`written ${path.relative(process.cwd(), out)}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
