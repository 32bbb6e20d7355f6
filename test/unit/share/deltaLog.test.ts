import { strict as assert } from 'node:assert';
import * as Y from 'yjs';
import { Memory } from '../../../src/memory';
import type { DeltaBatch } from '../../../src/memory/types';
import { BatchValidator } from '../../../src/share/batchValidator';
import { DeltaLog } from '../../../src/share/deltaLog';
import { sumBatches } from '../../../src/share/deltaMath';
import { decodeDeltas, encodeDeltas } from '../../../src/memory';
import { encodeLoggedBatch, payloadOf } from '../../../src/share/batchFormat';
import { withLimits } from '../../../src/share/limits';
import { memoryTeam } from '../../../src/share/memoryTeam';
import { TeamLayer, type Rejection } from '../../../src/share/teamLayer';
import type { WriterKey } from '../../../src/share/writerKey';
import { inc, keyOf, syncAll } from './logPeers';

/** The sum of every batch in a log, by n-gram key. */
function total(log: DeltaLog, exceptWriter?: string): Map<string, number> {
  const sum = sumBatches(log.batches().filter((b) => b.writer !== exceptWriter).map((b) => decodeDeltas(payloadOf(b))));
  return new Map(sum.entries.map((e) => [e.ngram.join(' '), e.delta]));
}

function peer(name: string) {
  const doc = new Y.Doc();
  const log = new DeltaLog(doc, keyOf(name));
  const writer = log.writer;
  const team = new Memory({ order: 3 });
  const rejections: Rejection[] = [];
  const sink = memoryTeam(() => team);
  // Wired as the session wires them: a batch deleted without its writer superseding it is put back.
  const layer = new TeamLayer(sink, new BatchValidator(withLimits(), sink), writer, (r) => rejections.push(r), { onVanished: (batch) => log.putBack(batch) });
  log.onChange((change) => {
    layer.apply(change);
    layer.drain();
  });
  return { doc, log, team, rejections, layer };
}

describe('share/deltaLog', () => {
  it('never loses concurrent increments of the same n-gram', () => {
    const peers = ['w-a', 'w-b', 'w-c'].map(peer);
    for (let round = 0; round < 20; round++) {
      for (const p of peers) p.log.append(inc('hello world'));
      if (round % 7 === 3) syncAll(peers[0].doc, peers[1].doc); // partial syncs in between
    }
    syncAll(...peers.map((p) => p.doc));
    for (const p of peers) assert.equal(total(p.log).get('hello world'), 60);
    // Each team layer holds the other two writers' counts, never its own.
    for (const p of peers) assert.equal(p.team.count(['hello', 'world']), 40);
  });

  it('compaction keeps concurrent appends of others and the same sums', () => {
    const a = peer('w-a');
    const b = peer('w-b');
    for (let i = 0; i < 30; i++) a.log.append(inc(`x${i % 5} y`));
    a.log.append(inc('x0 y', -1));
    syncAll(a.doc, b.doc);
    const before = total(b.log);
    assert.equal(b.team.count(['x0', 'y']), 5);
    // A compacts while B appends concurrently (no sync in between).
    a.log.compact();
    b.log.append(inc('x0 y', 2));
    b.log.append(inc('z', 7));
    assert.equal(a.log.batches().filter((x) => x.writer === a.log.writer).length, 1);
    syncAll(a.doc, b.doc);
    const after = total(a.log);
    assert.equal(after.get('x0 y'), (before.get('x0 y') ?? 0) + 2);
    assert.equal(after.get('z'), 7);
    assert.deepEqual(total(a.log), total(b.log));
    // B's team layer: A's old batches subtracted, A's snapshot added: same counts.
    assert.equal(b.team.count(['x0', 'y']), 5);
    assert.equal(b.team.count(['x1', 'y']), 6);
    assert.equal(a.team.count(['z']), 7);
    assert.equal(a.rejections.length + b.rejections.length, 0);
  });

  it('folds only the delta batches when asked, leaving the snapshot alone', () => {
    const a = peer('w-a');
    const b = peer('w-b');
    a.log.append({ entries: [{ ngram: ['snap'], delta: 10 }, { ngram: ['x'], delta: 1 }] }, 'snapshot');
    for (let i = 0; i < 10; i++) a.log.append(inc('x', 1));
    a.log.append(inc('snap', -3));
    syncAll(a.doc, b.doc);
    const snapshotBytes = a.log.batches().find((x) => x.kind === 'snapshot')!.bytes;
    assert.deepEqual(a.log.ownStats(), { deltaBatches: 11, deltaEntries: 11, snapshotEntries: 2 });
    a.log.compact(false);
    assert.deepEqual(a.log.ownStats(), { deltaBatches: 1, deltaEntries: 2, snapshotEntries: 2 });
    assert.equal(a.log.batches().find((x) => x.kind === 'snapshot')!.bytes, snapshotBytes, 'the snapshot batch is untouched');
    syncAll(a.doc, b.doc);
    assert.equal(b.team.count(['snap']), 7);
    assert.equal(b.team.count(['x']), 11);
    a.log.compact(true);
    assert.deepEqual(a.log.ownStats(), { deltaBatches: 0, deltaEntries: 0, snapshotEntries: 2 });
    syncAll(a.doc, b.doc);
    assert.equal(b.team.count(['snap']), 7);
    assert.equal(b.team.count(['x']), 11);
    assert.equal(b.rejections.length, 0);
  });

  it('removes stale batches a previous run of the same writer left behind', () => {
    const old = peer('w-a');
    old.log.append(inc('old words'));
    const other = peer('w-b');
    syncAll(old.doc, other.doc);
    assert.equal(other.team.count(['old', 'words']), 1);
    const restarted = peer('w-a'); // same persisted writer id, new instance
    restarted.log.append(inc('new words'));
    syncAll(restarted.doc, other.doc);
    assert.equal(restarted.log.removeStale(), 1);
    syncAll(restarted.doc, other.doc);
    assert.equal(other.team.count(['old', 'words']), 0);
    assert.equal(other.team.count(['new', 'words']), 1);
  });
});

