// A writer's snapshot within its share of the log: documents in order until the budget is full,
// each whole; the report says how much of how much was shared; secrets and unshareable tokens are
// cut before anything is logged; keys hide the document ids; and the budget follows the log cap.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { tokenize } from '../../../src/memory';
import { DEFAULT_LIMITS, tunedShareLimits, withLimits } from '../../../src/share/limits';
import { payloadOf } from '../../../src/share/batchFormat';
import { createInvite } from '../../../src/share/invite';
import { ShareSession } from '../../../src/share/session';
import { BYTES_PER_BATCH } from '../../../src/share/deltaLog';
import { SNAPSHOT_GROUP_BYTES, type TextSnapshotSource } from '../../../src/share/snapshotBudget';
import { decodeTextBatch, encodeTextBatch, estimatedRecordBytes, recordTokens, type TextRecord } from '../../../src/share/textBatch';
import { TeamMemory } from '../../../src/share/teamMemory';
import { newWriterKey } from '../../../src/share/writerKey';

const MiB = 1024 * 1024;
const root = path.resolve(__dirname, '../../..');

/** This repository's engine and share sources as documents of tokens: real code. */
function realDocuments(): Array<{ id: string; tokens: string[] }> {
  const out: Array<{ id: string; tokens: string[] }> = [];
  for (const dir of ['src/memory', 'src/share']) {
    for (const name of readdirSync(path.join(root, dir)).sort()) {
      if (name.endsWith('.ts')) out.push({ id: `${dir}/${name}`, tokens: tokenize(readFileSync(path.join(root, dir, name), 'utf8')) });
    }
  }
  return out;
}

function sourceOf(documents: Array<{ id: string; tokens: string[] }>): TextSnapshotSource {
  return {
    documents: documents.length,
    tokens: documents.reduce((n, doc) => n + doc.tokens.length, 0),
    chunks: async function* () {
      for (let i = 0; i < documents.length; i += 5) yield documents.slice(i, i + 5);
    },
  };
}

function newSession(limits = {}): ShareSession {
  return new ShareSession({
    invite: createInvite(['ws://127.0.0.1:9']),
    writerKey: newWriterKey(),
    user: { name: 'a', color: '#40b0e0' },
    team: new TeamMemory(),
    limits,
  });
}

/** Every record our log holds, in log order. */
function loggedRecords(session: ShareSession): Array<{ key: string; tokens: string[] }> {
  const limits = { maxRecords: 1e9, maxTokens: 1e9, maxTokenLength: 1e9 };
  const out: Array<{ key: string; tokens: string[] }> = [];
  for (const batch of session.log.batches()) {
    const bulk = decodeTextBatch(payloadOf(batch), limits);
    for (let i = 0; i < bulk.count; i++) out.push({ key: bulk.keys[i], tokens: recordTokens(bulk, i) });
  }
  return out;
}

