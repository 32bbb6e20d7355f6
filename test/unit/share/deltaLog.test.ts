import { strict as assert } from 'node:assert';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { BatchValidator } from '../../../src/share/batchValidator';
import { DeltaLog, RECORDS_PER_BATCH } from '../../../src/share/deltaLog';
import { encodeLoggedBatch, payloadOf, type BatchKind } from '../../../src/share/batchFormat';
import { withLimits, type ShareLimits } from '../../../src/share/limits';
import { TeamLayer, type Rejection, type TeamLayerOptions } from '../../../src/share/teamLayer';
import { TeamMemory } from '../../../src/share/teamMemory';
import { decodeTextBatch, encodeTextBatch, textBatchOf, type TextRecord } from '../../../src/share/textBatch';
import type { WriterKey } from '../../../src/share/writerKey';
import { assertTeamHolds, batchOf, keyNamed, keyOf, rec, syncAll, words } from './logPeers';

type Peer = ReturnType<typeof peer>;

/** A writer and reader: its log, its team memory behind a team layer, and what it published (the model). */
function peer(name: string, limits: Partial<ShareLimits> = {}, options: TeamLayerOptions = {}) {
  const doc = new Y.Doc();
  const log = new DeltaLog(doc, keyOf(name));
  const team = new TeamMemory({ order: 3 });
  const rejections: Rejection[] = [];
  // Wired as the session wires them: a batch deleted without its writer superseding it is put back.
  const layer = new TeamLayer(team, new BatchValidator(withLimits(limits), team), log.writer, (r) => rejections.push(r), {
    onVanished: (batch) => log.putBack(batch),
    ...options,
  });
  log.onChange((change) => layer.apply(change));
  /** This writer's chunks as it published them: key -> tokens. */
  const chunks = new Map<string, readonly string[]>();
  const publish = (records: TextRecord[], kind: BatchKind = 'delta') => {
    log.append({ records }, kind);
    for (const record of records) {
      if (record.tokens.length > 0) chunks.set(record.key, record.tokens);
      else chunks.delete(record.key);
    }
  };
  return { doc, log, team, rejections, layer, chunks, publish, writer: log.writer };
}

/** The documents a reader's team memory must hold: the writers' chunks, as `writer/key`. */
function documentsOf(...writers: Peer[]): Map<string, readonly string[]> {
  const documents = new Map<string, readonly string[]>();
  for (const w of writers) for (const [key, tokens] of w.chunks) documents.set(`${w.writer}/${key}`, tokens);
  return documents;
}

async function settled(...peers: Peer[]): Promise<void> {
  for (const p of peers) await p.layer.whenIdle();
}

const count = (p: Peer, text: string) => p.team.count(words(text));

/** A state vector's encoding (Yjs exports no encoder for a decoded one). */
function encodeVector(vector: Map<number, number>): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, vector.size);
  for (const [client, clock] of vector) {
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, clock);
  }
  return encoding.toUint8Array(encoder);
}

/** Every record of every batch of `writer` in a log, latest seq first per key: what the log says the writer's chunks are. */
function loggedChunks(log: DeltaLog, writer: string): Map<string, string> {
  const latest = new Map<string, { seq: number; text: string | undefined }>();
  for (const batch of log.batches().filter((b) => b.writer === writer)) {
    const limits = { maxRecords: 1e9, maxTokens: 1e9, maxTokenLength: 1e9 };
    for (const record of textBatchOf(decodeTextBatch(payloadOf(batch), limits)).records) {
      const before = latest.get(record.key);
      if (!before || before.seq < batch.seq) latest.set(record.key, { seq: batch.seq, text: record.tokens.length === 0 ? undefined : record.tokens.join(' ') });
    }
  }
  return new Map([...latest].filter(([, { text }]) => text !== undefined).map(([key, { text }]) => [key, text!]));
}

