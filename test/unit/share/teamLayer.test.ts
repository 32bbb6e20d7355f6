// The team layer's invariant, checked against a fresh build: the team memory holds each writer's
// live chunks (not ours, not forgotten ones), whatever hostile writers, forgetting, remembering and
// caps do. (What the writer ledger's tests asked of n-gram counts, asked of text.)
import { strict as assert } from 'node:assert';
import * as Y from 'yjs';
import { encodeLoggedBatch } from '../../../src/share/batchFormat';
import { BatchValidator } from '../../../src/share/batchValidator';
import { DeltaLog } from '../../../src/share/deltaLog';
import { withLimits, type ShareLimits } from '../../../src/share/limits';
import { TeamLayer, type Rejection, type TeamLayerOptions } from '../../../src/share/teamLayer';
import { TeamMemory } from '../../../src/share/teamMemory';
import { rebuildTeamFromLog } from '../../../src/share/offlineTeam';
import { encodeTextBatch, type TextRecord } from '../../../src/share/textBatch';
import { assertTeamHolds, batchOf, keyNamed, keyOf, rec, syncAll, words } from './logPeers';

/** A writer: its log, and its chunks as it published them (the model). */
function writer(name: string) {
  const log = new DeltaLog(new Y.Doc(), keyOf(name));
  const chunks = new Map<string, readonly string[]>();
  const publish = (records: TextRecord[], kind: 'delta' | 'snapshot' = 'delta') => {
    log.append({ records }, kind);
    for (const record of records) {
      if (record.tokens.length > 0) chunks.set(record.key, record.tokens);
      else chunks.delete(record.key);
    }
  };
  return { log, chunks, publish, id: log.writer, doc: log.doc };
}
type Writer = ReturnType<typeof writer>;

function reader(limits: Partial<ShareLimits> = {}, options: TeamLayerOptions = {}) {
  const log = new DeltaLog(new Y.Doc(), keyOf('w-me'));
  const team = new TeamMemory({ order: 3 });
  const rejections: Rejection[] = [];
  const layer = new TeamLayer(team, new BatchValidator(withLimits(limits), team), log.writer, (r) => rejections.push(r), options);
  log.onChange((change) => layer.apply(change));
  return { log, team, rejections, layer, doc: log.doc };
}

function documentsOf(...writers: Writer[]): Map<string, readonly string[]> {
  const documents = new Map<string, readonly string[]>();
  for (const w of writers) for (const [key, tokens] of w.chunks) documents.set(`${w.id}/${key}`, tokens);
  return documents;
}

describe('share/teamLayer: a writer changes only its own text', () => {
  it("does not let a hostile writer remove or change another writer's chunks, even under the same keys", async () => {
    const alice = writer('w-alice');
    const evil = writer('w-evil');
    const me = reader();
    alice.publish([rec('main', 'const answer = 42 ;'), rec('util', 'function helper ( ) { }')]);
    syncAll(alice.doc, me.doc);
    // The attacker names Alice's keys (they are in the log for all to see): removals, rewrites,
    // high seqs and floors, all of them signed by the attacker.
    evil.log.append(batchOf({ key: keyNamed('main'), tokens: [] }, { key: keyNamed('util'), tokens: words('evil text') }));
    // (Its floor supersedes the attacker's first batch: what it names is the attacker's text now.)
    const forged = encodeTextBatch(batchOf({ key: keyNamed('main'), tokens: [] }, { key: keyNamed('util'), tokens: words('evil text') }));
    evil.log.array.push([encodeLoggedBatch(keyOf('w-evil'), 'snapshot', forged, { seq: Number.MAX_SAFE_INTEGER - 1, floor: Number.MAX_SAFE_INTEGER - 1, dead: [] })]);
    syncAll(evil.doc, me.doc);
    await me.layer.whenIdle();
    const expected = documentsOf(alice);
    expected.set(`${evil.id}/${keyNamed('util')}`, words('evil text'));
    assertTeamHolds(me.team, expected);
    assert.equal(me.team.count(words('answer = 42')), 1);
    assert.deepEqual(me.rejections, []);
    assert.deepEqual(me.layer.contributors(['helper']), [alice.id]);
    assert.deepEqual(me.layer.contributors(['evil', 'text']), [evil.id]);
  });

  it('never applies our own batches (our text is the local memory)', async () => {
    const me = reader();
    me.log.append(batchOf(rec('mine', 'my own text')));
    await me.layer.whenIdle();
    assert.equal(me.team.stats().documents, 0);
    assert.equal(me.layer.batchCount, 0);
  });
});