describe('share/teamLayer validation', () => {
  function hostile(batch: DeltaBatch | Uint8Array, limits = {}) {
    const victim = peer('w-victim');
    (victim.layer as unknown as { validator: BatchValidator }).validator = new BatchValidator(withLimits(limits), victim.team);
    const attacker = new DeltaLog(new Y.Doc(), keyOf('w-evil'));
    attacker.append(inc('good words', 3));
    if (batch instanceof Uint8Array) attacker.array.push([batch]);
    else attacker.append(batch);
    syncAll(attacker.doc, victim.doc);
    return victim;
  }

  it('applies valid batches', () => {
    const v = hostile(inc('fine', 2));
    assert.equal(v.team.count(['fine']), 2);
    assert.deepEqual(v.rejections, []);
  });

  for (const [name, batch, pattern] of [
    ['absurd counts', inc('huge', 1e12), /absurd|delta|count/i],
    ['overlong tokens', inc('x'.repeat(300), 1), /token|undecodable/i],
    ['tokens with spaces', { entries: [{ ngram: ['two words'], delta: 1 }] }, /whitespace/],
    ['counts below zero', inc('never seen', -5), /below|negative|zero|count/i],
  ] as const) {
    it(`rejects ${name} and leaves the team memory untouched`, () => {
      const v = hostile(batch as DeltaBatch);
      assert.equal(v.rejections.length, 1, JSON.stringify(v.rejections));
      assert.match(v.rejections[0].reason, pattern);
      assert.equal(v.rejections[0].writer, keyOf('w-evil').id);
      assert.equal(v.team.count(['good', 'words']), 3);
      const bad = (batch as DeltaBatch).entries[0].ngram;
      if (bad.length <= 3) assert.equal(v.team.count([...bad]), 0);
      assert.equal(v.team.stats().ngrams, 1);
    });
  }

  it('keeps the entries that fit the order of a memory and drops longer n-grams', () => {
    const v = hostile({ entries: [{ ngram: ['a', 'b', 'c', 'd', 'e'], delta: 1 }, { ngram: ['a', 'b'], delta: 4 }] });
    assert.deepEqual(v.rejections, []);
    assert.equal(v.team.count(['a', 'b']), 4);
  });

  it('rejects a flood of new words', () => {
    const flood = { entries: Array.from({ length: 5000 }, (_, i) => ({ ngram: [`word${i}`], delta: 1 })) };
    const v = hostile(flood, { maxTeamVocabulary: 1000 });
    assert.equal(v.rejections.length, 1);
    assert.match(v.rejections[0].reason, /new words/);
    assert.equal(v.team.wordCount('word1'), 0);
  });

  it('rejects garbage in the log', () => {
    const v = hostile(new Uint8Array([0x4c, 1, 0, 5, 119, 45, 101, 118, 105, 108, 1, 2, 3, 4, 5, 6, 7, 8, 255, 255]));
    assert.equal(v.rejections.length, 1);
    assert.equal(v.team.count(['good', 'words']), 3);
    const w = hostile(new Uint8Array([1, 2, 3]));
    assert.equal(w.rejections.length, 1);
    assert.match(w.rejections[0].reason, /not a Light Network batch/);
  });
});

