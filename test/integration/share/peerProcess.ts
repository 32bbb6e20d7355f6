// One peer of the integration tests: a separate Node process running the real session code (the
// same ShareSession the extension host and the headless peer use), driven over IPC by the test.
import { tokenize } from '../../../src/memory';
import { encodeLoggedBatch, payloadOf, readLoggedBatch } from '../../../src/share/batchFormat';
import { loadOrCreateWriterKey, type WriterKey } from '../../../src/share/writerKey';
import { readFileSync } from 'node:fs';
import * as encoding from 'lib0/encoding';
import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as path from 'node:path';
import { ShareSession } from '../../../src/share/session';
import type { Invite } from '../../../src/share/invite';
import { DEFAULT_LIMITS, type ShareLimits } from '../../../src/share/limits';
import { TeamMemory } from '../../../src/share/teamMemory';
import { decodeTextBatch, encodeTextBatch, recordTokens, type TextRecord } from '../../../src/share/textBatch';
import { syntheticDocuments } from './synthetic';

/** A local document's new text (tokenized here), its tokens, or its removal (neither). */
export interface DocumentEdit {
  id: string;
  text?: string;
  tokens?: string[];
}

type Command =
  | { id: number; cmd: 'start'; invite: Invite; writerId: string; name: string; order?: number; limits?: Partial<ShareLimits> }
  | { id: number; cmd: 'publishSnapshot'; tokens: number; seed: number }
  | { id: number; cmd: 'publish'; documents: DocumentEdit[] }
  | { id: number; cmd: 'publishText'; text: string }
  | { id: number; cmd: 'compact' }
  | { id: number; cmd: 'raw'; bytes: number[] }
  | { id: number; cmd: 'forge'; victim: string; records: Array<{ key?: string; tokens: string[] }> }
  | { id: number; cmd: 'deleteBatchesOf'; victim: string }
  | { id: number; cmd: 'capture'; victim: string }
  | { id: number; cmd: 'replay' }
  | { id: number; cmd: 'overwrite'; victim: string; tokens: string[] }
  | { id: number; cmd: 'teamText'; writer: string }
  | { id: number; cmd: 'setWord'; word: string }
  | { id: number; cmd: 'dropLinks' }
  | { id: number; cmd: 'crashTransport' }
  | { id: number; cmd: 'attack'; kind: AttackKind; count?: number; words?: number }
  | { id: number; cmd: 'heap' }
  | { id: number; cmd: 'stats'; probes?: string[][] }
  | { id: number; cmd: 'resetLoop' }
  | { id: number; cmd: 'close' };

/** What a hostile peer does (issue 10): each pushes bytes past its own sender-side checks. */
type AttackKind = 'deceptive' | 'unusedTable' | 'junkItems' | 'tinyUpdates' | 'syncRequests' | 'emptyFrames' | 'flood';

let session: ShareSession | undefined;
let key: WriterKey | undefined;
let team: TeamMemory | undefined;
/** A victim's batches as they were in the log (capture), to push back later (replay). */
let captured: Uint8Array[] = [];
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
      team = new TeamMemory({
        order: command.order ?? 6,
        // The team memory counts what the layer hands it a moment later (small changes gathered
        // while the layer is busy, a bulk change after an index build): when its text can be
        // read, what timings wait for ('teamChanged' is the layer's hand-over).
        onChanged: () => send({ event: 'teamCounted', at: Date.now() }),
        onError: (error) => send({ event: 'rejected', reason: `team build failed: ${error.message}`, writer: '?' }),
      });
      const memory = team;
      // Times what handing peers' chunks to the team memory costs on this thread (the bench reports it).
      const timedTeam = {
        get order() {
          return memory.order;
        },
        wordCount: (word: string) => memory.wordCount(word),
        stats: () => memory.stats(),
        setDocument(id: string, tokens: readonly string[] | undefined) {
          const started = performance.now();
          memory.setDocument(id, tokens);
          applyMs += performance.now() - started;
        },
        writersOf: (ngram: readonly string[], limit?: number) => memory.writersOf(ngram, limit),
        whenIdle: () => memory.whenIdle(),
        settle: () => memory.settle(),
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
      const documents = syntheticDocuments(command.tokens, command.seed);
      const started = Date.now();
      const report = await session!.publishSnapshot(documents);
      return { at: started, bytes: session!.encodeState().byteLength, report };
    }
    case 'publishText': {
      // What an editor does on joining: publish its memory's documents, learned from its files.
      const tokens = tokenize(command.text);
      await session!.publishSnapshot([{ id: 'notes.md', tokens }]);
      return { tokens: tokens.length };
    }
    case 'publish':
      session!.publishDocuments(command.documents.map((doc) => ({ id: doc.id, tokens: doc.tokens ?? (doc.text === undefined ? undefined : tokenize(doc.text)) })));
      session!.flush();
      return { at: Date.now() };
    case 'compact':
      // Folds our batches into a snapshot that supersedes them all (what a long session does).
      session!.log.compact(true);
      return { ok: true };
    case 'teamText': {
      // The text the team memory holds of a writer, each document's tokens, sorted: what it must hold exactly.
      await team!.whenIdle();
      const texts = team!.documentsOf(command.writer).map((id) => (team!.live.documentTokens(id) ?? []).join(' '));
      return { texts: texts.sort(), tokens: team!.stats().tokens };
    }
    case 'raw':
      // A hostile writer: pushes arbitrary bytes straight into the shared log.
      session!.log.array.push([new Uint8Array(command.bytes)]);
      return { ok: true };
    case 'forge': {
      // A hostile writer: a batch under the victim's id and public key, signed with its own key,
      // claiming to supersede everything the victim wrote (and with the victim's keys, to replace its chunks).
      const victim = session!.log.batches().find((batch) => batch.writer === command.victim);
      if (!victim) throw new Error(`no batch of ${command.victim} to take the key from`);
      const forger: WriterKey = { ...key!, id: victim.writer, publicKey: victim.publicKey };
      const everything = Number.MAX_SAFE_INTEGER - 1;
      const keys = keysOf(command.victim);
      const records = command.records.map((record, i) => ({ key: record.key ?? keys[i] ?? randomKey(), tokens: record.tokens }));
      session!.log.array.push([encodeLoggedBatch(forger, 'snapshot', encodeTextBatch({ records }), { seq: everything, floor: everything, dead: [] })]);
      return { ok: true };
    }
    case 'overwrite': {
      // A hostile writer, under its own genuine key: records with the victim's chunk keys, half of
      // them removals and half new text, as if a writer could reach another's chunks by key.
      const keys = keysOf(command.victim);
      const records: TextRecord[] = keys.map((key, i) => ({ key, tokens: i % 2 === 0 ? [] : command.tokens }));
      session!.log.append({ records });
      return { keys: keys.length };
    }
    case 'capture':
      // Remembers the victim's batches as they are now, to replay them once it has moved on.
      captured = session!.log.batches().filter((batch) => batch.writer === command.victim).map((batch) => batch.bytes);
      return { batches: captured.length };
    case 'replay':
      session!.log.array.push(captured);
      return { batches: captured.length };
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
      return attack(command.kind, command.count ?? 1, command.words);
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
        documents: stats.documents,
        teamIdle: team!.idle,
        teamBytes: team!.bytes,
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

