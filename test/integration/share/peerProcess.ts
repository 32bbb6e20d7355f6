// One peer of the integration tests: a separate Node process running the real session code (the
// same ShareSession the extension host and the headless peer use), driven over IPC by the test.
import { Memory } from '../../../src/memory';
import type { DeltaBatch } from '../../../src/memory/types';
import { memoryContribution } from '../../../src/share/contribution';
import { memoryTeam } from '../../../src/share/memoryTeam';
import { encodeLoggedBatch, readLoggedBatch } from '../../../src/share/batchFormat';
import { loadOrCreateWriterKey, type WriterKey } from '../../../src/share/writerKey';
import { encodeDeltas } from '../../../src/memory';
import { ByteWriter, checksum32 } from '../../../src/memory/binary';
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as path from 'node:path';
import { ENTRIES_PER_BATCH } from '../../../src/share/deltaLog';
import { ShareSession } from '../../../src/share/session';
import type { Invite } from '../../../src/share/invite';
import type { ShareLimits } from '../../../src/share/limits';
import { syntheticBatch } from './synthetic';

type Command =
  | { id: number; cmd: 'start'; invite: Invite; writerId: string; name: string; order?: number; limits?: Partial<ShareLimits> }
  | { id: number; cmd: 'publishSnapshot'; count: number; seed: number }
  | { id: number; cmd: 'publish'; batch: DeltaBatch }
  | { id: number; cmd: 'publishText'; text: string }
  | { id: number; cmd: 'raw'; bytes: number[] }
  | { id: number; cmd: 'forge'; victim: string; batch: DeltaBatch }
  | { id: number; cmd: 'deleteBatchesOf'; victim: string }
  | { id: number; cmd: 'setWord'; word: string }
  | { id: number; cmd: 'dropLinks' }
  | { id: number; cmd: 'crashTransport' }
  | { id: number; cmd: 'attack'; kind: AttackKind; count?: number }
  | { id: number; cmd: 'heap' }
  | { id: number; cmd: 'stats'; probes?: string[][] }
  | { id: number; cmd: 'resetLoop' }
  | { id: number; cmd: 'close' };

/** What a hostile peer does (issue 10): each pushes bytes past its own sender-side checks. */
type AttackKind = 'deceptive' | 'unusedTable' | 'junkItems' | 'tinyUpdates' | 'syncRequests' | 'emptyFrames' | 'flood';

let session: ShareSession | undefined;
let key: WriterKey | undefined;
let team: Memory | undefined;
let applyMs = 0;
let startedAt = 0;
/** The event loop's delays (its longest stall) and CPU time, since the start or the last reset. */
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();
let cpuAtReset = process.cpuUsage();

/** The peak RSS of the process running WebRTC for the session (Linux; 0 where unknown). */
function peakRssOf(pid: number | undefined): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

function send(message: object): void {
  process.send?.(message);
}

