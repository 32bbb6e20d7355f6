// Issue 10, item 8, first half: a writer's own negative batches take away only what that writer
// contributed, never another writer's counts; the per-writer ledger that enforces it is bounded;
// and one writer's contribution can be forgotten and remembered exactly.
import { strict as assert } from 'node:assert';
import * as Y from 'yjs';
import { Memory } from '../../../src/memory';
import { bulkFromBatch } from '../../../src/memory/bulkDelta';
import type { DeltaBatch } from '../../../src/memory/types';
import { decodeDeltas } from '../../../src/memory/deltaCodec';
import { encodeLoggedBatch, payloadOf } from '../../../src/share/batchFormat';
import { BatchValidator } from '../../../src/share/batchValidator';
import { encodeDeltas } from '../../../src/memory';
import { DeltaLog } from '../../../src/share/deltaLog';
import { withLimits } from '../../../src/share/limits';
import { memoryTeam } from '../../../src/share/memoryTeam';
import { createSecretTokenTest } from '../../../src/share/secretFilter';
import { TeamLayer, type Rejection, type TeamLayerOptions } from '../../../src/share/teamLayer';
import { WriterLedger } from '../../../src/share/writerLedger';
import type { WriterKey } from '../../../src/share/writerKey';
import { inc, keyOf, syncAll } from './logPeers';

function peer(name: string, options: TeamLayerOptions = {}, isSecretToken?: (token: string) => boolean) {
  const doc = new Y.Doc();
  const log = new DeltaLog(doc, keyOf(name));
  const team = new Memory({ order: 3 });
  const rejections: Rejection[] = [];
  const sink = memoryTeam(() => team);
  const validator = new BatchValidator(withLimits(), sink, isSecretToken);
  const layer = new TeamLayer(sink, validator, log.writer, (r) => rejections.push(r), { onVanished: (batch) => log.putBack(batch), ...options });
  log.onChange((change) => {
    layer.apply(change);
    layer.drain();
  });
  return { doc, log, team, rejections, layer, writer: log.writer };
}

/** A batch of `key`'s writer with a seq of our choosing, appended raw (as a hostile writer may). */
function rawBatch(key: WriterKey, batch: DeltaBatch, seq: number): Uint8Array {
  return encodeLoggedBatch(key, 'delta', encodeDeltas(batch), { seq, floor: 0, dead: [] });
}