describe('share/teamLayer slicing', () => {
  function setup(partEntries: number) {
    const team = new Memory({ order: 3 });
    const rejections: Rejection[] = [];
    const writer = new DeltaLog(new Y.Doc(), keyOf('w-peer'));
    const reader = new DeltaLog(new Y.Doc(), keyOf('w-me'));
    const sink = memoryTeam(() => team);
    const layer = new TeamLayer(sink, new BatchValidator(withLimits(), sink), reader.writer, (r) => rejections.push(r), { partEntries, sliceMs: 1 });
    reader.onChange((change) => layer.apply(change));
    return { team, rejections, writer, reader, layer };
  }

  it('applies a big batch over several turns of the event loop, all of it in the end', async () => {
    const { team, writer, reader, layer } = setup(100);
    writer.append({ entries: Array.from({ length: 5000 }, (_, i) => ({ ngram: [`t${i}`], delta: 2 })) });
    syncAll(writer.doc, reader.doc);
    assert.equal(layer.idle, false, 'nothing is applied inside the sync itself');
    await layer.whenIdle();
    assert.equal(team.count(['t4999']), 2);
    assert.equal(team.stats().ngrams, 5000);
  });

  it('rolls back the parts already applied when a later part fails', async () => {
    const { team, rejections, writer, reader, layer } = setup(10);
    const entries = Array.from({ length: 95 }, (_, i) => ({ ngram: [`ok${i}`], delta: 1 }));
    // 22 entries of 10^8 each for one n-gram: the part that takes its count past 2^31 - 1 fails.
    // (A negative count can no longer fail a part: the writer ledger keeps every count >= 0.)
    for (let i = 0; i < 22; i++) entries.push({ ngram: ['big'], delta: 100_000_000 });
    writer.append({ entries });
    syncAll(writer.doc, reader.doc);
    await layer.whenIdle();
    assert.equal(rejections.length, 1);
    assert.match(rejections[0].reason, /overflow/);
    assert.equal(team.count(['ok0']), 0);
    assert.equal(team.count(['big']), 0);
    assert.equal(team.stats().ngrams, 0);
  });
});