describe('share/deltaLog', () => {
  it('never loses concurrent appends of writers, and each team memory holds the other writers\' chunks exactly', async () => {
    const peers = ['w-a', 'w-b', 'w-c'].map((name) => peer(name));
    for (let round = 0; round < 20; round++) {
      // The same chunk names in every writer: keys are per writer, so none clashes with another's.
      for (const [i, p] of peers.entries()) p.publish([rec(`c${round % 6}`, `hello world from ${i} round ${round}`)]);
      if (round % 7 === 3) syncAll(peers[0].doc, peers[1].doc); // partial syncs in between
    }
    peers[2].publish([rec('c0')]); // a removal
    syncAll(...peers.map((p) => p.doc));
    await settled(...peers);
    for (const p of peers) {
      assertTeamHolds(p.team, documentsOf(...peers.filter((q) => q !== p)), p.writer);
      assert.deepEqual(p.rejections, []);
    }
    assert.equal(count(peers[0], 'hello world'), 6 + 5);
    assert.equal(count(peers[2], 'hello world'), 12);
  });

  it('splits a large append into logged batches of at most RECORDS_PER_BATCH records', async () => {
    const a = peer('w-a');
    const b = peer('w-b');
    a.publish(Array.from({ length: 2 * RECORDS_PER_BATCH + 10 }, (_, i) => rec(`r${i}`, `token${i} next`)));
    assert.equal(a.log.batches().length, 3);
    assert.deepEqual(a.log.ownStats(), {
      deltaBatches: 3,
      deltaRecords: 2 * RECORDS_PER_BATCH + 10,
      deltaTokens: 2 * (2 * RECORDS_PER_BATCH + 10),
      snapshotBatches: 0,
      snapshotRecords: 0,
      snapshotTokens: 0,
    });
    syncAll(a.doc, b.doc);
    await settled(b);
    assertTeamHolds(b.team, documentsOf(a));
  });

  it('compaction keeps concurrent appends of others and gives the same team memory', async () => {
    const a = peer('w-a');
    const b = peer('w-b');
    for (let i = 0; i < 30; i++) a.publish([rec(`x${i % 5}`, `x ${i} y`)]);
    a.publish([rec('x3')]);
    syncAll(a.doc, b.doc);
    await settled(b);
    assertTeamHolds(b.team, documentsOf(a), 'before');
    // A compacts while B appends concurrently (no sync in between).
    a.log.compact();
    b.publish([rec('b0', 'x 0 y')]);
    b.publish([rec('b1', 'z z')]);
    assert.equal(a.log.batches().filter((x) => x.writer === a.writer).length, 1);
    syncAll(a.doc, b.doc);
    await settled(a, b);
    assert.deepEqual(loggedChunks(a.log, b.writer), loggedChunks(b.log, b.writer));
    assert.deepEqual(loggedChunks(b.log, a.writer), new Map([...a.chunks].map(([key, tokens]) => [key, tokens.join(' ')])));
    assertTeamHolds(b.team, documentsOf(a), 'after: a\'s old batches taken out, its snapshot in');
    assertTeamHolds(a.team, documentsOf(b), 'b\'s concurrent appends');
    assert.equal(count(b, 'x 29 y'), 1);
    assert.equal(count(b, 'x 28 y'), 0, 'x3 was removed');
    assert.deepEqual([...a.rejections, ...b.rejections], []);
  });

  it('folds only the delta batches when asked, keeping their removals, and leaves the snapshot alone', async () => {
    const a = peer('w-a');
    const b = peer('w-b');
    a.publish([rec('s1', 'snap one'), rec('s2', 'snap two'), rec('s3', 'snap three')], 'snapshot');
    for (let i = 0; i < 10; i++) a.publish([rec(`d${i % 3}`, `delta ${i}`)]);
    a.publish([rec('s2')]); // removes a chunk of the snapshot
    syncAll(a.doc, b.doc);
    const snapshotBytes = a.log.batches().find((x) => x.kind === 'snapshot')!.bytes;
    assert.deepEqual(a.log.ownStats(), { deltaBatches: 11, deltaRecords: 11, deltaTokens: 20, snapshotBatches: 1, snapshotRecords: 3, snapshotTokens: 6 });
    a.log.compact(false);
    assert.deepEqual(a.log.ownStats(), { deltaBatches: 1, deltaRecords: 4, deltaTokens: 6, snapshotBatches: 1, snapshotRecords: 3, snapshotTokens: 6 });
    assert.equal(a.log.batches().find((x) => x.kind === 'snapshot')!.bytes, snapshotBytes, 'the snapshot batch is untouched');
    syncAll(a.doc, b.doc);
    await settled(b);
    assertTeamHolds(b.team, documentsOf(a), 'after folding the deltas');
    assert.equal(count(b, 'snap two'), 0, 'the removal record was kept');
    const joiner = peer('w-joiner');
    syncAll(a.doc, joiner.doc);
    await settled(joiner);
    assertTeamHolds(joiner.team, documentsOf(a), 'a joiner after the fold');
    a.log.compact(true);
    assert.deepEqual(a.log.ownStats(), { deltaBatches: 0, deltaRecords: 0, deltaTokens: 0, snapshotBatches: 1, snapshotRecords: 5, snapshotTokens: 10 });
    syncAll(a.doc, b.doc, joiner.doc);
    await settled(b, joiner);
    assertTeamHolds(b.team, documentsOf(a), 'after a full compaction');
    assertTeamHolds(joiner.team, documentsOf(a), 'the joiner after a full compaction');
    assert.deepEqual([...b.rejections, ...joiner.rejections], []);
  });

  it('does not let a fold bring back a delta\'s record over a newer snapshot record of the same chunk', async () => {
    const a = peer('w-a');
    const b = peer('w-b');
    a.publish([rec('k', 'old text')]);
    a.publish([rec('k', 'new text'), rec('other', 'more text')], 'snapshot'); // written after the delta
    a.publish([rec('d', 'a delta')]);
    a.log.compact(false);
    syncAll(a.doc, b.doc);
    await settled(b);
    assert.equal(loggedChunks(a.log, a.writer).get(keyNamed('k')), 'new text');
    assertTeamHolds(b.team, documentsOf(a));
    assert.equal(count(b, 'old text'), 0);
  });

  it('removes stale batches a previous run of the same writer left behind', async () => {
    const old = peer('w-a');
    old.publish([rec('old', 'old words')]);
    const other = peer('w-b');
    syncAll(old.doc, other.doc);
    await settled(other);
    assert.equal(count(other, 'old words'), 1);
    const restarted = peer('w-a'); // same persisted writer id, new instance
    restarted.publish([rec('new', 'new words')]);
    syncAll(restarted.doc, other.doc);
    assert.equal(restarted.log.removeStale(), 1);
    syncAll(restarted.doc, other.doc);
    await settled(other);
    assertTeamHolds(other.team, documentsOf(restarted));
    assert.deepEqual(other.rejections, []);
  });
});

