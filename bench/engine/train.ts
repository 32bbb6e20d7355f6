// Training speed alone: learns the docs and prose training splits, document by document, until
// the memory holds about --ngrams n-grams, and reports tokens per second of CPU time (steadier
// than wall-clock on a busy machine) and the store's bytes per n-gram.
// Usage: npx tsx bench/engine/train.ts [--ngrams 5000000] [--order 8]
import { readFileSync } from 'node:fs';
import { Memory } from '../../src/memory';
import { files, opt } from './common';

const target = Number(opt('ngrams', '5000000'));
const order = Number(opt('order', '8'));

const texts = [...files('.cache/splits/docs/train'), ...files('.cache/splits/prose/train')].map((f) => readFileSync(f, 'utf8'));
const memory = new Memory({ order });
let cpu = 0;
let used = 0;
for (const text of texts) {
  if (memory.stats().ngrams >= target) break;
  const c0 = process.cpuUsage();
  memory.setDocument(`doc${used++}`, text);
  const c = process.cpuUsage(c0);
  cpu += (c.user + c.system) / 1000;
}
const s = memory.stats();
console.log(
  `train: ${used} documents, ${s.tokens} tokens, ${s.ngrams} n-grams in ${cpu.toFixed(0)} ms CPU: ` +
    `${(s.tokens / cpu / 1000).toFixed(2)} M tokens/s CPU; ${(s.bytes / s.ngrams).toFixed(1)} bytes per n-gram`,
);
