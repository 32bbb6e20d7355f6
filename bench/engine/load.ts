// Snapshot load of a large memory, repeated: trains a memory of about --ngrams n-grams once (the
// snapshot is kept in .cache/bench-load.lnms and rebuilt when the format changes), then decodes
// it --runs times and reports wall-clock and CPU time per load (CPU is steadier on a busy machine).
// CPU time counts the whole process: from the second run on it includes freeing the previous copy
// on background threads, so the first run of a fresh process is the cleanest figure.
// Usage: node --expose-gc --import tsx bench/engine/load.ts [--ngrams 5000000] [--runs 5] [--adopt]
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Memory, SNAPSHOT_VERSION } from '../../src/memory';
import { args, files, opt } from './common';

const target = Number(opt('ngrams', '5000000'));
const runs = Number(opt('runs', '5'));
const adopt = args.includes('--adopt');
const cachePath = join('.cache', `bench-load-${target}.lnms`);

function train(): Uint8Array {
  const memory = new Memory();
  let used = 0;
  for (const f of [...files('.cache/splits/docs/train'), ...files('.cache/splits/prose/train')]) {
    if (memory.stats().ngrams >= target) break;
    memory.setDocument(`doc${used++}`, readFileSync(f, 'utf8'));
  }
  const bytes = memory.encode();
  mkdirSync('.cache', { recursive: true });
  writeFileSync(cachePath, bytes);
  return bytes;
}

let bytes: Uint8Array = existsSync(cachePath) ? new Uint8Array(readFileSync(cachePath)) : train();
if (bytes[4] !== SNAPSHOT_VERSION) bytes = train(); // an older format: train again
// Collect the previous copy first when allowed (node --expose-gc), as a fresh start would have.
const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});
for (let r = 0; r < runs; r++) {
  collect();
  // A fresh buffer per run, as reading the file gives, so that --adopt can take it over.
  const input = adopt ? bytes.slice() : bytes;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const m = Memory.decode(input, { adopt });
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const s = m.stats();
  console.log(`load: ${wall.toFixed(1)} ms wall, ${((c.user + c.system) / 1000).toFixed(1)} ms CPU (${s.ngrams} n-grams, ${(bytes.length / 2 ** 20).toFixed(0)} MiB)`);
}