describe('share/deltaLog and teamLayer under random work', () => {
  for (const seed of Array.from({ length: Number(process.env.RANDOM_SEEDS ?? 6) }, (_, i) => i + 1)) {
    it(`keeps every team memory equal to the other writers' live chunks (seed ${seed})`, async () => {
      let state = seed;
      const random = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
      const peers = ['w-r1', 'w-r2', 'w-r3'].map((name) => peer(name, {}, { partTokens: 7, sliceMs: 1 }));
      const vocabulary = ['if', '(', ')', 'x', 'y', '=', 'return', ';', '|'];
      for (let step = 0; step < 160; step++) {
        const p = pick(peers);
        const roll = random();
        if (roll < 0.6) {
          const records = Array.from({ length: 1 + Math.floor(random() * 3) }, () => {
            const name = `c${Math.floor(random() * 8)}`;
            if (random() < 0.25) return rec(name);
            return rec(name, Array.from({ length: 1 + Math.floor(random() * 6) }, () => pick(vocabulary)).join(' '));
          });
          p.publish(records, random() < 0.1 ? 'snapshot' : 'delta');
        } else if (roll < 0.72) p.log.compact(random() < 0.4);
        else if (roll < 0.9) syncAll(p.doc, pick(peers).doc);
        else if (roll < 0.93) p.layer.forget(pick(peers).writer);
        else if (roll < 0.96) p.layer.remember(pick(peers).writer);
        else await settled(p);
      }
      syncAll(...peers.map((p) => p.doc));
      for (const p of peers) {
        for (const q of peers) p.layer.remember(q.writer);
        if (random() < 0.5) {
          // Forgotten at the end: the team memory holds the others only.
          const forgotten = pick(peers.filter((q) => q !== p));
          p.layer.forget(forgotten.writer);
          await settled(p);
          assertTeamHolds(p.team, documentsOf(...peers.filter((q) => q !== p && q !== forgotten)), `${p.writer} forgot one`);
        }
        for (const q of peers) p.layer.remember(q.writer);
      }
      await settled(...peers);
      for (const p of peers) {
        assertTeamHolds(p.team, documentsOf(...peers.filter((q) => q !== p)), p.writer);
        assert.deepEqual(p.rejections, []);
      }
      const joiner = peer('w-joiner');
      syncAll(peers[0].doc, joiner.doc);
      await settled(joiner);
      assertTeamHolds(joiner.team, documentsOf(...peers), 'a joiner');
    });
  }
});

