// What the team memory costs a joiner per n-gram: one writer's whole contribution (every n-gram of
// a folder's text files with its count, as a live memory gives it) applied as the team layer applies
// it, to the team memory (a trie) and the writer ledger. Prints n-grams per token, the share seen
// once, and bytes per n-gram on the wire, in the trie and in the ledger. Then the joiner's real
// heap: the writer's contribution published as snapshot batches in a DeltaLog, sent as one Yjs
// update, and applied by a fresh peer (Y.Doc, DeltaLog, TeamLayer over a Memory); the heap
// (heapUsed + arrayBuffers after two collections) grows by ydocBytesPerNgram when the update is
// applied and by layerBytesPerNgram when the layer has counted it (trie, ledger and whatever the
// layer keeps per batch); joinerBytesPerToken is both, per token of the writer's text.
//
//   node --expose-gc --max-old-space-size=8000 --import tsx bench/share/teamCost.ts <folder>
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as Y from 'yjs';
import { encodeDeltas, Memory } from '../../src/memory';
import { bulkFromBatch } from '../../src/memory/bulkDelta';
import { IndexedMemoryBuilder } from '../../src/memory/indexedMemory';
import { LiveMemory } from '../../src/memory/liveMemory';
import type { NgramDelta } from '../../src/memory/types';
import { BatchValidator } from '../../src/share/batchValidator';
import { liveContributionChunks } from '../../src/share/contribution';
import { chunkBatch } from '../../src/share/deltaMath';
import { DeltaLog, ENTRIES_PER_BATCH } from '../../src/share/deltaLog';
import { withLimits } from '../../src/share/limits';
import { memoryTeam } from '../../src/share/memoryTeam';
import { TeamLayer, type Rejection } from '../../src/share/teamLayer';
import { newWriterKey } from '../../src/share/writerKey';
import { WriterLedger } from '../../src/share/writerLedger';

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

/** The trie and the ledger alone, built directly from the entries. */
function structureFigures(live: LiveMemory) {
  const entries: NgramDelta[] = [];
  for (const entry of live.ngramCounts()) if (entry) entries.push(entry);
  const n = entries.length;
  let wire = 0;
  for (const chunk of chunkBatch({ entries }, ENTRIES_PER_BATCH)) wire += encodeDeltas(chunk).byteLength;

  const team = new Memory();
  team.applyDelta({ entries });
  const ledger = new WriterLedger();
  const bulk = bulkFromBatch({ entries });
  ledger.addRange('writer', bulk, ledger.hashTable(bulk.table), 0, bulk.count, 1, new Float64Array(bulk.count));

  const tokens = live.stats().tokens;
  const figures = {
    tokens,
    ngrams: n,
    ngramsPerToken: n / tokens,
    seenOnce: entries.filter((entry) => entry.delta === 1).length / n,
    wireBytesPerNgram: wire / n,
    trieBytesPerNgram: team.stats().bytes / n,
    ledgerBytesPerEntry: ledger.bytes() / ledger.size,
  };
  const perNgram = figures.trieBytesPerNgram + figures.ledgerBytesPerEntry;
  return { ...figures, teamBytesPerNgram: perNgram, teamBytesPerToken: perNgram * figures.ngramsPerToken };
}

/** The writer's contribution as its log would hold it, as one Yjs update. */
async function writerUpdate(live: LiveMemory): Promise<Uint8Array> {
  const doc = new Y.Doc();
  const log = new DeltaLog(doc, newWriterKey());
  for await (const chunk of liveContributionChunks(live)) log.append(chunk, 'snapshot');
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

function heap(): number {
  global.gc!();
  global.gc!();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/** What a joiner's heap grows by: the Yjs document and log, then the team layer's counts. */
async function joinerFigures(update: { bytes?: Uint8Array }) {
  // The update's buffer is counted once the document holds it (Yjs keeps views of it), not before.
  const base = heap() - update.bytes!.byteLength;
  const doc = new Y.Doc();
  const log = new DeltaLog(doc, newWriterKey());
  Y.applyUpdate(doc, update.bytes!);
  delete update.bytes;
  const withDoc = heap();
  const team = new Memory();
  const sink = memoryTeam(() => team);
  const rejections: Rejection[] = [];
  const layer = new TeamLayer(sink, new BatchValidator(withLimits({}), sink), log.writer, (rejection) => rejections.push(rejection));
  log.onChange((change) => layer.apply(change));
  await layer.whenIdle();
  const withLayer = heap();
  if (rejections.length > 0) throw new Error(`rejected: ${JSON.stringify(rejections.slice(0, 3))}`);
  const held = { doc, log, team, layer, stats: team.stats(), batches: layer.batchCount };
  return { ydocBytes: withDoc - base, layerBytes: withLayer - withDoc, batches: held.batches, teamNgrams: held.stats.ngrams, retainedBytes: retained(layer) };
}

function retained(layer: TeamLayer): number | undefined {
  const probe = layer as unknown as { retainedBytes?: () => number };
  return probe.retainedBytes?.();
}

async function main(): Promise<void> {
  const root = process.argv[2];
  if (!root) throw new Error('usage: node --expose-gc --import tsx bench/share/teamCost.ts <folder>');
  if (!global.gc) throw new Error('run with node --expose-gc');
  const live = learnFolder(path.resolve(root));
  const figures = structureFigures(live);
  const update = { bytes: await writerUpdate(live) };
  const joiner = await joinerFigures(update);
  const { ngrams, tokens } = figures;
  console.log(
    JSON.stringify(
      {
        ...figures,
        batches: joiner.batches,
        teamNgrams: joiner.teamNgrams,
        ydocBytesPerNgram: joiner.ydocBytes / ngrams,
        layerBytesPerNgram: joiner.layerBytes / ngrams,
        layerRetainedBytes: joiner.retainedBytes,
        joinerBytesPerNgram: (joiner.ydocBytes + joiner.layerBytes) / ngrams,
        joinerBytesPerToken: (joiner.ydocBytes + joiner.layerBytes) / tokens,
      },
      null,
      2,
    ),
  );
}

void main();