async function attack(kind: AttackKind, count: number, words?: number): Promise<unknown> {
  const log = session!.log;
  switch (kind) {
    case 'deceptive': {
      // Signed by our own key, past the sender's filter: bidi, zero-width and a 256-character token after an ordinary prefix.
      const tokens = ['const', 'admin\u202e', 'const', 'pass\u200bword', 'const', 'x'.repeat(256)];
      log.append({ records: [{ key: randomKey(), tokens }] });
      return { ok: true };
    }
    case 'unusedTable': {
      // Signed batches of one record carrying a table of 200k strings no record uses.
      const table = ['used', ...Array.from({ length: 200_000 }, (_, i) => `t${i}`)];
      for (let i = 0; i < count; i++) {
        const payload = rawPayload(table, [{ key: randomKey(), tokens: [1] }]);
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
      for (let i = 0; i < count; i++) log.append({ records: [{ key: randomKey(), tokens: [`tiny${i}`] }] });
      return { ok: true };
    case 'syncRequests': {
      // Four-byte sync requests (sync step 1 of an empty document), each asking for the whole log.
      const request = new Uint8Array([0, 0, 1, 0]);
      for (const channel of channels()) for (let i = 0; i < count; i++) channel.send(request);
      return { ok: true };
    }
    case 'flood': {
      // For `count` seconds, at what honest peers admit (a few items a second, each a big valid
      // batch, up to the log's caps): every 100 ms a signed batch at the per-batch caps of new
      // chunks of new words (`words` distinct a batch; taken until the team memory's caps refuse
      // them), one removing and rewriting chunks that are not there, and a sync request on every
      // link (answered with the whole log at the per-link rate, the rest dropped).
      const until = Date.now() + count * 1000;
      const perBatch = Math.min(DEFAULT_LIMITS.maxRecordsPerBatch, 200);
      const perRecord = Math.floor(Math.min(DEFAULT_LIMITS.maxTokensPerBatch, 200_000) / perBatch);
      const distinct = words ?? 5000;
      let batches = 0;
      let requests = 0;
      for (let tick = 0; Date.now() < until; tick++) {
        const records: TextRecord[] = Array.from({ length: perBatch }, (_, r) => ({
          key: randomKey(),
          tokens: Array.from({ length: perRecord }, (_, i) => `f${tick}x${(r * perRecord + i) % distinct}`),
        }));
        log.append({ records });
        log.append({ records: Array.from({ length: perBatch }, (_, r) => ({ key: randomKey(), tokens: r % 2 === 0 ? [] : ['ghost', `g${r}`] })) });
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

/** A text payload in the wire format (textBatch.ts) with the given string table and records (table index + 1 each; 0 a cut). */
function rawPayload(table: string[], records: { key: string; tokens: number[] }[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, table.length);
  for (const word of table) encoding.writeVarString(encoder, word);
  encoding.writeVarUint(encoder, records.length);
  for (const record of records) {
    encoding.writeUint8Array(encoder, Buffer.from(record.key, 'hex'));
    encoding.writeVarUint(encoder, record.tokens.length);
    for (const t of record.tokens) encoding.writeVarUint(encoder, t);
  }
  return encoding.toUint8Array(encoder);
}

function randomKey(): string {
  return randomBytes(16).toString('hex');
}

/** The chunk keys the victim's batches in the log name (read as any peer can). */
function keysOf(victim: string): string[] {
  const limits = { maxRecords: DEFAULT_LIMITS.maxRecordsPerBatch, maxTokens: DEFAULT_LIMITS.maxTokensPerBatch, maxTokenLength: DEFAULT_LIMITS.maxTokenLength };
  const keys = new Set<string>();
  for (const batch of session!.log.batches()) {
    if (batch.writer !== victim) continue;
    try {
      const bulk = decodeTextBatch(payloadOf(batch), limits);
      for (let i = 0; i < bulk.count; i++) if (recordTokens(bulk, i).length > 0) keys.add(bulk.keys[i]);
    } catch {
      // Not a batch the victim could have written.
    }
  }
  return [...keys];
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