describe('share/deltaLog and teamLayer under random work with deletions', () => {
  const tick = () => new Promise((resolve) => setImmediate(resolve));
  for (const seed of Array.from({ length: Number(process.env.RANDOM_SEEDS ?? 4) }, (_, i) => i + 101)) {
    it(`puts back what any peer deletes, and every team memory ends equal to the live chunks (seed ${seed})`, async () => {
      let state = seed;
      const random = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
      const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
      const peers = ['w-d1', 'w-d2', 'w-d3'].map((name) => peer(name, {}, { partTokens: 7, sliceMs: 1 }));
      const vocabulary = ['if', '(', ')', 'x', 'y', '=', 'return', ';'];
      for (let step = 0; step < 120; step++) {
        const p = pick(peers);
        const roll = random();
        if (roll < 0.55) {
          const name = `c${Math.floor(random() * 6)}`;
          p.publish([random() < 0.2 ? rec(name) : rec(name, Array.from({ length: 1 + Math.floor(random() * 5) }, () => pick(vocabulary)).join(' '))]);
        } else if (roll < 0.65) p.log.compact(random() < 0.4);
        else if (roll < 0.85) syncAll(p.doc, pick(peers).doc);
        else if (roll < 0.92 && p.log.array.length > 0) p.log.array.delete(Math.floor(random() * p.log.array.length), 1); // any peer may delete any entry
        else {
          await settled(p);
          await tick();
        }
      }
      // Everyone syncs until nothing more is put back.
      for (let round = 0; round < 6; round++) {
        syncAll(...peers.map((p) => p.doc));
        await settled(...peers);
        await tick();
      }
      for (const p of peers) {
        assertTeamHolds(p.team, documentsOf(...peers.filter((q) => q !== p)), p.writer);
        const unexpected = p.rejections.filter((r) => !/deleted from the log without its writer superseding it|superseded batch ignored/.test(r.reason));
        assert.deepEqual(unexpected, []);
      }
      const joiner = peer('w-joiner');
      syncAll(peers[0].doc, joiner.doc);
      await settled(joiner);
      assertTeamHolds(joiner.team, documentsOf(...peers), 'a joiner');
    });
  }
});

