// One peer of the integration tests: a separate Node process running the real session code (the
// same ShareSession the extension host and the headless peer use), driven over IPC by the test.
import { Memory } from '../../../src/memory';
import type { DeltaBatch } from '../../../src/memory/types';
import { memoryContribution } from '../../../src/share/contribution';
import { memoryTeam } from '../../../src/share/memoryTeam';
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
  | { id: number; cmd: 'setWord'; word: string }
  | { id: number; cmd: 'dropLinks' }
  | { id: number; cmd: 'stats'; probes?: string[][] }
  | { id: number; cmd: 'close' };

let session: ShareSession | undefined;
let team: Memory | undefined;
let applyMs = 0;
let startedAt = 0;

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
      session = new ShareSession({
        invite: command.invite,
        writerId: command.writerId,
        user: { name: command.name, color: '#40b0e0' },
        team: timedTeam,
        limits: command.limits,
        publishDelayMs: 5,
      });
      session.on('rejected', (r) => send({ event: 'rejected', reason: r.reason, writer: r.writer }));
      session.on('wrongPassword', (n) => send({ event: 'wrongPassword', count: n }));
      session.on('signaling', (s) => send({ event: 'signaling', status: s }));
      session.on('linkReset', () => send({ event: 'linkReset' }));
      session.on('synced', (synced) => send({ event: 'synced', synced, at: Date.now() }));
      session.on('peers', (p) => send({ event: 'peers', peers: p, at: Date.now() }));
      session.on('teamChanged', () => send({ event: 'teamChanged', at: Date.now() }));
      session.start();
      return { ok: true };
    }
    case 'publishSnapshot': {
      const batch = syntheticBatch(command.count, command.seed);
      const started = Date.now();
      await session!.publishSnapshot(batch);
      return { at: started, bytes: session!.encodeState().byteLength };
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
    case 'dropLinks': {
      // Destroys every WebRTC link at once (both ends doing this together is the glare case).
      const room = (session as unknown as { provider: { room: { webrtcConns: Map<string, { peer: { destroy(): void } }> } } }).provider.room;
      const links = [...room.webrtcConns.values()];
      for (const link of links) link.peer.destroy();
      return { dropped: links.length };
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
        peers: session!.peers(),
        signaling: session!.signaling(),
        probes: (command.probes ?? []).map((ngram) => team!.count(ngram)),
        rssMB: process.memoryUsage().rss / 1e6,
        peakRssMB: process.resourceUsage().maxRSS / 1024,
        applyMs,
        startedAt,
      };
    }
    case 'close':
      await session?.close();
      setImmediate(() => process.exit(0));
      return { ok: true };
  }
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
