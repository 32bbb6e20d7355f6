// The CPU side of a first sync, without WebRTC: a joiner applies a writer's log of N counts
// (default 1M) from one Yjs update. Reports Y.applyUpdate with the log's index (headers), and
// signatures + decode + validation + writer ledger + engine apply through the team layer.
// For profiling: `node --cpu-prof --import tsx bench/share/applyBench.ts`.
//   npx tsx bench/share/applyBench.ts [counts] [runs]
import * as Y from 'yjs';
import { Memory } from '../../src/memory';
import { BatchValidator } from '../../src/share/batchValidator';
import { chunkBatch } from '../../src/share/deltaMath';
import { DeltaLog, ENTRIES_PER_BATCH } from '../../src/share/deltaLog';
import { withLimits } from '../../src/share/limits';
import { memoryTeam } from '../../src/share/memoryTeam';
import { createSecretTokenTest } from '../../src/share/secretFilter';
import { TeamLayer } from '../../src/share/teamLayer';
import { newWriterKey } from '../../src/share/writerKey';
import { syntheticBatch } from '../../test/integration/share/synthetic';

const counts = Number(process.argv[2] ?? 1_000_000);
const runs = Number(process.argv[3] ?? 3);

const writerDoc = new Y.Doc();
const writerLog = new DeltaLog(writerDoc, newWriterKey());
for (const chunk of chunkBatch(syntheticBatch(counts, 11), ENTRIES_PER_BATCH)) writerLog.append(chunk, 'snapshot');
const update = Y.encodeStateAsUpdate(writerDoc);
console.log(`${counts.toLocaleString()} counts, update of ${(update.byteLength / 1048576).toFixed(1)} MiB`);

for (let run = 0; run < runs; run++) {
  const team = new Memory({ order: 6 });
  const base = memoryTeam(() => team);
  let engineMs = 0;
  const sink = {
    ...base,
    order: team.order,
    applyBulkDelta(...args: Parameters<NonNullable<typeof base.applyBulkDelta>>) {
      const t = performance.now();
      base.applyBulkDelta!(...args);
      engineMs += performance.now() - t;
    },
  };
  // The log indexes what each update adds (it never rescans the array): it must observe the
  // document before the update arrives, as in a session.
  const doc = new Y.Doc();
  const reader = new DeltaLog(doc, newWriterKey());
  const layer = new TeamLayer(sink, new BatchValidator(withLimits(), sink, createSecretTokenTest()), reader.writer, (r) => console.log('rejected', r.reason));
  reader.onChange((change) => layer.apply(change));
  const started = performance.now();
  Y.applyUpdate(doc, update); // reads every batch header as the log indexes them
  const decoded = performance.now();
  layer.drain(); // signatures, decoding, validation, ledger, engine
  const applied = performance.now();
  const ledger = layer.ledgerSize();
  console.log(
    `run ${run + 1}: Y.applyUpdate + log index ${(decoded - started).toFixed(0)} ms, ` +
      `team layer ${(applied - decoded).toFixed(0)} ms ` +
      `(engine ${engineMs.toFixed(0)} ms), ${team.stats().ngrams.toLocaleString()} n-grams, ` +
      `writer ledger ${ledger.entries.toLocaleString()} entries in ${(ledger.bytes / 1048576).toFixed(1)} MiB`,
  );
}
