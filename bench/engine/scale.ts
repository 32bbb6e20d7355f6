// Engine figures on a memory of about 5M n-grams (trained from the docs training split):
// training speed, bytes per n-gram, snapshot save/load, edit and delta application, completion
// latency. Reports wall-clock and CPU time (the CPU figure is steadier on a busy machine).
// Usage: npx tsx bench/engine/scale.ts [--ngrams 5000000] [--order 8] [--calls 2000]
import { readFileSync } from 'node:fs';
import { Memory, Predictor } from '../../src/memory';
import { files, opt } from './common';

const target = Number(opt('ngrams', '5000000'));
const order = Number(opt('order', '8'));
const calls = Number(opt('calls', '2000'));

function timed<T>(f: () => T): { value: T; wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, wall, cpu: (c.user + c.system) / 1000 };
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const fmt = (x: number) => x.toFixed(3);

const texts = [...files('.cache/splits/docs/train'), ...files('.cache/splits/prose/train')].map((f) => readFileSync(f, 'utf8'));
const memory = new Memory({ order });
let trainWall = 0;
let trainCpu = 0;
let used = 0;
for (const text of texts) {
  if (memory.stats().ngrams >= target) break;
  const t = timed(() => memory.setDocument(`doc${used}`, text));
  trainWall += t.wall;
  trainCpu += t.cpu;
  used++;
}
const stats = memory.stats();
console.log(`memory: order ${order}, ${used} documents, ${stats.tokens} tokens, ${stats.ngrams} n-grams, vocabulary ${stats.vocabulary}`);
console.log(`train: ${(stats.tokens / (trainWall / 1000) / 1e6).toFixed(2)} M tokens/s wall, ${(stats.tokens / (trainCpu / 1000) / 1e6).toFixed(2)} M tokens/s CPU`);
console.log(`store: ${(stats.bytes / stats.ngrams).toFixed(1)} bytes per n-gram (${(stats.bytes / 2 ** 20).toFixed(0)} MiB of typed arrays)`);

const enc = timed(() => memory.encode());
console.log(`snapshot save: ${fmt(enc.wall)} ms wall, ${fmt(enc.cpu)} ms CPU, ${(enc.value.length / 2 ** 20).toFixed(0)} MiB (${(enc.value.length / stats.ngrams).toFixed(1)} bytes per n-gram)`);
const dec = timed(() => Memory.decode(enc.value));
console.log(`snapshot load: ${fmt(dec.wall)} ms wall, ${fmt(dec.cpu)} ms CPU`);
const handedOver = enc.value.slice(); // as a freshly read file, which decode may then adopt
const adopted = timed(() => Memory.decode(handedOver, { adopt: true }));
console.log(`snapshot load (adopting the bytes): ${fmt(adopted.wall)} ms wall, ${fmt(adopted.cpu)} ms CPU`);

// An edit: one word changed in the middle of a document, its delta applied to the loaded copy.
const victim = texts[Math.floor(used / 2)];
const mid = victim.indexOf(' ', Math.floor(victim.length / 2));
const edited = victim.slice(0, mid) + ' edited' + victim.slice(mid);
const edit = timed(() => memory.setDocument(`doc${Math.floor(used / 2)}`, edited, { collectDelta: true }));
const apply = timed(() => dec.value.applyDelta(edit.value));
console.log(`edit: setDocument ${fmt(edit.wall)} ms wall (${edit.value.entries.length} delta entries), applyDelta ${fmt(apply.wall)} ms wall, ${fmt(apply.cpu)} ms CPU`);

// Completion latency of the full path at cursor positions in held-out text.
const predictor = new Predictor([memory]);
const warm = timed(() => predictor.warmUp());
console.log(`warmUp: ${fmt(warm.wall)} ms wall`);
// Typing: in each of 20 held-out files, start at a spot and type on character by character, as
// the editor asks for ghost text on every keystroke (the first call per file builds its cache).
const tests = files('.cache/splits/docs/validation').map((f) => readFileSync(f, 'utf8')).slice(0, 20);
const walls: number[] = [];
const cpus: number[] = [];
const perFile = Math.ceil(calls / tests.length);
tests.forEach((text, f) => {
  const start = Math.floor(text.length / 3);
  for (let pos = start; pos < Math.min(text.length, start + perFile); pos++) {
    const t = timed(() => predictor.complete(text.slice(0, pos), { cacheKey: `f${f}` }));
    walls.push(t.wall);
    cpus.push(t.cpu);
  }
});
console.log(`complete: p50 ${fmt(quantile(walls, 0.5))} ms, p99 ${fmt(quantile(walls, 0.99))} ms wall; p50 ${fmt(quantile(cpus, 0.5))} ms, p99 ${fmt(quantile(cpus, 0.99))} ms CPU (${walls.length} calls while typing)`);