describe('share/writer ledger: a writer takes away only what it contributed (issue 10, item 8)', () => {
  it("does not let a hostile writer's negative batch lower another writer's counts", () => {
    const alice = peer('alice');
    const bob = peer('bob');
    const evil = peer('evil');
    alice.log.append(inc('shared phrase', 7));
    alice.log.append(inc('alice only', 3));
    evil.log.append(inc('shared phrase', 2));
    syncAll(alice.doc, bob.doc, evil.doc);
    assert.equal(bob.team.count(['shared', 'phrase']), 9);
    // The hostile writer's own, genuinely signed batch: -9 on the phrase, -3 on alice's n-gram.
    evil.log.append({ entries: [{ ngram: ['shared', 'phrase'], delta: -9 }, { ngram: ['alice', 'only'], delta: -3 }] });
    syncAll(alice.doc, bob.doc, evil.doc);
    assert.equal(bob.team.count(['shared', 'phrase']), 7, 'only its own 2 are taken');
    assert.equal(bob.team.count(['alice', 'only']), 3, 'alice keeps hers');
    assert.equal(bob.rejections.length, 1, JSON.stringify(bob.rejections));
    assert.match(bob.rejections[0].reason, /2 entries would take counts below what this writer contributed/);
    assert.equal(bob.rejections[0].writer, evil.writer);
    // What it banked below zero buys it nothing later: +9 brings its net back to 2 only.
    evil.log.append(inc('shared phrase', 9));
    syncAll(bob.doc, evil.doc);
    assert.equal(bob.team.count(['shared', 'phrase']), 9);
    // A joiner and a restarted peer get the same counts from the same log.
    const joiner = peer('joiner');
    syncAll(bob.doc, joiner.doc);
    assert.equal(joiner.team.count(['shared', 'phrase']), 9);
    assert.equal(joiner.team.count(['alice', 'only']), 3);
  });

  it('lets a writer take its own counts back to zero (edits), and a compaction stays exact', () => {
    const alice = peer('alice');
    const bob = peer('bob');
    alice.log.append(inc('draft words', 4));
    bob.log.append(inc('draft words', 1));
    syncAll(alice.doc, bob.doc);
    alice.log.append(inc('draft words', -4));
    syncAll(alice.doc, bob.doc);
    assert.equal(bob.team.count(['draft', 'words']), 0);
    alice.log.append(inc('draft words', 2));
    alice.log.compact(true);
    syncAll(alice.doc, bob.doc);
    assert.equal(bob.team.count(['draft', 'words']), 2);
    assert.deepEqual(bob.rejections, []);
    const carol = peer('carol');
    syncAll(alice.doc, carol.doc);
    assert.equal(carol.team.count(['draft', 'words']), 3, "alice's 2 and bob's 1");
  });

  it("counts a writer's batches of one change in the order it wrote them (a put-back snapshot after its deltas)", () => {
    const key = keyOf('writer-w');
    const base = Date.now() * 1000;
    const snapshot = rawBatch(key, { entries: [{ ngram: ['x', 'y'], delta: 5 }, { ngram: ['z'], delta: 2 }] }, base);
    const edit = rawBatch(key, { entries: [{ ngram: ['x', 'y'], delta: -3 }, { ngram: ['z'], delta: -2 }] }, base + 1);
    const counts = (order: Uint8Array[][]) => {
      const reader = peer('reader');
      const other = new Y.Doc();
      for (const step of order) {
        other.getArray<Uint8Array>('lightNetwork.deltaLog').push(step);
        syncAll(other, reader.doc);
      }
      return [reader.team.count(['x', 'y']), reader.team.count(['z'])];
    };
    assert.deepEqual(counts([[snapshot], [edit]]), [2, 0]);
    assert.deepEqual(counts([[edit, snapshot]]), [2, 0], 'a joiner gets the log in one change');
    // Seen apart, the edit first (a joiner that synced while the snapshot was deleted), the edit
    // takes from nothing and is dropped; the writer's next compaction supersedes both and heals it.
    const compaction = encodeLoggedBatch(key, 'snapshot', encodeDeltas({ entries: [{ ngram: ['x', 'y'], delta: 2 }] }), { seq: base + 2, floor: base + 2, dead: [] });
    assert.deepEqual(counts([[edit], [snapshot]]), [5, 2]);
    assert.deepEqual(counts([[edit], [snapshot], [compaction]]), [2, 0]);
  });

  it('forgets one writer exactly, holds its later batches, and remembers it again', () => {
    const alice = peer('alice');
    const bob = peer('bob');
    const carol = peer('carol');
    alice.log.append(inc('common words', 2));
    alice.log.append(inc('alice words', 5));
    carol.log.append(inc('common words', 3));
    syncAll(alice.doc, bob.doc, carol.doc);
    assert.deepEqual(bob.layer.contributors(['common', 'words']).sort(), [alice.writer, carol.writer].sort());
    assert.deepEqual(bob.layer.contributors(['alice', 'words']), [alice.writer]);
    bob.layer.forget(alice.writer);
    bob.layer.drain();
    assert.equal(bob.team.count(['common', 'words']), 3);
    assert.equal(bob.team.count(['alice', 'words']), 0);
    assert.equal(bob.team.wordCount('alice'), 0);
    assert.deepEqual(bob.layer.contributors(['common', 'words']), [carol.writer]);
    alice.log.append(inc('more alice', 4));
    syncAll(alice.doc, bob.doc, carol.doc);
    assert.equal(bob.team.count(['more', 'alice']), 0, 'later batches are held, not counted');
    assert.deepEqual(
      bob.layer.writers().map((w) => [w.writer, w.forgotten, w.held > 0]).sort(),
      [[alice.writer, true, true], [carol.writer, false, false]].sort(),
    );
    bob.layer.remember(alice.writer);
    bob.layer.drain();
    assert.equal(bob.team.count(['common', 'words']), 5);
    assert.equal(bob.team.count(['alice', 'words']), 5);
    assert.equal(bob.team.count(['more', 'alice']), 4);
    assert.deepEqual(bob.rejections, []);
  });

  it('starts with a writer forgotten: its batches are never counted, and a compaction of it while held stays exact', () => {
    const alice = peer('alice');
    alice.log.append(inc('old words', 2));
    const bob = peer('bob', { forgotten: [keyOf('alice').id] });
    syncAll(alice.doc, bob.doc);
    assert.equal(bob.team.count(['old', 'words']), 0);
    alice.log.append(inc('old words', -2));
    alice.log.append(inc('new words', 1));
    alice.log.compact(true);
    syncAll(alice.doc, bob.doc);
    bob.layer.remember(alice.writer);
    bob.layer.drain();
    assert.equal(bob.team.count(['old', 'words']), 0, 'the superseded batches stay out');
    assert.equal(bob.team.count(['new', 'words']), 1);
  });

  it('drops negative entries for what their writer never gave before they cost anything, and caps the pairs it tracks', () => {
    const evil = peer('evil');
    const bob = peer('bob', { maxLedgerEntries: 5000 });
    // Negative entries for n-grams (and words) nobody has: they would change no count.
    evil.log.append({ entries: Array.from({ length: 4000 }, (_, i) => ({ ngram: [`ghost${i}`], delta: -1 })) });
    syncAll(evil.doc, bob.doc);
    assert.equal(bob.team.stats().ngrams, 0);
    assert.equal(bob.layer.ledgerSize().entries, 0, 'no ledger slot for them');
    assert.match(bob.rejections[0].reason, /^4000 entries would take counts below/);
    // Positive entries cost a slot each: the batch that would pass the cap is refused whole.
    evil.log.append({ entries: Array.from({ length: 4000 }, (_, i) => ({ ngram: [`word${i}`], delta: 1 })) });
    evil.log.append({ entries: Array.from({ length: 4000 }, (_, i) => ({ ngram: [`more${i}`], delta: 1 })) });
    syncAll(evil.doc, bob.doc);
    assert.equal(bob.layer.ledgerSize().entries, 4000);
    assert.equal(bob.team.stats().ngrams, 4000);
    assert.equal(bob.team.wordCount('more1'), 0);
    assert.ok(bob.rejections.some((r) => /would pass the cap of 5000/.test(r.reason)), JSON.stringify(bob.rejections.map((r) => r.reason)));
  });
});