describe('share/teamLayer validation', () => {
  async function hostile(records: TextRecord[] | Uint8Array, limits: Partial<ShareLimits> = {}) {
    const victim = peer('w-victim', limits);
    const attacker = peer('w-evil');
    attacker.publish([rec('good', 'good words')]);
    if (records instanceof Uint8Array) attacker.log.array.push([records]);
    else attacker.log.append({ records });
    syncAll(attacker.doc, victim.doc);
    await settled(victim);
    return victim;
  }

  it('applies valid batches', async () => {
    const v = await hostile([rec('fine', 'fine words')]);
    assert.equal(count(v, 'fine words'), 1);
    assert.deepEqual(v.rejections, []);
  });

  for (const [name, tokens, pattern] of [
    ['overlong tokens', ['ok', 'x'.repeat(300)], /undecodable.*300 characters/],
    ['tokens with spaces', ['two words'], /whitespace/],
    ['bidi controls', ['ok', 'a\u202eb'], /bidi/],
    ['what the tokenizer would not make', ['a.b'], /not one token/],
  ] as const) {
    it(`rejects a whole batch with ${name} and leaves the team memory untouched`, async () => {
      const v = await hostile([rec('fine', 'fine words'), { key: keyNamed('bad'), tokens: [...tokens] }]);
      assert.equal(v.rejections.length, 1, JSON.stringify(v.rejections));
      assert.match(v.rejections[0].reason, pattern);
      assert.equal(v.rejections[0].writer, keyOf('w-evil').id);
      assert.equal(count(v, 'good words'), 1);
      assert.equal(count(v, 'fine words'), 0);
      assert.equal(v.team.stats().documents, 1);
    });
  }

  it('cuts secrets and keeps the rest of the text', async () => {
    const v = await hostile([rec('env', 'POSTGRES_PASSWORD = Qx7kP2mZ9wLr ; POSTGRES_USER = app'), rec('later', 'echo Qx7kP2mZ9wLr done')]);
    assert.deepEqual(v.rejections, []);
    assert.equal(v.team.wordCount('Qx7kP2mZ9wLr'), 0);
    assert.equal(count(v, 'POSTGRES_PASSWORD ='), 1);
    assert.equal(count(v, 'POSTGRES_USER = app'), 1);
    assert.equal(count(v, 'echo'), 1);
    assert.equal(count(v, 'done'), 1);
  });

  it('rejects a flood of new words', async () => {
    const flood = [rec('flood', Array.from({ length: 5000 }, (_, i) => `word${i}`).join(' '))];
    const v = await hostile(flood, { maxTeamVocabulary: 1000 });
    assert.equal(v.rejections.length, 1);
    assert.match(v.rejections[0].reason, /new words/);
    assert.equal(v.team.wordCount('word1'), 0);
  });

  it('rejects garbage in the log', async () => {
    const v = await hostile(new Uint8Array([0x4c, 1, 0, 5, 119, 45, 101, 118, 105, 108, 1, 2, 3, 4, 5, 6, 7, 8, 255, 255]));
    assert.equal(v.rejections.length, 1);
    assert.equal(count(v, 'good words'), 1);
    const w = await hostile(new Uint8Array([1, 2, 3]));
    assert.equal(w.rejections.length, 1);
    assert.match(w.rejections[0].reason, /not a Light Network batch/);
  });

  it('rejects a batch whose payload is not a text batch, though signed', async () => {
    const key = keyOf('w-evil');
    const bytes = encodeLoggedBatch(key, 'delta', new Uint8Array([1, 1, 97, 9, 9]), { seq: Date.now() * 3000, floor: 0, dead: [] });
    const v = await hostile(bytes);
    assert.equal(v.rejections.length, 1);
    assert.match(v.rejections[0].reason, /undecodable batch/);
  });
});

describe('share/teamLayer slicing', () => {
  it('applies a big batch over several turns of the event loop, all of it in the end', async () => {
    const writer = peer('w-peer');
    const reader = peer('w-me', {}, { partTokens: 100, sliceMs: 1 });
    writer.publish(Array.from({ length: 1500 }, (_, i) => rec(`c${i}`, `t${i} u${i % 7} v`)));
    syncAll(writer.doc, reader.doc);
    assert.equal(reader.layer.idle, false, 'nothing is applied inside the sync itself');
    await settled(reader);
    assertTeamHolds(reader.team, documentsOf(writer));
  });
});

