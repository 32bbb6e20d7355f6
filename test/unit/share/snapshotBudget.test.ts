// A writer's snapshot within its share of the log: the threshold is the smallest whose n-grams fit,
// what it keeps is closed under shortening, the estimate covers the encoding of real code, the log
// appends a batch only within the bytes it is given, and the budget follows the log cap.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as Y from 'yjs';
import { encodeDeltas } from '../../../src/memory';
import { IndexedMemoryBuilder } from '../../../src/memory/indexedMemory';
import { LiveMemory } from '../../../src/memory/liveMemory';
import type { NgramDelta } from '../../../src/memory/types';
import { chunkBatch } from '../../../src/share/deltaMath';
import { DeltaLog, ENTRIES_PER_BATCH } from '../../../src/share/deltaLog';
import { DEFAULT_LIMITS, tunedShareLimits, withLimits } from '../../../src/share/limits';
import { estimatedEntryBytes, largestEstimate, SnapshotSizer } from '../../../src/share/snapshotBudget';
import { createInvite } from '../../../src/share/invite';
import { memoryTeam } from '../../../src/share/memoryTeam';
import { ShareSession } from '../../../src/share/session';
import type { SnapshotSource } from '../../../src/share/snapshotBudget';
import { newWriterKey } from '../../../src/share/writerKey';
import { Memory } from '../../../src/memory';
import { keyOf } from './logPeers';

const MiB = 1024 * 1024;
const root = path.resolve(__dirname, '../../..');

/** Every n-gram of this repository's engine sources, with its count: a real memory's contribution. */
function realContribution(): NgramDelta[] {
  const builder = new IndexedMemoryBuilder();
  for (const dir of ['src/memory', 'src/share']) {
    for (const name of readdirSync(path.join(root, dir)).sort()) {
      if (name.endsWith('.ts')) builder.addDocument(`${dir}/${name}`, readFileSync(path.join(root, dir, name), 'utf8'));
    }
  }
  const entries: NgramDelta[] = [];
  for (const entry of new LiveMemory(builder.build()).ngramCounts()) if (entry) entries.push(entry);
  return entries;
}

describe('share/snapshot budget', () => {
  const entries = realContribution();
  const bytesOf = (kept: NgramDelta[]) => kept.reduce((sum, entry) => sum + estimatedEntryBytes(entry), 0);

  it('keeps the n-grams seen at least the smallest threshold whose estimate fits', () => {
    const sizer = new SnapshotSizer();
    for (const entry of entries) sizer.add(entry);
    const whole = bytesOf(entries);
    assert.deepEqual(sizer.plan(whole), { threshold: 1, fillBytes: 0, total: entries.length, kept: entries.length, estimatedBytes: whole });
    const plan = sizer.plan(whole / 4);
    assert.ok(plan.threshold > 1);
    const kept = entries.filter((entry) => entry.delta >= plan.threshold);
    assert.equal(plan.kept, kept.length);
    assert.equal(plan.estimatedBytes, bytesOf(kept));
    assert.ok(plan.estimatedBytes <= whole / 4);
    assert.equal(plan.fillBytes, whole / 4 - plan.estimatedBytes, 'the room left goes to the next count down');
    const oneLower = entries.filter((entry) => entry.delta >= plan.threshold - 1);
    assert.ok(bytesOf(oneLower) > whole / 4, 'a lower threshold would not fit');
    assert.equal(sizer.plan(1).kept, 0, 'a budget nothing fits keeps nothing');
    assert.ok(largestEstimate(entries.length, 8, DEFAULT_LIMITS.maxTokenLength) >= whole);
  });

  it('keeps, with every n-gram, the shorter n-grams inside it', () => {
    const sizer = new SnapshotSizer();
    for (const entry of entries) sizer.add(entry);
    const { threshold } = sizer.plan(bytesOf(entries) / 10);
    const kept = new Set(entries.filter((entry) => entry.delta >= threshold).map((entry) => entry.ngram.join('\u0000')));
    assert.ok(kept.size > 100);
    for (const key of kept) {
      const ngram = key.split('\u0000');
      if (ngram.length === 1) continue;
      assert.ok(kept.has(ngram.slice(1).join('\u0000')) && kept.has(ngram.slice(0, -1).join('\u0000')), `${ngram.join(' ')} is kept without a shorter one`);
    }
  });

  it('estimates at least what the log encoding of real code takes, in all', () => {
    let encoded = 0;
    for (const chunk of chunkBatch({ entries }, ENTRIES_PER_BATCH)) encoded += encodeDeltas(chunk).byteLength;
    const estimated = bytesOf(entries);
    assert.ok(encoded <= estimated && encoded > estimated / 2, `encoded ${encoded}, estimated ${estimated}`);
  });

  it('appends a batch only within the bytes it is given, and nothing otherwise', () => {
    const log = new DeltaLog(new Y.Doc(), keyOf('w-a'));
    const batch = { entries: entries.slice(0, 500) };
    assert.equal(log.appendWithin(batch, 'snapshot', 100), undefined);
    assert.equal(log.array.length, 0);
    assert.equal(log.ownStats().snapshotEntries, 0, 'a refused batch is not counted as ours');
    const bytes = log.appendWithin(batch, 'snapshot', MiB)!;
    assert.ok(bytes > 0 && bytes === log.size().bytes, `${bytes} vs ${log.size().bytes}`);
    assert.equal(log.ownStats().snapshotEntries, 500);
  });

  it('publishes a snapshot within the budget, cut short where its source understated its size', async () => {
    const team = new Memory();
    const session = new ShareSession({
      invite: createInvite(['ws://127.0.0.1:9']),
      writerKey: newWriterKey(),
      user: { name: 'a', color: '#40b0e0' },
      team: memoryTeam(() => team),
      limits: { maxLogBytes: 64 * 1024 },
    });
    const source = (ngrams: number): SnapshotSource => ({
      ngrams,
      order: 8,
      chunks: async function* () {
        yield* chunkBatch({ entries }, 2000);
      },
    });
    try {
      const sized = (await session.publishSnapshotChunks(source(entries.length)))!;
      assert.ok(sized.threshold > 1 && !sized.cut && sized.bytes <= 16 * 1024 && sized.total === entries.length, JSON.stringify(sized));
      const above = entries.filter((entry) => entry.delta >= sized.threshold).length;
      const next = entries.filter((entry) => entry.delta === sized.threshold - 1).length;
      assert.ok(sized.published > above && sized.published < above + next, `${sized.published}: ${above} above the threshold, ${next} one below`);
      // Told it is tiny, the session publishes without sizing, and stops at the budget.
      const cut = (await session.publishSnapshotChunks(source(10)))!;
      assert.ok(cut.cut && cut.threshold === 1 && cut.published > 0 && cut.published < entries.length, JSON.stringify(cut));
      assert.ok(cut.bytes <= 16 * 1024 && cut.bytes > 8 * 1024, `the budget is filled: ${cut.bytes} bytes`);
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