describe('share/trust (signed writers)', () => {
  const tick = () => new Promise((resolve) => setImmediate(resolve));

  it('rejects a batch forged under another writer\'s id and key, and applies nothing of it', () => {
    const a = peer('w-a');
    const b = peer('w-b');
    const evil = peer('w-evil');
    const victim = keyOf('w-a');
    // The victim's public key and id, signed with the attacker's private key.
    const forger: WriterKey = { ...victim, sign: keyOf('w-evil').sign };
    evil.log.array.push([encodeLoggedBatch(forger, 'delta', encodeDeltas(inc('forged words', 9)), { seq: Date.now() * 2000, floor: Date.now() * 2000, dead: [] })]);
    // And a properly signed batch of the attacker that claims the victim's id.
    evil.log.array.push([encodeLoggedBatch({ ...keyOf('w-evil'), id: victim.id }, 'delta', encodeDeltas(inc('lying words', 9)), { seq: 1, floor: 0, dead: [] })]);
    syncAll(a.doc, b.doc, evil.doc);
    assert.equal(b.team.count(['forged', 'words']), 0);
    assert.equal(b.team.count(['lying', 'words']), 0);
    assert.equal(b.rejections.length, 2, JSON.stringify(b.rejections));
    assert.match(b.rejections.map((r) => r.reason).join('\n'), /bad signature[\s\S]*another writer's key|another writer's key[\s\S]*bad signature/);
  });

  it('counts a replayed copy of a batch once, and ignores a replayed batch its writer superseded', () => {
    const a = peer('w-a');
    const b = peer('w-b');
    const evil = peer('w-evil');
    a.log.append(inc('kept words', 2));
    syncAll(a.doc, b.doc, evil.doc);
    const copy = evil.log.array.get(0);
    evil.log.array.push([copy]);
    evil.log.array.insert(0, [copy]);
    syncAll(a.doc, b.doc, evil.doc);
    assert.equal(b.team.count(['kept', 'words']), 2);
    assert.equal(b.rejections.length, 0);
    // A compacts its batches away; the attacker replays the old one.
    a.log.append(inc('kept words', 1));
    a.log.compact();
    syncAll(a.doc, b.doc, evil.doc);
    assert.equal(b.team.count(['kept', 'words']), 3);
    evil.log.array.push([copy]);
    syncAll(a.doc, b.doc, evil.doc);
    assert.equal(b.team.count(['kept', 'words']), 3, 'the replayed superseded batch is not counted again');
    assert.equal(b.rejections.length, 1);
    assert.match(b.rejections[0].reason, /superseded batch ignored/);
  });

  it('does not let a forged copy with a genuine batch\'s id, put in front of it, hide it', () => {
    const a = peer('w-a');
    const b = peer('w-b');
    const evil = peer('w-evil');
    a.log.append(inc('real words', 3));
    syncAll(a.doc, evil.doc);
    const genuine = evil.log.array.get(0);
    const forged = genuine.slice();
    forged[forged.length - 70] ^= 1; // inside the payload: same id, signature no longer holds
    evil.log.array.insert(0, [forged]);
    syncAll(evil.doc, b.doc); // b sees both copies at once, the forged one first
    assert.equal(b.team.count(['real', 'words']), 3);
    assert.equal(b.rejections.length, 0, JSON.stringify(b.rejections));
  });

  it('keeps the counts of a batch someone else deleted, reports it, and its writer puts it back', async () => {
    const a = peer('w-a');
    const b = peer('w-b');
    const evil = peer('w-evil');
    a.log.append(inc('precious words', 4));
    b.log.append(inc('own words', 1));
    syncAll(a.doc, b.doc, evil.doc);
    assert.equal(b.team.count(['precious', 'words']), 4);
    // The attacker deletes every batch (its own Yjs delete is as valid as anyone's).
    evil.log.array.delete(0, evil.log.array.length);
    syncAll(evil.doc, b.doc);
    assert.equal(b.team.count(['precious', 'words']), 4, 'the counts stay');
    assert.equal(b.rejections.length, 1, JSON.stringify(b.rejections));
    assert.match(b.rejections[0].reason, /deleted from the log without its writer superseding it/);
    assert.equal(b.rejections[0].writer, a.log.writer);
    syncAll(a.doc, evil.doc);
    await tick(); // a notices and re-publishes the same signed bytes
    syncAll(a.doc, b.doc, evil.doc);
    await tick(); // and b its own
    syncAll(a.doc, b.doc, evil.doc);
    assert.equal(a.log.batches().length, 2, 'both writers put their batches back');
    assert.equal(b.team.count(['precious', 'words']), 4, 'counted once');
    assert.equal(a.team.count(['own', 'words']), 1);
  });

  it('honours a compaction by the writer (authorised removal) with no report', () => {
    const a = peer('w-a');
    const b = peer('w-b');
    for (let i = 0; i < 5; i++) a.log.append(inc(`w${i} x`, i + 1));
    syncAll(a.doc, b.doc);
    a.log.compact(false);
    syncAll(a.doc, b.doc);
    a.log.append(inc('w0 x', -1));
    a.log.compact(true);
    syncAll(a.doc, b.doc);
    assert.equal(a.log.batches().length, 1);
    assert.deepEqual([0, 1, 2, 3, 4].map((i) => b.team.count([`w${i}`, 'x'])), [0, 2, 3, 4, 5]);
    assert.deepEqual(b.rejections, []);
  });

  it('refuses unsigned batches of the old format with a clear reason', () => {
    const b = peer('w-b');
    const evil = peer('w-evil');
    const payload = encodeDeltas(inc('old format'));
    evil.log.array.push([new Uint8Array([0x4c, 1, 0, 5, ...Buffer.from('w-old'), 1, 2, 3, 4, 5, 6, 7, 8, ...payload])]);
    syncAll(evil.doc, b.doc);
    assert.equal(b.team.count(['old', 'format']), 0);
    assert.match(b.rejections[0].reason, /unsigned batch of format version 1 refused/);
  });
});