/** Every n-gram the memory counts, with its count ('a b' → n). */
function countsOf(memory: Memory): Map<string, number> {
  const counts = new Map<string, number>();
  for (const entry of memory.ngramCounts()) if (entry) counts.set(entry.ngram.join(' '), entry.delta);
  return counts;
}

/**
 * The team memory the log should give, counted the slow way: each writer's batches in the log in
 * the order it wrote them, entry by entry. An entry longer than `order` or naming a secret is left
 * out, a negative one of which its writer has nothing is dropped, and an n-gram counts the sum over
 * writers of max(0, what that writer's entries add up to).
 */
function recount(log: DeltaLog, order: number, secret: (token: string) => boolean): Map<string, number> {
  const byWriter = new Map<string, { seq: number; entries: DeltaBatch['entries'] }[]>();
  for (const logged of log.batches()) {
    const batches = byWriter.get(logged.writer) ?? [];
    batches.push({ seq: logged.seq, entries: decodeDeltas(payloadOf(logged)).entries });
    byWriter.set(logged.writer, batches);
  }
  const counts = new Map<string, number>();
  for (const batches of byWriter.values()) {
    const nets = new Map<string, number>();
    for (const { entries } of batches.sort((a, b) => a.seq - b.seq)) {
      for (const { ngram, delta } of entries) {
        if (ngram.length > order || ngram.some(secret)) continue;
        const key = ngram.join(' ');
        const net = nets.get(key) ?? 0;
        if (delta < 0 && net <= 0) continue;
        nets.set(key, net + delta);
      }
    }
    for (const [key, net] of nets) if (net > 0) counts.set(key, (counts.get(key) ?? 0) + net);
  }
  return counts;
}

