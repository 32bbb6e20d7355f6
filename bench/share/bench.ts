// `npm run bench:share`: real peers (separate Node processes running the session code) over
// loopback. Reports the time and log bytes to sync 100k and 1M tokens of text to a joining peer and
// what the joiner keeps per token (heap after a collection: the Yjs log and the team memory),
// update latency p50/p95 between two peers, peak memory per peer, and the hostile row: the same
// 100k sync while a hostile peer floods signed text batches at its caps, with what it costs the
// honest joiner (sync time, longest event-loop stall, CPU, heap kept, reports).
// Writes bench/results/share.json. `--quick`: 100k only; `--big`: 1M only; `--hostile`: 100k and the hostile row.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { createInvite } from '../../src/share/invite';
import { PeerProcess, SignalProcess, sleep, waitUntil } from '../../test/integration/share/harness';
import { probeOf, syntheticDocuments, tokensOf } from '../../test/integration/share/synthetic';

interface SyncResult {
  tokens: number;
  logBytes: number;
  /** What the joiner keeps per token once synced: heap and array buffers after a collection, less before its session. */
  joinerHeapBytesPerToken: number;
  /** From the joiner's session start to holding every count (signaling and WebRTC set-up included). */
  syncMs: number;
  /** From the moment the joiner first hears from the writer over WebRTC to holding every count. */
  fromLinkMs: number;
  /** Of which: handing the validated chunks to the team memory on the joiner's thread (its index builds run after). */
  applyMs: number;
  writerPeakRssMB: number;
  joinerPeakRssMB: number;
  /** The joiner's longest event-loop stall and CPU time from its session start to holding every count. */
  joinerMaxStallMs: number;
  joinerCpuMs: number;
}

interface HostileResult {
  tokens: number;
  floodSeconds: number;
  /** What the hostile peer sent: signed batches (half of them new text, taken until the caps refuse it) and sync requests. */
  hostileBatches: number;
  hostileRequests: number;
  /** The honest joiner, from its session start to holding all of the honest writer's counts. */
  syncMs: number;
  maxStallMs: number;
  cpuMs: number;
  /** The joiner once the flood is over: longest stall and CPU over the whole flood, heap kept (after a collection). */
  floodMaxStallMs: number;
  floodCpuMs: number;
  heapMB: number;
  teamTokens: number;
  logBatches: number;
  /** Reports the joiner raised (rejected batches, dropped messages). */
  reports: number;
  honestTextIntact: boolean;
}

async function withSignal<T>(run: (signalUrl: string) => Promise<T>): Promise<T> {
  const { signal } = await SignalProcess.startOnFreePort();
  try {
    return await run((signal as unknown as { url: string }).url);
  } finally {
    await signal.stop();
  }
}

async function syncBench(tokens: number): Promise<SyncResult> {
  return withSignal(async (url) => {
    const invite = createInvite([url]);
    const writer = await PeerProcess.spawn('writer');
    const joiner = await PeerProcess.spawn('joiner');
    try {
      await writer.call({ cmd: 'start', invite, writerId: 'w-writer', name: 'writer' });
      const { bytes } = await writer.call({ cmd: 'publishSnapshot', tokens, seed: 11 });
      const documents = syntheticDocuments(tokens, 11);
      const last = probeOf(documents, -1);
      const heapBefore = (await joiner.call({ cmd: 'heap' })).heapUsed as number;
      await joiner.call({ cmd: 'resetLoop' });
      await joiner.call({ cmd: 'start', invite, writerId: 'w-joiner', name: 'joiner' });
      const done = await waitUntil(
        async () => {
          const s = await joiner.call({ cmd: 'stats', probes: [last] });
          return s.probes[0] === 1 && s.tokens === tokensOf(documents) && s.teamIdle && s;
        },
        180_000,
        `joiner did not receive ${tokens} tokens`,
      );
      const events = joiner.events.filter((e) => e.event === 'teamCounted').map((e) => e.at as number);
      if (process.env.BENCH_DEBUG) console.log(JSON.stringify(joiner.events.map((e) => ({ ...e, peers: undefined, status: undefined, at: e.at ? (e.at as number) - done.startedAt : undefined }))));
      const writerStats = await writer.call({ cmd: 'stats' });
      const joinerStats = await joiner.call({ cmd: 'stats' });
      const heapAfter = (await joiner.call({ cmd: 'heap' })).heapUsed as number;
      return {
        tokens,
        logBytes: bytes,
        joinerHeapBytesPerToken: Math.round(((heapAfter - heapBefore) / tokens) * 10) / 10,
        syncMs: Math.max(...events) - done.startedAt,
        fromLinkMs: Math.max(...events) - Math.min(...joiner.events.filter((e) => e.event === 'peers' && (e.peers as unknown[]).length > 0).map((e) => e.at as number)),
        applyMs: Math.round(done.applyMs),
        writerPeakRssMB: Math.round(writerStats.peakRssMB),
        joinerPeakRssMB: Math.round(done.peakRssMB),
        // The process that runs the native WebRTC module for the joiner's session, apart.
        joinerWrtcPeakRssMB: Math.round(joinerStats.transportPeakRssMB),
        joinerMaxStallMs: Math.round(joinerStats.maxStallMs),
        joinerCpuMs: Math.round(joinerStats.cpuMs),
      };
    } finally {
      await Promise.all([writer.close(), joiner.close()]);
    }
  });
}