describe('share/deltaLog index (issue 10, item 3)', () => {
  it('follows each update by its own items, never rescanning the log', () => {
    const writer = new DeltaLog(new Y.Doc(), keyOf('w-many'));
    for (let i = 0; i < 50; i++) writer.append({ entries: Array.from({ length: 200 }, (_, k) => ({ ngram: [`t${i}_${k}`], delta: 1 })) });
    // 5,000 entries, then junk: the receiver must index both without rescanning for each update.
    writer.doc.getArray<Uint8Array>('lightNetwork.deltaLog').push(Array.from({ length: 5000 }, (_, i) => new Uint8Array([i & 0xff, 1, 2])));
    const doc = new Y.Doc();
    const log = new DeltaLog(doc, keyOf('w-reader'));
    const changes: { added: number; removed: number; malformed: number }[] = [];
    log.onChange((change) => changes.push({ added: change.added.length, removed: change.removed.length, malformed: change.malformed.length }), false);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(writer.doc));
    assert.deepEqual(log.size().batches, 5050);
    // From here on, any full read of the log fails the test: toArray, and YEvent.changes (which
    // walks every item of the array, and concatenated inserted runs quadratically).
    const array = log.array as unknown as { toArray: () => unknown };
    const original = array.toArray;
    array.toArray = () => assert.fail('the log was rescanned for an update');
    const changesGetter = Object.getOwnPropertyDescriptor(Y.YEvent.prototype, 'changes')!;
    Object.defineProperty(Y.YEvent.prototype, 'changes', { configurable: true, get: () => assert.fail('the whole array was walked for an update') });
    const updates: Uint8Array[] = [];
    writer.doc.on('update', (update: Uint8Array) => updates.push(update));
    for (let i = 0; i < 100; i++) writer.append(inc(`tiny${i}`));
    writer.doc.getArray<Uint8Array>('lightNetwork.deltaLog').delete(50, 10); // ten junk entries
    try {
      for (const update of updates) Y.applyUpdate(doc, update);
    } finally {
      array.toArray = original;
      Object.defineProperty(Y.YEvent.prototype, 'changes', changesGetter);
    }
    assert.equal(changes.length, 1 + 100, 'one change per batch-bearing update');
    assert.deepEqual(changes.slice(1).every((c) => c.added === 1 && c.removed === 0 && c.malformed === 0), true);
    const entries = log.array.toArray();
    assert.deepEqual(log.size(), { batches: entries.length, bytes: entries.reduce((sum, bytes) => sum + bytes.byteLength, 0) });
    assert.equal(log.batches().length, 150);
  });

  it('reports a vanished batch once its last copy is gone, and keeps the genuine copy', () => {
    const a = peer('w-a');
    a.log.append(inc('kept words'));
    const original = a.log.batches()[0];
    const doc = new Y.Doc();
    const log = new DeltaLog(doc, keyOf('w-reader'));
    const removed: string[] = [];
    log.onChange((change) => removed.push(...change.removed.map((b) => b.id)));
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(a.doc));
    doc.getArray<Uint8Array>('lightNetwork.deltaLog').push([original.bytes.slice()]); // a replayed copy
    doc.getArray<Uint8Array>('lightNetwork.deltaLog').delete(0, 1);
    assert.deepEqual(removed, [], 'a copy is left');
    assert.equal(log.batches()[0].id, original.id);
    doc.getArray<Uint8Array>('lightNetwork.deltaLog').delete(0, 1);
    assert.deepEqual(removed, [original.id]);
    assert.deepEqual(log.size(), { batches: 0, bytes: 0 });
  });
});

