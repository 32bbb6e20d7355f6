// The CPU side of a first sync, without WebRTC: a joiner applies a writer's log of N tokens of text
// (default 1M) from one Yjs update. Reports Y.applyUpdate with the log's index (headers), then
// signatures + decode + validation (secret cuts) + the team layer, and the team memory's index
// build (in process here; on the memory file worker in the extension).
// For profiling: `node --cpu-prof --import tsx bench/share/applyBench.ts`.
//   npx tsx bench/share/applyBench.ts [tokens] [runs]
import * as Y from 'yjs';
import { BatchValidator } from '../../src/share/batchValidator';
import { DeltaLog } from '../../src/share/deltaLog';
import { withLimits } from '../../src/share/limits';
import { createSecretTokenTest } from '../../src/share/secretFilter';
import { TeamLayer } from '../../src/share/teamLayer';
import { TeamMemory } from '../../src/share/teamMemory';
import { chunkKey } from '../../src/share/textBatch';
import { newWriterKey } from '../../src/share/writerKey';
import { syntheticDocuments } from '../../test/integration/share/synthetic';

const tokens = Number(process.argv[2] ?? 1_000_000);
const runs = Number(process.argv[3] ?? 3);

async function main(): Promise<void> {
  const writerDoc = new Y.Doc();
  const writerLog = new DeltaLog(writerDoc, newWriterKey());
  const salt = new Uint8Array(16).fill(3);
  writerLog.append({ records: syntheticDocuments(tokens, 11).map((doc) => ({ key: chunkKey(salt, doc.id), tokens: doc.tokens })) }, 'snapshot');
  const update = Y.encodeStateAsUpdate(writerDoc);
  console.log(`${tokens.toLocaleString()} tokens, update of ${(update.byteLength / 1048576).toFixed(2)} MiB (${(update.byteLength / tokens).toFixed(2)} B/token)`);

  for (let run = 0; run < runs; run++) {
    const team = new TeamMemory({ order: 6 });
    let handOverMs = 0;
    const sink = {
      get order() {
        return team.order;
      },
      wordCount: (word: string) => team.wordCount(word),
      stats: () => team.stats(),
      whenIdle: () => team.whenIdle(),
      setDocument(id: string, chunk: readonly string[] | undefined) {
        const t = performance.now();
        team.setDocument(id, chunk);
        handOverMs += performance.now() - t;
      },
    };
    // The log indexes what each update adds (it never rescans the array): it must observe the
    // document before the update arrives, as in a session.
    const doc = new Y.Doc();
    const reader = new DeltaLog(doc, newWriterKey());
    const limits = withLimits();
    const layer = new TeamLayer(sink, new BatchValidator(limits, sink, createSecretTokenTest()), reader.writer, (r) => console.log('rejected', r.reason), {
      maxTeamTokens: limits.maxTeamTokens,
    });
    reader.onChange((change) => layer.apply(change));
    const started = performance.now();
    Y.applyUpdate(doc, update); // reads every batch header as the log indexes them
    const decoded = performance.now();
    layer.drain(); // signatures, decoding, validation, the layer's bookkeeping
    const applied = performance.now();
    await team.whenIdle(); // the index build
    const built = performance.now();
    console.log(
      `run ${run + 1}: Y.applyUpdate + log index ${(decoded - started).toFixed(0)} ms, ` +
        `team layer ${(applied - decoded).toFixed(0)} ms (hand-over ${handOverMs.toFixed(0)} ms), index build ${(built - applied).toFixed(0)} ms, ` +
        `${team.stats().tokens.toLocaleString()} tokens, team memory ${(team.bytes / 1048576).toFixed(1)} MiB`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