describe('share/snapshot budget', () => {
  const documents = realDocuments();
  const tokens = documents.reduce((n, doc) => n + doc.tokens.length, 0);

  it('estimates at least what the encoding of real code takes', () => {
    const records: TextRecord[] = documents.map((doc, i) => ({ key: i.toString(16).padStart(32, '0'), tokens: doc.tokens }));
    const encoded = encodeTextBatch({ records }).byteLength;
    const estimated = records.reduce((sum, record) => sum + estimatedRecordBytes(record), 0);
    assert.ok(encoded <= estimated, `encoded ${encoded}, estimated ${estimated}`);
    // What a token of code costs in the log, for the budget's comment and the figures in the design.
    assert.ok(encoded / tokens < 4, `${(encoded / tokens).toFixed(2)} bytes per token`);
  });

  it('publishes a memory that fits whole, every document, and says so', async () => {
    const session = newSession();
    try {
      const report = (await session.publishSnapshotChunks(sourceOf(documents)))!;
      assert.deepEqual({ ...report, bytes: 0 }, { documents: documents.length, totalDocuments: documents.length, tokens, totalTokens: tokens, bytes: 0, budgetBytes: DEFAULT_LIMITS.maxSnapshotBytes, cut: false });
      assert.equal(report.bytes, session.log.size().bytes);
      const logged = loggedRecords(session);
      assert.equal(logged.length, documents.length);
      // Keys are keyed hashes: no path in the log.
      assert.ok(logged.every((record) => /^[0-9a-f]{32}$/.test(record.key)));
      assert.ok(!Buffer.from(session.encodeState()).toString('latin1').includes('src/share/'), 'a document id reached the log');
      assert.deepEqual(
        logged.map((record) => record.tokens.length),
        documents.map((doc) => doc.tokens.length),
      );
    } finally {
      await session.close();
    }
  });

  it('fills the budget with documents in order, each whole, and stops there', async () => {
    // A 64 KiB log: a snapshot's share is 16 KiB, a small part of these sources.
    const session = newSession({ maxLogBytes: 64 * 1024 });
    try {
      const report = (await session.publishSnapshotChunks(sourceOf(documents)))!;
      assert.ok(report.cut, JSON.stringify(report));
      assert.equal(report.budgetBytes, 16 * 1024);
      assert.ok(report.bytes <= 16 * 1024 && report.bytes > 8 * 1024, `the budget is filled: ${report.bytes} bytes`);
      assert.ok(report.documents > 0 && report.documents < documents.length, JSON.stringify(report));
      assert.equal(report.tokens, documents.slice(0, report.documents).reduce((n, doc) => n + doc.tokens.length, 0), 'the first documents, in order');
      const logged = loggedRecords(session);
      // Whole documents, in order (a token the sender withholds, such as 'NEWLINE', which is not
      // one token of ordinary text, stands as a cut in its place).
      const sent = documents.slice(0, report.documents);
      assert.equal(logged.length, sent.length);
      logged.forEach((record, i) => assert.deepEqual(record.tokens, sent[i].tokens.map((token, k) => (record.tokens[k] === '' ? '' : token)), sent[i].id));
    } finally {
      await session.close();
    }
  });

  it('gathers records into groups of about SNAPSHOT_GROUP_BYTES (a few logged batches, not one per document)', async () => {
    const many = Array.from({ length: 3000 }, (_, i) => ({ id: `f${i}`, tokens: tokenize(`const v${i} = compute(${i}, other${i % 17});`) }));
    const session = newSession();
    try {
      await session.publishSnapshotChunks(sourceOf(many));
      const estimated = many.reduce((n, doc) => n + estimatedRecordBytes({ key: '', tokens: doc.tokens }), 0);
      // Each group is split at the log's per-batch size: a group ends at most one batch early.
      const most = Math.ceil(estimated / BYTES_PER_BATCH) + Math.ceil(estimated / SNAPSHOT_GROUP_BYTES) + 1;
      assert.ok(session.log.size().batches <= most, `${session.log.size().batches} batches`);
    } finally {
      await session.close();
    }
  });

  it('cuts secrets and unshareable tokens before anything is logged, and publishes document changes', async () => {
    const session = newSession();
    const secret = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
    const long = 'x'.repeat(DEFAULT_LIMITS.maxTokenLength + 1);
    try {
      const doc = tokenize(`const token = "${secret}";\nconst name = "${long}";\nreturn token;`);
      assert.ok(doc.includes(secret) && doc.includes(long));
      await session.publishSnapshot([{ id: 'a.ts', tokens: doc }]);
      const [record] = loggedRecords(session);
      assert.ok(!record.tokens.includes(secret) && !record.tokens.includes(long), record.tokens.join(' '));
      assert.ok(record.tokens.includes(''), 'a cut stands where they were');
      assert.ok(record.tokens.includes('return') && record.tokens.includes('name'), 'the rest is shared');
      // A change, then a removal: the latest per document wins within the gathering delay.
      session.publishDocuments([{ id: 'b.ts', tokens: ['let', 'x'] }]);
      session.publishDocuments([{ id: 'b.ts', tokens: ['let', 'y'] }, { id: 'a.ts', tokens: undefined }]);
      session.flush();
      const records = loggedRecords(session);
      assert.equal(records.length, 3);
      assert.deepEqual(records[1].tokens, ['let', 'y']);
      assert.equal(records[2].key, record.key, 'the removal names the same chunk');
      assert.deepEqual(records[2].tokens, [], 'a removal has no tokens');
    } finally {
      await session.close();
    }
  });

  it('is a quarter of the log unless set, and never more than the log', () => {
    assert.equal(withLimits().maxSnapshotBytes, DEFAULT_LIMITS.maxLogBytes / 4);
    assert.equal(withLimits({ maxLogBytes: 8 * MiB }).maxSnapshotBytes, 2 * MiB);
    assert.equal(withLimits({ maxLogBytes: 8 * MiB, maxSnapshotBytes: 6 * MiB }).maxSnapshotBytes, 6 * MiB);
    assert.equal(withLimits({ maxLogBytes: 8 * MiB, maxSnapshotBytes: 32 * MiB }).maxSnapshotBytes, 8 * MiB);
    const tuned = tunedShareLimits({ maxLogMB: 8, maxSnapshotMB: 32 });
    assert.equal(tuned.values.maxSnapshotBytes, 8 * MiB);
    assert.ok(tuned.notes.some((note) => note.startsWith('maxSnapshotMB: lowered to maxLogMB')));
  });
});