describe('share/writer ledger: a batch comes out exactly as it went in', () => {
  const AWS_KEY = 'AKIAIOSFODNN7EXAMPLE';
  /** A value that becomes secret only once another batch gives it away in context. */
  const LATER_SECRET = 'zorblax9q';

  it('subtracts what was applied, though the validator and the ledger would now keep other entries', () => {
    const isSecret = createSecretTokenTest();
    const alice = peer('alice');
    const carol = peer('carol');
    // bob forgets and remembers alice; dan only sees her batches superseded.
    const bob = peer('bob', {}, isSecret);
    const dan = peer('dan', {}, isSecret);
    const everyone = () => syncAll(alice.doc, carol.doc, bob.doc, dan.doc);
    alice.log.append({
      entries: [
        { ngram: ['connect', 'with', LATER_SECRET], delta: 2 },
        { ngram: ['plain', 'words'], delta: 3 },
        { ngram: ['aws', AWS_KEY], delta: 4 }, // a secret: dropped
        { ngram: ['one', 'two', 'three', 'four'], delta: 5 }, // longer than the team memory's order 3: dropped
        { ngram: ['never', 'given'], delta: -1 }, // nothing to take: dropped
        { ngram: ['plain'], delta: 1 },
      ],
    });
    everyone();
    for (const reader of [bob, dan]) {
      assert.deepEqual(countsOf(reader.team), new Map([['connect with ' + LATER_SECRET, 2], ['plain words', 3], ['plain', 1]]));
    }
    // Now the validator drops what it applied (carol gives the value away), and alice gets a
    // count of the n-gram her first batch took from nothing: judged again, that batch would
    // keep other entries than those it applied.
    carol.log.append({ entries: [{ ngram: ['password', '=', LATER_SECRET], delta: 1 }] });
    alice.log.append(inc('never given', 3));
    everyone();
    assert.equal(bob.team.count(['never', 'given']), 3);
    assert.equal(bob.team.count(['password', '=', LATER_SECRET]), 0, 'a secret given away in context');
    const secret = (token: string) => isSecret(token) || token === LATER_SECRET;

    bob.layer.forget(alice.writer);
    bob.layer.drain();
    assert.deepEqual(countsOf(bob.team), new Map(), 'nothing of alice is left');
    bob.layer.remember(alice.writer);
    bob.layer.drain();
    assert.deepEqual(countsOf(bob.team), recount(bob.log, 3, secret));
    assert.equal(bob.team.count(['never', 'given']), 3);
    assert.equal(bob.team.count(['connect', 'with', LATER_SECRET]), 0, 'remembered batches are judged anew');

    // A compaction supersedes both batches with their sum; dan still counts the first as applied.
    alice.log.compact(true);
    everyone();
    assert.equal(alice.log.batches().filter((b) => b.writer === alice.writer).length, 1);
    for (const reader of [bob, dan]) {
      assert.deepEqual(countsOf(reader.team), recount(reader.log, 3, secret));
      assert.equal(reader.team.count(['never', 'given']), 2, '-1 + 3, in one batch');
      assert.equal(reader.team.count(['connect', 'with', LATER_SECRET]), 0);
      assert.equal(reader.team.count(['plain', 'words']), 3);
    }
    for (const reader of [bob, dan]) {
      reader.layer.forget(alice.writer);
      reader.layer.drain();
      assert.deepEqual(countsOf(reader.team), new Map());
      reader.layer.remember(alice.writer);
      reader.layer.drain();
      assert.deepEqual(countsOf(reader.team), recount(reader.log, 3, secret));
    }
  });

  it('keeps no decoded copy of the batches it counts: a bit per entry of those not applied whole', () => {
    const alice = peer('alice');
    const bob = peer('bob');
    const batches = 40;
    const entries = 3000;
    for (let b = 0; b < batches; b++) {
      alice.log.append({
        entries: Array.from({ length: entries }, (_, i) => ({
          // Every tenth entry is longer than the order or takes from nothing: dropped.
          ngram: i % 10 === 0 ? [`w${b}`, `x${i}`, 'y', 'z'] : [`w${b}`, `x${i}`],
          delta: i % 20 === 5 ? -1 : 1 + (i % 3),
        })),
      });
    }
    syncAll(alice.doc, bob.doc);
    assert.equal(bob.layer.batchCount, batches);
    assert.equal(bob.team.stats().ngrams, batches * (entries - entries / 10 - entries / 20));
    assert.ok(bob.layer.retainedBytes() <= batches * (entries / 8 + 8), `${bob.layer.retainedBytes()} bytes kept for ${batches} batches of ${entries} entries`);
    // Batches applied whole keep nothing but their log entry.
    const carol = peer('carol');
    const dave = peer('dave');
    for (let b = 0; b < batches; b++) carol.log.append({ entries: Array.from({ length: entries }, (_, i) => ({ ngram: [`c${b}`, `d${i}`], delta: 1 })) });
    syncAll(carol.doc, dave.doc);
    assert.equal(dave.layer.batchCount, batches);
    assert.equal(dave.layer.retainedBytes(), 0);
    // And they come out whole.
    carol.log.compact(true);
    carol.log.append(inc('last words', 1));
    carol.log.compact(true);
    syncAll(carol.doc, dave.doc);
    dave.layer.forget(carol.writer);
    dave.layer.drain();
    assert.equal(dave.team.stats().ngrams, 0);
    alice.log.compact(true);
    syncAll(alice.doc, bob.doc);
    assert.deepEqual(countsOf(bob.team), recount(bob.log, 3, () => false));
  });
});