describe('share/trust (signed writers)', () => {
  const tick = () => new Promise((resolve) => setImmediate(resolve));

  it('rejects a batch forged under another writer\'s id and key, and applies nothing of it', async () => {
    const a = peer('w-a');
    const b = peer('w-b');
    const evil = peer('w-evil');
    const victim = keyOf('w-a');
    const payload = encodeTextBatch(batchOf(rec('forged', 'forged words')));
    // The victim's public key and id, signed with the attacker's private key.
    const forger: WriterKey = { ...victim, sign: keyOf('w-evil').sign };
    evil.log.array.push([encodeLoggedBatch(forger, 'delta', payload, { seq: Date.now() * 2000, floor: Date.now() * 2000, dead: [] })]);
    // And a properly signed batch of the attacker that claims the victim's id.
    evil.log.array.push([encodeLoggedBatch({ ...keyOf('w-evil'), id: victim.id }, 'delta', payload, { seq: 1, floor: 0, dead: [] })]);
    syncAll(a.doc, b.doc, evil.doc);
    await settled(b);
    assert.equal(count(b, 'forged words'), 0);
    assert.equal(b.team.stats().documents, 0);
    assert.equal(b.rejections.length, 2, JSON.stringify(b.rejections));
    assert.match(b.rejections.map((r) => r.reason).join('\n'), /bad signature[\s\S]*another writer's key|another writer's key[\s\S]*bad signature/);
  });

  it('applies a replayed copy of a batch once, and ignores a replayed batch its writer superseded', async () => {
    const a = peer('w-a');
    const b = peer('w-b');
    const evil = peer('w-evil');
    a.publish([rec('k', 'kept words')]);
    syncAll(a.doc, b.doc, evil.doc);
    const copy = evil.log.array.get(0);
    evil.log.array.push([copy]);
    evil.log.array.insert(0, [copy]);
    syncAll(a.doc, b.doc, evil.doc);
    await settled(b);
    assert.equal(count(b, 'kept words'), 1);
    assert.equal(b.rejections.length, 0);
    // A changes the chunk and compacts its batches away; the attacker replays the old one.
    a.publish([rec('k', 'newer words')]);
    a.log.compact();
    syncAll(a.doc, b.doc, evil.doc);
    await settled(b);
    assertTeamHolds(b.team, documentsOf(a));
    evil.log.array.push([copy]);
    syncAll(a.doc, b.doc, evil.doc);
    await settled(b);
    assertTeamHolds(b.team, documentsOf(a), 'the replayed superseded batch changes nothing');
    assert.equal(count(b, 'kept words'), 0);
    assert.equal(b.rejections.length, 1);
    assert.match(b.rejections[0].reason, /superseded batch ignored/);
  });

  it('skips a late batch\'s record older than the one applied for its chunk', async () => {
    const a = peer('w-a');
    const b = peer('w-b');
    const relay = peer('w-relay');
    a.publish([rec('k', 'first text')]);
    syncAll(a.doc, relay.doc); // the relay has the first batch; b does not yet
    a.publish([rec('k', 'second text')]);
    const second = Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(relay.doc));
    Y.applyUpdate(b.doc, second); // b gets the second batch only (its item waits for the first)
    syncAll(relay.doc, b.doc); // now both arrive, the older one in the same change or later
    await settled(b);
    assert.equal(count(b, 'second text'), 1);
    assert.equal(count(b, 'first text'), 0);
    assertTeamHolds(b.team, documentsOf(a));
  });

  it('does not let a forged copy with a genuine batch\'s id, put in front of it, hide it', async () => {
    const a = peer('w-a');
    const b = peer('w-b');
    const evil = peer('w-evil');
    a.publish([rec('k', 'real words')]);
    syncAll(a.doc, evil.doc);
    const genuine = evil.log.array.get(0);
    const forged = genuine.slice();
    forged[forged.length - 70] ^= 1; // inside the payload: same id, signature no longer holds
    evil.log.array.insert(0, [forged]);
    syncAll(evil.doc, b.doc); // b sees both copies at once, the forged one first
    await settled(b);
    assert.equal(count(b, 'real words'), 1);
    assert.equal(b.rejections.length, 0, JSON.stringify(b.rejections));
  });

  it('keeps the text of a batch someone else deleted, reports it, and its writer puts it back', async () => {
    const a = peer('w-a');
    const b = peer('w-b');
    const evil = peer('w-evil');
    a.publish([rec('p', 'precious words')]);
    b.publish([rec('o', 'own words')]);
    syncAll(a.doc, b.doc, evil.doc);
    await settled(b);
    assert.equal(count(b, 'precious words'), 1);
    // The attacker deletes every batch (its own Yjs delete is as valid as anyone's).
    evil.log.array.delete(0, evil.log.array.length);
    syncAll(evil.doc, b.doc);
    await settled(b);
    assert.equal(count(b, 'precious words'), 1, 'the text stays');
    assert.equal(b.rejections.length, 1, JSON.stringify(b.rejections));
    assert.match(b.rejections[0].reason, /deleted from the log without its writer superseding it/);
    assert.equal(b.rejections[0].writer, a.writer);
    syncAll(a.doc, evil.doc);
    await tick(); // a notices and re-publishes the same signed bytes
    syncAll(a.doc, b.doc, evil.doc);
    await tick(); // and b its own
    syncAll(a.doc, b.doc, evil.doc);
    await settled(a, b);
    assert.equal(a.log.batches().length, 2, 'both writers put their batches back');
    assertTeamHolds(b.team, documentsOf(a));
    assertTeamHolds(a.team, documentsOf(b));
  });

  it('does not take a compaction seen before the batch superseding it can be integrated for a deletion', async () => {
    const a = peer('w-a');
    const x = peer('w-x');
    const b = peer('w-b');
    a.publish([rec('k', 'first words')]);
    syncAll(a.doc, b.doc);
    a.publish([rec('k', 'second words')]);
    syncAll(a.doc, x.doc);
    x.publish([rec('x', 'x words')]);
    syncAll(a.doc, x.doc);
    a.log.compact(); // its snapshot follows x's batch in the array
    // b gets a's structs only: the deletion applies, the snapshot waits for x's batch it follows.
    const vector = Y.decodeStateVector(Y.encodeStateVector(b.doc));
    vector.set(x.doc.clientID, Y.getState(x.doc.store, x.doc.clientID));
    Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc, encodeVector(vector)));
    await settled(b);
    assert.ok((b.doc.store as unknown as { pendingStructs: unknown }).pendingStructs, 'the snapshot waits');
    assert.equal(count(b, 'first words'), 1, 'kept meanwhile');
    syncAll(x.doc, b.doc);
    await settled(b);
    await new Promise((resolve) => setImmediate(resolve));
    assertTeamHolds(b.team, documentsOf(a, x));
    assert.deepEqual(b.rejections, [], 'no deletion reported, nothing put back');
    assert.equal(b.log.batches().filter((batch) => batch.writer === a.writer).length, 1);
  });

  it('honours a compaction by the writer (authorised removal) with no report', async () => {
    const a = peer('w-a');
    const b = peer('w-b');
    for (let i = 0; i < 5; i++) a.publish([rec(`w${i}`, `w${i} x`)]);
    syncAll(a.doc, b.doc);
    a.log.compact(false);
    syncAll(a.doc, b.doc);
    a.publish([rec('w0')]);
    a.log.compact(true);
    syncAll(a.doc, b.doc);
    await settled(b);
    assert.equal(a.log.batches().length, 1);
    assert.deepEqual([0, 1, 2, 3, 4].map((i) => count(b, `w${i} x`)), [0, 1, 1, 1, 1]);
    assertTeamHolds(b.team, documentsOf(a));
    assert.deepEqual(b.rejections, []);
  });

  it('a writer that removes all its chunks leaves nothing after a full compaction', async () => {
    const a = peer('w-a');
    const b = peer('w-b');
    a.publish([rec('one', 'one text'), rec('two', 'two text')], 'snapshot');
    a.publish([rec('one'), rec('two')]);
    a.log.compact(true);
    syncAll(a.doc, b.doc);
    await settled(b);
    assert.equal(a.log.batches().length, 1, 'an empty batch carries the floor');
    assert.equal(b.team.stats().documents, 0);
    assert.deepEqual(b.rejections, []);
  });

  it('refuses batches of the old formats with a clear reason: unsigned (1) and n-gram counts (2)', async () => {
    const b = peer('w-b');
    const evil = peer('w-evil');
    evil.log.array.push([new Uint8Array([0x4c, 1, 0, 5, ...Buffer.from('w-old'), 1, 2, 3, 4, 5, 6, 7, 8, 1, 1, 1, 97, 2])]);
    syncAll(evil.doc, b.doc);
    await settled(b);
    assert.match(b.rejections[0].reason, /unsigned batch of format version 1 refused/);
    const key = keyOf('w-old-peer');
    const v2 = encodeLoggedBatch(key, 'delta', new Uint8Array([1, 1, 1, 97, 2]), { seq: 1, floor: 0, dead: [] }).slice(0, -64);
    v2[1] = 2;
    evil.log.array.push([new Uint8Array([...v2, ...key.sign(v2)])]);
    syncAll(evil.doc, b.doc);
    await settled(b);
    assert.equal(b.rejections.length, 2);
    assert.match(b.rejections[1].reason, /format version 2 \(n-gram counts\) refused: this Light Network shares text/);
    assert.equal(b.team.stats().documents, 0);
  });
});