describe('share/deltaLog: no delete or replay rolls a writer back (issue 10, item 8)', () => {
  const tick = () => new Promise((resolve) => setImmediate(resolve));
  /** A peer restarted from `from`'s saved log (a fresh team memory rebuilt from it). */
  function restarted(name: string, from: Y.Doc) {
    const p = peer(name);
    Y.applyUpdate(p.doc, Y.encodeStateAsUpdate(from));
    return p;
  }

  it('keeps a deleted batch of an absent writer for later joiners and after a restart', async () => {
    const a = peer('w-a');
    const b = peer('w-b');
    const evil = peer('w-evil');
    a.log.append(inc('precious words', 4));
    syncAll(a.doc, b.doc, evil.doc);
    a.log.destroy(); // a leaves for good: nobody republishes for it
    evil.log.destroy(); // and the attacker does not put anything back
    const i = evil.log.array.toArray().findIndex((bytes) => bytes.byteLength > 0);
    evil.doc.transact(() => evil.log.array.delete(i, 1));
    syncAll(evil.doc, b.doc);
    assert.equal(b.team.count(['precious', 'words']), 4);
    await tick(); // b puts the batch back
    const joiner = peer('w-joiner');
    syncAll(b.doc, joiner.doc);
    assert.equal(joiner.team.count(['precious', 'words']), 4, 'a later joiner has the counts');
    assert.equal(restarted('w-b', b.doc).team.count(['precious', 'words']), 4, 'so has b after a restart');
  });

  it('keeps what a writer superseded superseded when its newer snapshot is deleted and an old batch replayed', async () => {
    const a = peer('w-a');
    const b = peer('w-b');
    const evil = peer('w-evil');
    a.log.append(inc('forgotten words', 3));
    a.log.append(inc('kept words', 2));
    syncAll(a.doc, b.doc, evil.doc);
    const old = evil.log.batches().filter((x) => x.writer === a.log.writer).map((x) => x.bytes.slice());
    a.log.append(inc('forgotten words', -3)); // the user forgets them
    a.log.compact(true);
    syncAll(a.doc, b.doc, evil.doc);
    assert.equal(b.team.count(['forgotten', 'words']), 0);
    a.log.destroy();
    evil.log.destroy();
    // The attacker deletes a's snapshot and replays the old signed batches.
    evil.doc.transact(() => {
      const entries = evil.log.array.toArray();
      for (let k = entries.length - 1; k >= 0; k--) if (evil.log.batches().some((x) => x.bytes === entries[k] && x.writer === a.log.writer)) evil.log.array.delete(k, 1);
      evil.log.array.push(old);
    });
    syncAll(evil.doc, b.doc);
    await tick(); // b puts the snapshot back
    assert.equal(b.team.count(['forgotten', 'words']), 0);
    assert.equal(b.team.count(['kept', 'words']), 2);
    const joiner = peer('w-joiner');
    syncAll(b.doc, joiner.doc);
    joiner.layer.drain();
    assert.equal(joiner.team.count(['forgotten', 'words']), 0, 'a joiner does not get the forgotten n-grams back');
    assert.equal(joiner.team.count(['kept', 'words']), 2);
    const again = restarted('w-b', b.doc);
    assert.equal(again.team.count(['forgotten', 'words']), 0, 'nor does b after a restart');
    assert.equal(again.team.count(['kept', 'words']), 2);
  });
});