describe('share/writer ledger: cost', () => {
  it('keeps nets beyond 32 bits exact, through the tables growing, and back', () => {
    const ledger = new WriterLedger();
    const big = bulkFromBatch({ entries: [{ ngram: ['many', 'times'], delta: 1 }] });
    const bigHashes = ledger.hashTable(big.table);
    assert.equal(ledger.add('a', big, bigHashes, 0, 1_500_000_000), 1_500_000_000);
    assert.equal(ledger.add('a', big, bigHashes, 0, 1_500_000_000), 1_500_000_000);
    assert.equal(ledger.add('b', big, bigHashes, 0, -3_000_000_000), 0, "below zero counts nothing (the team layer never lets it happen)");
    // Enough other entries that every table is rebuilt, moving every slot.
    const others = bulkFromBatch({ entries: Array.from({ length: 50_000 }, (_, i) => ({ ngram: [`x${i}`], delta: 1 })) });
    const otherHashes = ledger.hashTable(others.table);
    for (let i = 0; i < others.count; i++) ledger.add('a', others, otherHashes, i, 1);
    assert.equal(ledger.netOf('a', ['many', 'times']), 3_000_000_000);
    assert.equal(ledger.netOf('b', ['many', 'times']), -3_000_000_000);
    assert.equal(ledger.add('a', big, bigHashes, 0, -2_999_999_995), -2_999_999_995);
    assert.equal(ledger.netOf('a', ['many', 'times']), 5);
    assert.equal(ledger.add('a', big, bigHashes, 0, -5), -5);
    assert.equal(ledger.add('b', big, bigHashes, 0, 3_000_000_000), 0);
    assert.equal(ledger.netOf('a', ['many', 'times']), 0);
    assert.equal(ledger.netOf('b', ['many', 'times']), 0);
    assert.equal(ledger.netOf('a', ['x77']), 1);
  });

  it('holds 100k entries in at most 24 bytes each, and drops slots whose net came back to zero', () => {
    const ledger = new WriterLedger();
    const n = 100_000;
    const batch = bulkFromBatch({ entries: Array.from({ length: n }, (_, i) => ({ ngram: [`w${i % 5000}`, `v${i}`], delta: 3 })) });
    const hashes = ledger.hashTable(batch.table);
    for (let i = 0; i < n; i++) assert.equal(ledger.add('a', batch, hashes, i, 3), 3);
    assert.equal(ledger.size, n);
    assert.ok(ledger.bytes() <= 24 * n, `${ledger.bytes()} bytes for ${n} entries`);
    assert.equal(ledger.netOf('a', ['w7', 'v7']), 3);
    assert.equal(ledger.netOf('b', ['w7', 'v7']), 0);
    assert.equal(ledger.netOf('a', ['v7', 'w7']), 0, 'token order matters');
    // The same n-grams added and removed by other writers, round after round: the zero slots go
    // when the table is rebuilt, so it does not grow with the rounds.
    for (let round = 0; round < 6; round++) {
      const writer = `r${round}`;
      for (let i = 0; i < n; i++) ledger.add(writer, batch, hashes, i, 1);
      for (let i = 0; i < n; i++) assert.equal(ledger.add(writer, batch, hashes, i, -1), -1);
    }
    assert.ok(ledger.size <= 3 * n, `${ledger.size} slots after 6 rounds of ${n}`);
    assert.ok(ledger.bytes() <= 4 * 24 * n, `${ledger.bytes()} bytes`);
    // Clamping: a writer's net below zero changes the memory by nothing until it is positive again.
    assert.equal(ledger.add('c', batch, hashes, 0, -5), 0);
    assert.equal(ledger.add('c', batch, hashes, 0, 7), 2);
    assert.equal(ledger.add('c', batch, hashes, 0, -7), -2);
  });
});