describe('share/deltaLog index (issue 10, item 3)', () => {
  it('follows each update by its own items, never rescanning the log', () => {
    const writer = new DeltaLog(new Y.Doc(), keyOf('w-many'));
    for (let i = 0; i < 50; i++) writer.append(batchOf(...Array.from({ length: 200 }, (_, k) => rec(`t${i}_${k}`, `t${i}_${k}`))));
    // 50 batches, then junk: the receiver must index both without rescanning for each update.
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
    for (let i = 0; i < 100; i++) writer.append(batchOf(rec(`tiny${i}`, `tiny${i}`)));
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
    a.publish([rec('k', 'kept words')]);
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
  async function restarted(name: string, from: Y.Doc) {
    const p = peer(name);
    Y.applyUpdate(p.doc, Y.encodeStateAsUpdate(from));
    await settled(p);
    return p;
  }

  it('keeps a deleted batch of an absent writer for later joiners and after a restart', async () => {
    const a = peer('w-a');
    const b = peer('w-b');
    const evil = peer('w-evil');
    a.publish([rec('p', 'precious words')]);
    syncAll(a.doc, b.doc, evil.doc);
    a.log.destroy(); // a leaves for good: nobody republishes for it
    evil.log.destroy(); // and the attacker does not put anything back
    const i = evil.log.array.toArray().findIndex((bytes) => bytes.byteLength > 0);
    evil.doc.transact(() => evil.log.array.delete(i, 1));
    syncAll(evil.doc, b.doc);
    await settled(b);
    assert.equal(count(b, 'precious words'), 1);
    await tick(); // b puts the batch back
    assert.equal(b.log.batches().length, 1);
    const joiner = peer('w-joiner');
    syncAll(b.doc, joiner.doc);
    await settled(joiner);
    assert.equal(count(joiner, 'precious words'), 1, 'a later joiner has the text');
    assert.equal(count(await restarted('w-b', b.doc), 'precious words'), 1, 'so has b after a restart');
  });

  it('keeps what a writer superseded superseded when its newer snapshot is deleted and an old batch replayed', async () => {
    const a = peer('w-a');
    const b = peer('w-b');
    const evil = peer('w-evil');
    a.publish([rec('f', 'forgotten words')]);
    a.publish([rec('k', 'kept words')]);
    syncAll(a.doc, b.doc, evil.doc);
    const old = evil.log.batches().filter((x) => x.writer === a.writer).map((x) => x.bytes.slice());
    a.publish([rec('f')]); // the user forgets them
    a.log.compact(true);
    syncAll(a.doc, b.doc, evil.doc);
    await settled(b);
    assert.equal(count(b, 'forgotten words'), 0);
    a.log.destroy();
    evil.log.destroy();
    // The attacker deletes a's snapshot and replays the old signed batches.
    evil.doc.transact(() => {
      const entries = evil.log.array.toArray();
      for (let k = entries.length - 1; k >= 0; k--) if (evil.log.batches().some((x) => x.bytes === entries[k] && x.writer === a.writer)) evil.log.array.delete(k, 1);
      evil.log.array.push(old);
    });
    syncAll(evil.doc, b.doc);
    await settled(b);
    await tick(); // b puts the snapshot back
    assert.equal(count(b, 'forgotten words'), 0);
    assert.equal(count(b, 'kept words'), 1);
    const joiner = peer('w-joiner');
    syncAll(b.doc, joiner.doc);
    await settled(joiner);
    assert.equal(count(joiner, 'forgotten words'), 0, 'a joiner does not get the forgotten text back');
    assert.equal(count(joiner, 'kept words'), 1);
    assertTeamHolds(joiner.team, documentsOf(a));
    const again = await restarted('w-b', b.doc);
    assert.equal(count(again, 'forgotten words'), 0, 'nor does b after a restart');
    assert.equal(count(again, 'kept words'), 1);
  });
});