/**
 * A joiner syncs `tokens` of text from an honest writer while a hostile peer, linked to both, floods
 * at its caps for `floodSeconds` (the peer process's 'flood' attack says what it sends).
 */
async function hostileBench(tokens: number, floodSeconds: number): Promise<HostileResult> {
  return withSignal(async (url) => {
    const invite = createInvite([url]);
    const writer = await PeerProcess.spawn('writer');
    const evil = await PeerProcess.spawn('evil');
    const joiner = await PeerProcess.spawn('joiner');
    try {
      const { writer: writerId } = await writer.call({ cmd: 'start', invite, writerId: 'w-writer', name: 'writer' });
      await writer.call({ cmd: 'publishSnapshot', tokens, seed: 11 });
      const documents = syntheticDocuments(tokens, 11);
      const last = probeOf(documents, -1);
      await evil.call({ cmd: 'start', invite, writerId: 'w-evil', name: 'evil' });
      await waitUntil(async () => (await evil.call({ cmd: 'stats', probes: [last] })).probes[0] === 1, 120_000, 'evil never linked to the writer');
      const flood = evil.call({ cmd: 'attack', kind: 'flood', count: floodSeconds });
      await sleep(2000); // the flood is under way when the joiner arrives
      await joiner.call({ cmd: 'resetLoop' });
      await joiner.call({ cmd: 'start', invite, writerId: 'w-joiner', name: 'joiner' });
      const synced = await waitUntil(
        async () => {
          const s = await joiner.call({ cmd: 'stats', probes: [last] });
          return s.probes[0] === 1 && { ...s, at: Date.now() };
        },
        180_000,
        `joiner did not receive ${tokens} tokens under the flood`,
      );
      const sent = await flood;
      await sleep(3000); // what the flood left in flight arrives
      const after = await joiner.call({ cmd: 'stats' });
      const { texts } = await joiner.call({ cmd: 'teamText', writer: writerId });
      const expected = documents.map((doc) => doc.tokens.join(' ')).sort();
      const heap = (await joiner.call({ cmd: 'heap' })).heapUsed as number;
      return {
        tokens,
        floodSeconds,
        hostileBatches: sent.batches,
        hostileRequests: sent.requests,
        syncMs: synced.at - synced.startedAt,
        maxStallMs: Math.round(synced.maxStallMs),
        cpuMs: Math.round(synced.cpuMs),
        floodMaxStallMs: Math.round(after.maxStallMs),
        floodCpuMs: Math.round(after.cpuMs),
        heapMB: Math.round(heap / 1048576),
        teamTokens: after.tokens,
        logBatches: after.logBatches.length,
        reports: joiner.count('rejected'),
        honestTextIntact: texts.length === expected.length && texts.every((text: string, i: number) => text === expected[i]),
      };
    } finally {
      await Promise.all([writer.close(), evil.close(), joiner.close()]);
    }
  });
}

