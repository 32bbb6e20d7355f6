// What the team memory costs a joiner per token of a collaborator's real text: one writer's whole
// contribution (every document of a folder's text files, as a live memory holds them) published
// into a DeltaLog in a Y.Doc as its snapshot; the Yjs update applied in a fresh document with the
// team layer and a TeamMemory, as a joiner's first sync does; then what the joiner keeps, measured
// on the heap after a collection (array buffers included): the Yjs log, and the team memory (its
// index and what the layer keeps per chunk). Prints bytes per token of each and in all, and the
// wire (the update's bytes per token).
// Count sharing, measured the same way before text sharing: 467 B/token in all (13 B/n-gram of
// Yjs log + 113.5 B/n-gram in the team trie, writer ledger and batches, at 3.7 n-grams per token).
//
//   npx tsx bench/share/teamCost.ts <folder>
//   (it runs itself again with --expose-gc when started without: every look follows a collection)
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as Y from 'yjs';
import { IndexedMemoryBuilder } from '../../src/memory/indexedMemory';
import { LiveMemory } from '../../src/memory/liveMemory';
import { BatchValidator } from '../../src/share/batchValidator';
import { DeltaLog } from '../../src/share/deltaLog';
import { withLimits } from '../../src/share/limits';
import { createSecretTokenTest } from '../../src/share/secretFilter';
import { TeamLayer } from '../../src/share/teamLayer';
import { TeamMemory } from '../../src/share/teamMemory';
import { chunkKey, type TextRecord } from '../../src/share/textBatch';
import { newWriterKey } from '../../src/share/writerKey';

const MAX_FILE_BYTES = 1 << 20;

function learnFolder(root: string): LiveMemory {
  const builder = new IndexedMemoryBuilder();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory() && !entry.name.startsWith('.')) walk(file);
      else if (entry.isFile() && statSync(file).size <= MAX_FILE_BYTES) builder.addDocument(path.relative(root, file), readFileSync(file, 'utf8'));
    }
  };
  walk(root);
  return new LiveMemory(builder.build());
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Heap and array buffers after a collection (the log's batches are array buffers). */
async function kept(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/** The writer's side: its documents as one snapshot in a log, as the Yjs update a joiner receives. */
function writerUpdate(root: string): { update: Uint8Array; tokens: number; documents: number; order: number } {
  const live = learnFolder(root);
  const salt = new Uint8Array(16).fill(7);
  const records: TextRecord[] = [];
  for (const id of live.documentIds()) {
    const tokens = live.documentTokens(id);
    if (tokens && tokens.length > 0) records.push({ key: chunkKey(salt, id), tokens });
  }
  const doc = new Y.Doc();
  const log = new DeltaLog(doc, newWriterKey());
  log.append({ records }, 'snapshot');
  const update = Y.encodeStateAsUpdate(doc);
  log.destroy();
  doc.destroy();
  return { update, tokens: live.stats().tokens, documents: records.length, order: live.order };
}

async function main(): Promise<void> {
  const root = process.argv[2];
  if (!root) throw new Error('usage: npx tsx bench/share/teamCost.ts <folder>');
  let writer: ReturnType<typeof writerUpdate> | undefined = writerUpdate(path.resolve(root));
  const { tokens, documents, order } = writer;
  const wireBytes = writer.update.byteLength;

  // The joiner: a document observed by its log before the update arrives, as in a session.
  // The update is the joiner's only until applied: the baseline leaves it out (the log's items may
  // keep views into it, which is then the log's cost).
  const before = (await kept()) - writer.update.byteLength;
  const doc = new Y.Doc();
  const reader = new DeltaLog(doc, newWriterKey());
  const limits = withLimits();
  const team = new TeamMemory({ order });
  const layer = new TeamLayer(team, new BatchValidator(limits, team, createSecretTokenTest()), reader.writer, (r) => console.error('rejected', r.reason), {
    maxTeamTokens: limits.maxTeamTokens,
  });
  const started = performance.now();
  Y.applyUpdate(doc, writer.update);
  const updateBytes = writer.update.byteLength;
  writer = undefined; // the update goes: what stays is the log's items
  const yjsKept = (await kept()) - before;
  // The layer listens only now (the log replays what it holds), so the Yjs figure is the log's alone.
  const applyStarted = performance.now();
  reader.onChange((change) => layer.apply(change));
  await layer.whenIdle();
  const applied = performance.now();
  const allKept = (await kept()) - before;
  const teamKept = allKept - yjsKept;
  const stats = team.stats();
  // The joiner cuts what its secret filter finds (a cut is no token), so it may hold a few fewer.
  if (stats.tokens !== tokens) console.error(`the team memory holds ${stats.tokens} tokens, the writer ${tokens} (${tokens - stats.tokens} cut as secrets)`);

  const round = (n: number) => Math.round(n * 10) / 10;
  console.log(
    JSON.stringify(
      {
        folder: root,
        tokens,
        documents,
        wireBytesPerToken: round(wireBytes / tokens),
        yjsBytesPerToken: round(yjsKept / tokens),
        teamMemoryBytesPerToken: round(teamKept / tokens),
        teamMemoryOwnBytesPerToken: round(team.bytes / tokens),
        totalBytesPerToken: round(allKept / tokens),
        countSharingBytesPerToken: 467,
        applyUpdateMs: Math.round(applyStarted - started),
        teamLayerAndIndexMs: Math.round(applied - applyStarted),
        updateMiB: round(updateBytes / 1048576),
      },
      null,
      2,
    ),
  );
  // Kept alive to here: what was measured.
  void [doc, reader, layer, team];
}

if (!gc) {
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', __filename, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exitCode = child.status ?? 1;
} else {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
