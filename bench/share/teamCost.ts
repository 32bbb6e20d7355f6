// What the team memory costs a joiner per n-gram: one writer's whole contribution (every n-gram of
// a folder's text files with its count, as a live memory gives it) applied as the team layer applies
// it, to the team memory (a trie) and the writer ledger. Prints n-grams per token, the share seen
// once, and bytes per n-gram on the wire, in the trie and in the ledger.
//
//   npx tsx bench/share/teamCost.ts <folder>
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { encodeDeltas, Memory } from '../../src/memory';
import { bulkFromBatch } from '../../src/memory/bulkDelta';
import { IndexedMemoryBuilder } from '../../src/memory/indexedMemory';
import { LiveMemory } from '../../src/memory/liveMemory';
import type { NgramDelta } from '../../src/memory/types';
import { chunkBatch } from '../../src/share/deltaMath';
import { ENTRIES_PER_BATCH } from '../../src/share/deltaLog';
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

function main(): void {
  const root = process.argv[2];
  if (!root) throw new Error('usage: npx tsx bench/share/teamCost.ts <folder>');
  const live = learnFolder(path.resolve(root));
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
  console.log(JSON.stringify({ ...figures, teamBytesPerNgram: perNgram, teamBytesPerToken: perNgram * figures.ngramsPerToken }, null, 2));
}

main();
