// A writer never appends past the log's caps: every peer refuses such a log and closes the link
// that brought it, so the writer would cut itself off and churn everyone's links. Our own deltas
// are folded to make room; when there is none, our changes wait (reported once) and nothing is lost.
import { strict as assert } from 'node:assert';
import { Memory } from '../../../src/memory';
import type { DeltaBatch } from '../../../src/memory/types';
import { decodeDeltas } from '../../../src/memory';
import { payloadOf } from '../../../src/share/batchFormat';
import { sumBatches } from '../../../src/share/deltaMath';
import { createInvite } from '../../../src/share/invite';
import { memoryTeam } from '../../../src/share/memoryTeam';
import { ShareSession } from '../../../src/share/session';
import { newWriterKey } from '../../../src/share/writerKey';

const KiB = 1024;

function session(limits: Record<string, number>): ShareSession {
  const team = new Memory();
  return new ShareSession({
    invite: createInvite(['ws://127.0.0.1:9']),
    writerKey: newWriterKey(),
    user: { name: 'a', color: '#40b0e0' },
    team: memoryTeam(() => team),
    limits,
    compactAfterBatches: 10_000, // only the room decides when our deltas are folded here
  });
}

const words = (n: number, prefix: string, delta = 1): DeltaBatch => ({
  entries: Array.from({ length: n }, (_, i) => ({ ngram: [`${prefix}${i}`, `next${i % 17}`], delta })),
});

/** What our batches in the log add up to, by n-gram. */
function logged(s: ShareSession): Map<string, number> {
  const sum = sumBatches(s.log.batches().map((batch) => decodeDeltas(payloadOf(batch))));
  return new Map(sum.entries.map((entry) => [entry.ngram.join(' '), entry.delta]));
}

describe('share/a writer within the log caps', () => {
  it('folds its own deltas when the log has no room for the next, and never passes the cap', async () => {
    const s = session({ maxLogBytes: 16 * KiB });
    const full: unknown[] = [];
    s.on('logFull', (event) => full.push(event));
    try {
      for (let round = 0; round < 60; round++) {
        s.publish(words(150, 'w'));
        s.flush();
        assert.ok(s.log.size().bytes <= 16 * KiB, `round ${round}: ${s.log.size().bytes} bytes`);
      }
      assert.equal(full.length, 0);
      assert.ok(s.log.size().batches < 60, 'our deltas were folded');
      const sums = logged(s);
      assert.equal(sums.get('w0 next0'), 60);
      assert.equal(sums.get('w149 next13'), 60);
    } finally {
      await s.close();
    }
  });

  it('keeps its changes waiting when the log is full, says so once, and loses none', async () => {
    const s = session({ maxLogBytes: 16 * KiB, maxSnapshotBytes: 16 * KiB });
    const full: unknown[] = [];
    s.on('logFull', (event) => full.push(event));
    try {
      const shared = (await s.publishSnapshot(words(3000, 's', 5)))!;
      assert.ok(shared.bytes <= 16 * KiB && shared.published > 0, JSON.stringify(shared));
      const before = s.log.size();
      s.publish(words(400, 'late'));
      s.flush();
      s.publish(words(400, 'later'));
      s.flush();
      assert.deepEqual(s.log.size(), before, 'nothing was appended past the cap');
      assert.equal(full.length, 1, 'reported once');
      // The waiting changes are all still there, summed, for when the log has room.
      const waiting = (s as unknown as { pending: DeltaBatch[] }).pending;
      const sum = new Map(sumBatches(waiting).entries.map((entry) => [entry.ngram.join(' '), entry.delta]));
      assert.equal(sum.get('late399 next8'), 1);
      assert.equal(sum.get('later0 next0'), 1);
    } finally {
      await s.close();
    }
  });
});