async function handle(command: Command): Promise<unknown> {
  switch (command.cmd) {
    case 'start': {
      team = new Memory({ order: command.order ?? 6 });
      const memory = team;
      // Times what applying peers' batches costs (the bench reports it).
      const timed =
        <A extends unknown[]>(apply: (...args: A) => void) =>
        (...args: A) => {
          const started = performance.now();
          apply(...args);
          applyMs += performance.now() - started;
        };
      const base = memoryTeam(() => memory);
      const timedTeam = {
        order: memory.order,
        wordCount: base.wordCount,
        stats: base.stats,
        applyDelta: timed(base.applyDelta),
        applyBulkDelta: timed(base.applyBulkDelta!),
      };
      startedAt = Date.now();
      // The writer's persisted key: the same name is the same writer across restarts.
      key = await loadOrCreateWriterKey(path.join(process.env.LN_PEER_KEY_DIR ?? os.tmpdir(), `${command.writerId}.key`));
      session = new ShareSession({
        invite: command.invite,
        writerKey: key,
        user: { name: command.name, color: '#40b0e0', writer: key.id },
        team: timedTeam,
        limits: command.limits,
        publishDelayMs: 5,
      });
      session.on('rejected', (r) => send({ event: 'rejected', reason: r.reason, writer: r.writer }));
      session.on('wrongPassword', (n) => send({ event: 'wrongPassword', count: n }));
      session.on('signaling', (s) => send({ event: 'signaling', status: s, at: Date.now() }));
      session.on('linkReset', () => send({ event: 'linkReset' }));
      session.on('transportRestarted', (reason) => send({ event: 'transportRestarted', reason }));
      session.on('synced', (synced) => send({ event: 'synced', synced, at: Date.now() }));
      session.on('peers', (p) => send({ event: 'peers', peers: p, at: Date.now() }));
      session.on('teamChanged', () => send({ event: 'teamChanged', at: Date.now() }));
      session.start();
      return { ok: true, writer: key.id };
    }
    case 'publishSnapshot': {
      const batch = syntheticBatch(command.count, command.seed);
      const started = Date.now();
      const report = await session!.publishSnapshot(batch);
      return { at: started, bytes: session!.encodeState().byteLength, report };
    }
    case 'publishText': {
      // What an editor does on joining: publish its memory learned from its files.
      const local = new Memory();
      local.setDocument('notes.md', command.text);
      await session!.publishSnapshot(memoryContribution(local));
      return { ngrams: local.stats().ngrams };
    }
    case 'publish':
      session!.publish(command.batch);
      session!.flush();
      return { at: Date.now() };
    case 'raw':
      // A hostile writer: pushes arbitrary bytes straight into the shared log.
      session!.log.array.push([new Uint8Array(command.bytes)]);
      return { ok: true };
    case 'forge': {
      // A hostile writer: a batch under the victim's id and public key, signed with its own key,
      // claiming to supersede everything the victim wrote.
      const victim = session!.log.batches().find((batch) => batch.writer === command.victim);
      if (!victim) throw new Error(`no batch of ${command.victim} to take the key from`);
      const forger: WriterKey = { ...key!, id: victim.writer, publicKey: victim.publicKey };
      const everything = Number.MAX_SAFE_INTEGER - 1;
      session!.log.array.push([encodeLoggedBatch(forger, 'snapshot', encodeDeltas(command.batch), { seq: everything, floor: everything, dead: [] })]);
      return { ok: true };
    }
    case 'deleteBatchesOf': {
      // A hostile peer: deletes another writer's batches from the shared log (any peer can).
      const array = session!.log.array;
      let deleted = 0;
      session!.doc.transact(() => {
        for (let i = array.length - 1; i >= 0; i--) {
          const bytes = array.get(i);
          try {
            if (readLoggedBatch(bytes).writer !== command.victim) continue;
          } catch {
            continue;
          }
          array.delete(i, 1);
          deleted++;
        }
      });
      return { deleted };
    }
    case 'attack':
      return attack(command.kind, command.count ?? 1);
    case 'heap':
      (globalThis as { gc?: () => void }).gc?.();
      // Typed arrays' backing stores (the log's batches) are outside the JS heap: count them too.
      return { heapUsed: process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers };
    case 'dropLinks': {
      // Destroys every WebRTC link at once (both ends doing this together is the glare case).
      const room = (session as unknown as { provider: { room: { webrtcConns: Map<string, { peer: { destroy(): void } }> } } }).provider.room;
      const links = [...room.webrtcConns.values()];
      for (const link of links) link.peer.destroy();
      return { dropped: links.length };
    }
    case 'crashTransport': {
      // What the native WebRTC module's send/close race does to the process that runs it.
      const pid = session!.transportPid;
      if (!pid) throw new Error('no WebRTC process');
      process.kill(pid, 'SIGSEGV');
      return { pid };
    }
    case 'setWord':
      session!.setWord(command.word);
      return { ok: true };
    case 'stats': {
      const stats = team!.stats();
      return {
        ngrams: stats.ngrams,
        tokens: stats.tokens,
        vocabulary: stats.vocabulary,
        batches: session!.teamBatchCount,
        logBatches: session!.log.batches().map((batch) => batch.writer),
        peers: session!.peers(),
        signaling: session!.signaling(),
        transportPid: session!.transportPid,
        transportPeakRssMB: peakRssOf(session!.transportPid),
        probes: (command.probes ?? []).map((ngram) => team!.count(ngram)),
        rssMB: process.memoryUsage().rss / 1e6,
        peakRssMB: process.resourceUsage().maxRSS / 1024,
        applyMs,
        startedAt,
        maxStallMs: loopDelay.max / 1e6,
        cpuMs: cpuSince(cpuAtReset),
      };
    }
    case 'resetLoop':
      // Starts measuring the longest event-loop stall and the CPU time afresh.
      loopDelay.reset();
      cpuAtReset = process.cpuUsage();
      return { ok: true };
    case 'close':
      await session?.close();
      setImmediate(() => process.exit(0));
      return { ok: true };
  }
}

function cpuSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
}

/** Each open data channel to another peer, as y-webrtc holds it, and its framing layer's raw channel. */
function channels(): { send(bytes: Uint8Array): void; raw: { readyState: string; send(bytes: Uint8Array): void } }[] {
  const room = (session as unknown as { provider: { room: { webrtcConns: Map<string, { peer: { _channel: any } }> } } }).provider.room;
  return [...room.webrtcConns.values()].map((link) => link.peer._channel).filter((channel) => channel?.readyState === 'open');
}