/** From a's publish to b's team memory holding the edit (counted), and to b's team layer handing it over. */
async function latencyBench(updates: number): Promise<{ p50: number; p95: number; max: number; updates: number; layerP50: number; layerP95: number }> {
  return withSignal(async (url) => {
    const invite = createInvite([url]);
    const a = await PeerProcess.spawn('a');
    const b = await PeerProcess.spawn('b');
    try {
      await a.call({ cmd: 'start', invite, writerId: 'w-a', name: 'a' });
      await b.call({ cmd: 'start', invite, writerId: 'w-b', name: 'b' });
      await a.call({ cmd: 'publish', documents: [{ id: 'warm.md', text: 'warm up' }] });
      await waitUntil(async () => (await b.call({ cmd: 'stats', probes: [['warm', 'up']] })).probes[0] === 1, 60_000, 'peers never connected');
      const latencies: number[] = [];
      const layer: number[] = [];
      for (let i = 0; i < updates; i++) {
        const seen = b.count('teamCounted');
        // An edit: one chunk changes (as a keystroke changes the chunk it is in).
        const { at } = await a.call({ cmd: 'publish', documents: [{ id: 'edited.md', text: `edit n${i}` }] });
        const event = await waitUntil(() => b.count('teamCounted') > seen && b.events.filter((e) => e.event === 'teamCounted').at(-1), 10_000, 'update lost');
        latencies.push((event.at as number) - at);
        const handedOver = b.events.find((e) => e.event === 'teamChanged' && (e.at as number) >= at);
        if (handedOver) layer.push((handedOver.at as number) - at);
        b.events.splice(0);
        await sleep(20);
      }
      latencies.sort((x, y) => x - y);
      layer.sort((x, y) => x - y);
      const pick = (list: number[], q: number) => list[Math.min(list.length - 1, Math.floor(q * list.length))];
      return { updates, p50: pick(latencies, 0.5), p95: pick(latencies, 0.95), max: latencies.at(-1)!, layerP50: pick(layer, 0.5), layerP95: pick(layer, 0.95) };
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
}

async function main(): Promise<void> {
  // --hostile: the quiet 100k sync and the hostile row only.
  const hostileOnly = process.argv.includes('--hostile');
  const sizes = process.argv.includes('--quick') || hostileOnly ? [100_000] : process.argv.includes('--big') ? [1_000_000] : [100_000, 1_000_000];
  const sync: SyncResult[] = [];
  for (const tokens of sizes) {
    const result = await syncBench(tokens);
    sync.push(result);
    console.log(
      `sync ${tokens.toLocaleString()} tokens of text to a joining peer: ${result.syncMs} ms from session start, ${result.fromLinkMs} ms from link up (team memory hand-over ${result.applyMs} ms), ` +
        `log ${(result.logBytes / 1048576).toFixed(2)} MiB (${(result.logBytes / tokens).toFixed(2)} B/token), joiner keeps ${result.joinerHeapBytesPerToken} B/token, ` +
        `peak RSS writer ${result.writerPeakRssMB} MB / joiner ${result.joinerPeakRssMB} MB, joiner's longest stall ${result.joinerMaxStallMs} ms`,
    );
  }
  const latency = hostileOnly ? undefined : await latencyBench(100);
  if (latency) {
    console.log(
      `update latency over ${latency.updates} edits, to the text counted in b's team memory: p50 ${latency.p50} ms, p95 ${latency.p95} ms, max ${latency.max} ms ` +
        `(to b's team layer handing it over: p50 ${latency.layerP50} ms, p95 ${latency.layerP95} ms)`,
    );
  }
  const floodSeconds = Number(process.env.BENCH_FLOOD_SECONDS ?? 15);
  const hostile = await hostileBench(100_000, floodSeconds);
  const quiet = sync.find((result) => result.tokens === 100_000);
  console.log(
    `hostile: sync 100,000 tokens while a peer floods at its caps for ${floodSeconds} s (${hostile.hostileBatches} signed batches, ${hostile.hostileRequests} sync requests): ` +
      `${hostile.syncMs} ms from session start (quiet: ${quiet?.syncMs ?? '?'} ms), longest stall ${hostile.maxStallMs} ms (quiet: ${quiet?.joinerMaxStallMs ?? '?'} ms), ` +
      `CPU ${hostile.cpuMs} ms (quiet: ${quiet?.joinerCpuMs ?? '?'} ms); over the whole flood: longest stall ${hostile.floodMaxStallMs} ms, CPU ${hostile.floodCpuMs} ms, ` +
      `heap kept ${hostile.heapMB} MB, team memory ${hostile.teamTokens.toLocaleString()} tokens, log ${hostile.logBatches} batches, ${hostile.reports} reports, ` +
      `honest text ${hostile.honestTextIntact ? 'intact' : 'CHANGED'}`,
  );
  const out = path.resolve(__dirname, '../results/share.json');
  await fs.mkdir(path.dirname(out), { recursive: true });
  await fs.writeFile(out, JSON.stringify({ date: new Date().toISOString(), sync, latency, hostile }, null, 2));
  console.log(`written ${path.relative(process.cwd(), out)}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