describe('share/teamLayer: forget and remember', () => {
  it('forgets one writer exactly, holds its later batches, and remembers it exactly', async () => {
    const a = writer('w-a');
    const b = writer('w-b');
    const me = reader();
    a.publish([rec('a1', 'shared words here'), rec('a2', 'only a says this')]);
    b.publish([rec('b1', 'shared words there'), rec('b2', 'b alone')]);
    syncAll(a.doc, b.doc, me.doc);
    await me.layer.whenIdle();
    assertTeamHolds(me.team, documentsOf(a, b), 'both');
    assert.deepEqual(me.layer.contributors(['shared', 'words']).sort(), [a.id, b.id].sort());
    me.layer.forget(a.id);
    await me.layer.whenIdle();
    assertTeamHolds(me.team, documentsOf(b), 'a forgotten');
    assert.deepEqual(me.layer.contributors(['shared', 'words']), [b.id]);
    // While forgotten: a changes, removes, compacts.
    a.publish([rec('a1', 'shared words changed'), rec('a2'), rec('a3', 'new from a')]);
    a.log.compact(false);
    syncAll(a.doc, me.doc);
    await me.layer.whenIdle();
    assertTeamHolds(me.team, documentsOf(b), 'a still forgotten');
    const held = me.layer.writers().find((w) => w.writer === a.id)!;
    assert.equal(held.forgotten, true);
    assert.ok(held.held > 0 && held.batches === 0 && held.tokens === 0, JSON.stringify(held));
    me.layer.remember(a.id);
    await me.layer.whenIdle();
    assertTeamHolds(me.team, documentsOf(a, b), 'a remembered: equal to a fresh build of the live chunks');
    assert.deepEqual(me.rejections, []);
    const counted = me.layer.writers().find((w) => w.writer === a.id)!;
    assert.deepEqual({ chunks: counted.chunks, tokens: counted.tokens, forgotten: counted.forgotten }, { chunks: 2, tokens: 6, forgotten: false });
  });

  it('starts with a writer forgotten: its batches are never applied, and a compaction of it while held stays exact', async () => {
    const a = writer('w-a');
    const me = reader({}, { forgotten: [keyOf('w-a').id] });
    a.publish([rec('x', 'x words'), rec('y', 'y words')]);
    syncAll(a.doc, me.doc);
    await me.layer.whenIdle();
    assert.equal(me.team.stats().documents, 0);
    a.publish([rec('x')]);
    a.log.compact(true);
    syncAll(a.doc, me.doc);
    await me.layer.whenIdle();
    assert.equal(me.layer.writers()[0].held, 1, 'the superseded batches are let go');
    me.layer.remember(a.id);
    await me.layer.whenIdle();
    assertTeamHolds(me.team, documentsOf(a));
  });

  it('forget then remember queued together leaves the team memory as it was', async () => {
    const a = writer('w-a');
    const me = reader();
    a.publish([rec('x', 'x words')]);
    syncAll(a.doc, me.doc);
    me.layer.forget(a.id);
    me.layer.remember(a.id);
    await me.layer.whenIdle();
    assertTeamHolds(me.team, documentsOf(a));
  });
});