async function attack(kind: AttackKind, count: number): Promise<unknown> {
  const log = session!.log;
  switch (kind) {
    case 'deceptive': {
      // Signed by our own key, past the sender's filter: bidi, zero-width and a 256-character token after an ordinary prefix.
      const tokens = ['admin\u202e', 'pass\u200bword', 'x'.repeat(256)];
      log.append({ entries: tokens.map((token) => ({ ngram: ['const', token], delta: 50 })) });
      return { ok: true };
    }
    case 'unusedTable': {
      // Signed batches of one entry carrying a table of 200k strings no entry uses.
      const table = ['used', ...Array.from({ length: 200_000 }, (_, i) => `t${i}`)];
      for (let i = 0; i < count; i++) {
        const payload = rawPayload(table, [{ tokens: [0], delta: 1 }]);
        log.array.push([encodeLoggedBatch(key!, 'delta', payload, { seq: Date.now() * 1000 + i, floor: 0, dead: [] })]);
      }
      return { ok: true };
    }
    case 'junkItems':
      // One update of `count` 10-byte items that are not batches.
      log.array.push(Array.from({ length: count }, (_, i) => new Uint8Array(10).fill(i & 0xff)));
      return { ok: true };
    case 'tinyUpdates':
      // `count` updates, each one small signed batch, as fast as they go.
      for (let i = 0; i < count; i++) log.append({ entries: [{ ngram: [`tiny${i}`], delta: 1 }] });
      return { ok: true };
    case 'syncRequests': {
      // Four-byte sync requests (sync step 1 of an empty document), each asking for the whole log.
      const request = new Uint8Array([0, 0, 1, 0]);
      for (const channel of channels()) for (let i = 0; i < count; i++) channel.send(request);
      return { ok: true };
    }
    case 'flood': {
      // For `count` seconds, at what honest peers admit (a few items a second, each a big valid
      // batch, up to the log's caps): every 100 ms a signed batch of ENTRIES_PER_BATCH new n-grams
      // of new words (counted, until the team caps refuse them), one of as many negative entries
      // for n-grams nobody has (dropped by the team layer), and a sync request on every link
      // (answered with the whole log at the per-link rate, the rest dropped).
      const until = Date.now() + count * 1000;
      let batches = 0;
      let requests = 0;
      for (let tick = 0; Date.now() < until; tick++) {
        log.append({ entries: Array.from({ length: ENTRIES_PER_BATCH }, (_, i) => ({ ngram: [`f${tick}x${i}`, `g${i % 97}`], delta: 1 })) });
        log.append({ entries: Array.from({ length: ENTRIES_PER_BATCH }, (_, i) => ({ ngram: [`h${tick}x${i}`], delta: -1 })) });
        batches += 2;
        for (const channel of channels()) {
          channel.send(new Uint8Array([0, 0, 1, 0]));
          requests++;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return { batches, requests };
    }
    case 'emptyFrames': {
      // Frames with no payload that never end a message, straight onto the data channel, one per
      // turn of the event loop. The honest end closes the link at the first frame, and the native
      // module races its own close: its signaling thread drops the channel while a send on the main
      // thread is using it (RTCDataChannel::Send, SIGSEGV in this process). Each turn lets the close
      // be seen first, so few sends meet a closing channel.
      let sent = 0;
      for (const channel of channels()) {
        try {
          for (let i = 0; i < count && channel.raw.readyState === 'open'; i++, sent++) {
            channel.raw.send(new Uint8Array([0]));
            await new Promise((resolve) => setImmediate(resolve));
          }
        } catch {
          // The other end closed the link.
        }
      }
      return { sent };
    }
  }
}

/** A delta payload in the wire format with the given string table and entries (token indices). */
function rawPayload(table: string[], entries: { tokens: number[]; delta: number }[]): Uint8Array {
  const w = new ByteWriter();
  for (const b of [0x4c, 0x4e, 0x44, 0x42, 1]) w.u8(b);
  w.varint(table.length);
  for (const t of table) w.string(t);
  w.varint(entries.length);
  for (const e of entries) {
    w.varint(e.tokens.length);
    for (const t of e.tokens) w.varint(t);
    w.zigzag(e.delta);
  }
  w.u32(checksum32(w.finish()));
  return w.finish();
}

process.on('message', (command: Command) => {
  handle(command).then(
    (result) => send({ id: command.id, result }),
    (error: Error) => send({ id: command.id, error: error.stack ?? error.message }),
  );
});
process.on('unhandledRejection', (reason) => {
  send({ event: 'unhandledRejection', reason: String(reason) });
});
process.on('disconnect', () => process.exit(0));
send({ event: 'ready' });
