// The headless seed's own contribution, offline (signaling unreachable): a learned folder goes into
// the log as a snapshot of its chunks, a watched change publishes only the chunks it touched, a
// removed file's chunks are removed; the saved team memory is an indexed memory.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isIndexedMemory } from '../../../src/memory/indexedCodec';
import { payloadOf } from '../../../src/share/batchFormat';
import { HeadlessPeer } from '../../../src/share/headlessPeer';
import { createInvite } from '../../../src/share/invite';
import type { ShareSession } from '../../../src/share/session';
import { decodeTextBatch, recordTokens } from '../../../src/share/textBatch';
import { waitUntil } from '../../integration/share/harness';

/** Every record in our log, in log order, with its batch's kind. */
function records(session: ShareSession): Array<{ kind: string; key: string; tokens: string[] }> {
  const limits = { maxRecords: 1e9, maxTokens: 1e9, maxTokenLength: 1e9 };
  const out: Array<{ kind: string; key: string; tokens: string[] }> = [];
  for (const batch of session.log.batches().sort((x, y) => x.seq - y.seq)) {
    const bulk = decodeTextBatch(payloadOf(batch), limits);
    for (let i = 0; i < bulk.count; i++) out.push({ kind: batch.kind, key: bulk.keys[i], tokens: recordTokens(bulk, i) });
  }
  return out;
}

describe('share/headless peer', function () {
  this.timeout(60_000);

  it('publishes a learned folder, then only the chunks a watched change touched', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ln-headless-'));
    const folder = path.join(dir, 'team');
    const memoryFile = path.join(dir, 'team.bin');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'a.md'), 'the amber falcon circles the tower\n');
    writeFileSync(path.join(folder, 'b.md'), 'the northern tower stands\n');
    const lines: string[] = [];
    const peer = await HeadlessPeer.start({
      invite: createInvite(['ws://127.0.0.1:9']),
      // Through a relay that is not there: y-webrtc leaves a BroadcastChannel open when a session
      // with a password closes (its goodbye is published after it closed the channel), which would
      // keep this test's process alive; the CLI ends its process after stopping for that reason.
      relay: 'ws://127.0.0.1:9',
      memoryFile,
      user: { name: 'seed', color: '#8080ff' },
      learn: folder,
      watchMs: 100,
      log: (line) => lines.push(line),
    });
    try {
      const first = records(peer.session);
      assert.equal(first.length, 2, JSON.stringify(first));
      assert.ok(first.every((r) => r.kind === 'snapshot'));
      assert.ok(first.some((r) => r.tokens.join(' ').includes('amber falcon')));
      // A change to one file: one record, for its chunk, with the new text.
      await new Promise((resolve) => setTimeout(resolve, 20)); // a new modification time
      writeFileSync(path.join(folder, 'a.md'), 'the amber falcon lands on the tower\n');
      await waitUntil(() => records(peer.session).length > 2, 20_000, `the change was not published: ${lines.join('\n')}`);
      // Chunk ids follow their text (the learner's chunking): the old chunk goes, the new one comes.
      const changed = records(peer.session).slice(2);
      const keyOfA = first.find((r) => r.tokens.includes('circles'))!.key;
      const keyOfB = first.find((r) => r.tokens.includes('northern'))!.key;
      assert.ok(changed.every((r) => r.kind === 'delta'));
      assert.deepEqual(changed.filter((r) => r.tokens.length === 0).map((r) => r.key), [keyOfA], JSON.stringify(changed));
      assert.deepEqual(changed.filter((r) => r.tokens.length > 0).map((r) => r.tokens.join(' ')), ['the amber falcon lands on the tower \n']);
      assert.ok(!changed.some((r) => r.key === keyOfB), 'the unchanged file is not published again');
      // A removed file: its chunk removed.
      const before = records(peer.session).length;
      unlinkSync(path.join(folder, 'b.md'));
      await waitUntil(() => records(peer.session).length > before, 20_000, 'the removal was not published');
      const removed = records(peer.session).slice(before);
      assert.deepEqual(removed.map((r) => [r.key, r.tokens]), [[keyOfB, []]]);
    } finally {
      await peer.stop();
    }
    // Saved: the log, and the team memory as an indexed memory (empty: no peer was reached).
    assert.ok(isIndexedMemory(readFileSync(memoryFile).subarray(0, 4)));
    assert.ok(readFileSync(`${memoryFile}.teamlog`).byteLength > 0);
    rmSync(dir, { recursive: true, force: true });
  });
});
