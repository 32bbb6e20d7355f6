// A writer never appends past the log's caps: every peer refuses such a log and closes the link
// that brought it, so the writer would cut itself off and churn everyone's links. Our own deltas
// are folded to make room; when there is none, our changes wait (reported once) and nothing is lost.
import { strict as assert } from 'node:assert';
import { payloadOf } from '../../../src/share/batchFormat';
import { createInvite } from '../../../src/share/invite';
import { ShareSession } from '../../../src/share/session';
import { TeamMemory } from '../../../src/share/teamMemory';
import { decodeTextBatch, textBatchOf } from '../../../src/share/textBatch';
import { newWriterKey } from '../../../src/share/writerKey';

const KiB = 1024;

function session(limits: Record<string, number>): ShareSession {
  return new ShareSession({
    invite: createInvite(['ws://127.0.0.1:9']),
    writerKey: newWriterKey(),
    user: { name: 'a', color: '#40b0e0' },
    team: new TeamMemory({ order: 3 }),
    limits,
    compactAfterBatches: 10_000, // only the room decides when our deltas are folded here
  });
}

/** `n` documents named `prefix<i>`, each a few tokens that say which round wrote them. */
const documents = (n: number, prefix: string, round = 0) =>
  Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, tokens: [`${prefix}${i}`, 'round', `r${round}`, `next${i % 17}`] }));

/** What our batches in the log say each chunk is (latest seq per key), as text: key -> tokens joined. */
function logged(s: ShareSession): Map<string, string> {
  const latest = new Map<string, { seq: number; text: string }>();
  for (const batch of s.log.batches()) {
    const bulk = decodeTextBatch(payloadOf(batch), { maxRecords: 1e9, maxTokens: 1e9, maxTokenLength: 1e9 });
    for (const record of textBatchOf(bulk).records) {
      const before = latest.get(record.key);
      if (!before || before.seq < batch.seq) latest.set(record.key, { seq: batch.seq, text: record.tokens.join(' ') });
    }
  }
  return new Map([...latest].map(([key, { text }]) => [key, text]));
}

describe('share/a writer within the log caps', () => {
  it('folds its own deltas when the log has no room for the next, and never passes the cap', async () => {
    const s = session({ maxLogBytes: 16 * KiB });
    const full: unknown[] = [];
    s.on('logFull', (event) => full.push(event));
    try {
      for (let round = 0; round < 60; round++) {
        s.publishDocuments(documents(40, 'w', round));
        s.flush();
        assert.ok(s.log.size().bytes <= 16 * KiB, `round ${round}: ${s.log.size().bytes} bytes`);
      }
      assert.equal(full.length, 0);
      assert.ok(s.log.size().batches < 60, 'our deltas were folded');
      const texts = [...logged(s).values()];
      assert.equal(texts.length, 40, 'one record per chunk');
      assert.ok(texts.includes('w0 round r59 next0') && texts.includes('w39 round r59 next5'), 'the latest text of each chunk');
    } finally {
      await s.close();
    }
  });

  it('keeps its changes waiting when the log is full, says so once, and loses none', async () => {
    const s = session({ maxLogBytes: 16 * KiB, maxSnapshotBytes: 16 * KiB });
    const full: unknown[] = [];
    s.on('logFull', (event) => full.push(event));
    try {
      const shared = (await s.publishSnapshot(documents(3000, 's')))!;
      assert.ok(shared.bytes <= 16 * KiB && shared.bytes > 0, JSON.stringify(shared));
      const before = s.log.size();
      s.publishDocuments(documents(400, 'late'));
      s.flush();
      s.publishDocuments(documents(400, 'later'));
      s.flush();
      assert.deepEqual(s.log.size(), before, 'nothing was appended past the cap');
      assert.equal(full.length, 1, 'reported once');
      // The waiting changes are all still there, the latest of each document, for when the log has room.
      const waiting = (s as unknown as { pending: Map<string, readonly string[] | undefined> }).pending;
      assert.equal(waiting.size, 800);
      assert.deepEqual(waiting.get('late399'), ['late399', 'round', 'r0', 'next8']);
      assert.deepEqual(waiting.get('later0'), ['later0', 'round', 'r0', 'next0']);
    } finally {
      await s.close();
    }
  });
});