describe('share/teamLayer: caps', () => {
  it('rejects a batch that would pass maxTeamTokens, counting what its records replace, a chunk or a removal as at least 16 tokens', async () => {
    const a = writer('w-a');
    const me = reader({}, { maxTeamTokens: 40 });
    const text = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}`).join(' ');
    a.publish([rec('one', text(20, 'a'))]);
    syncAll(a.doc, me.doc);
    await me.layer.whenIdle();
    assert.equal(me.layer.tokenCount, 20);
    a.publish([rec('two', text(21, 'b'))]); // 41 in all: refused whole
    syncAll(a.doc, me.doc);
    await me.layer.whenIdle();
    assert.equal(me.rejections.length, 1);
    assert.match(me.rejections[0].reason, /holds 20 tokens; this batch's 21 more would pass the cap of 40/);
    assert.equal(me.team.count(['b0']), 0);
    a.chunks.delete(keyNamed('two'));
    // Replacing a chunk by a longer one counts only the difference; cuts count nothing.
    a.publish([rec('one', `${text(10, 'c')} | ${text(14, 'd')} |`)]);
    syncAll(a.doc, me.doc);
    await me.layer.whenIdle();
    assert.equal(me.rejections.length, 1, JSON.stringify(me.rejections));
    assert.equal(me.layer.tokenCount, 24);
    // Three chunks of one token count 48, and so do three removals (kept until superseded): a
    // writer of tiny chunks or endless removals cannot make the layer hold millions of entries.
    a.publish([rec('t1', 'x'), rec('t2', 'y'), rec('t3', 'z')]);
    a.publish([rec('never1'), rec('never2'), rec('never3')]);
    syncAll(a.doc, me.doc);
    await me.layer.whenIdle();
    assert.equal(me.rejections.length, 3, JSON.stringify(me.rejections));
    assert.match(me.rejections[1].reason, /holds 24 tokens; this batch's 48 more would pass the cap of 40/);
    assert.match(me.rejections[2].reason, /holds 24 tokens; this batch's 48 more would pass the cap of 40/);
    for (const name of ['t1', 't2', 't3']) a.chunks.delete(keyNamed(name));
    assertTeamHolds(me.team, documentsOf(a));
    assert.equal(me.layer.tokenCount, 24);
  });

  it('rejects a batch with more records or tokens than a batch may hold', async () => {
    const a = writer('w-a');
    const me = reader({ maxRecordsPerBatch: 3, maxTokensPerBatch: 20 });
    a.publish([rec('1', 'a'), rec('2', 'b'), rec('3', 'c'), rec('4', 'd')]);
    a.publish([rec('5', Array.from({ length: 21 }, (_, i) => `t${i}`).join(' '))]);
    syncAll(a.doc, me.doc);
    await me.layer.whenIdle();
    assert.equal(me.rejections.length, 2);
    assert.match(me.rejections[0].reason, /4 records, more than 3/);
    assert.match(me.rejections[1].reason, /more than 20 tokens|20-token cap/);
    assert.equal(me.team.stats().documents, 0);
  });
});

describe('share/offlineTeam: the team memory rebuilt from a saved log', () => {
  it('holds the live chunks of the writers not forgotten, and says who taught what', async () => {
    const a = writer('w-a');
    const b = writer('w-b');
    a.publish([rec('a1', 'shared words from a'), rec('a2', 'gone soon')]);
    a.publish([rec('a2')]);
    b.publish([rec('b1', 'shared words from b')], 'snapshot');
    const me = reader();
    syncAll(a.doc, b.doc, me.doc);
    const saved = Y.encodeStateAsUpdate(me.doc);
    const team = new TeamMemory({ order: 3 });
    team.setDocument('stale/doc', words('left from before'));
    const attribution = await rebuildTeamFromLog({ saved, team, clearTeam: () => team.clear(), ownWriter: keyOf('w-me').id, forgotten: [b.id] });
    await team.whenIdle();
    assertTeamHolds(team, documentsOf(a));
    assert.deepEqual(attribution.contributors(['shared', 'words']), [a.id]);
    await assert.rejects(
      rebuildTeamFromLog({ saved: new Uint8Array([1, 2, 3]), team, clearTeam: () => assert.fail('untouched'), ownWriter: 'x', forgotten: [] }),
      /saved team log cannot be used/,
    );
  });
});
