// Keystroke savings of the real completion path on the VALIDATION split, for several confidence
// thresholds: KS (higher is better) and how often a shown ghost text was (partly) accepted.
// Usage: npx tsx bench/engine/typing.ts [domain...] [--chars N] [--order N] [--thresholds 0.2,0.3]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Memory, Predictor } from '../../src/memory';
import { autoIndentMask, simulateTyping } from '../../src/evaluation/keystrokes';
import { args, files, opt } from './common';

const domains = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--')));
const chars = Number(opt('chars', '6000'));
const order = Number(opt('order', '8'));
const thresholds = opt('thresholds', '0.15,0.3,0.45').split(',').map(Number);

for (const domain of domains.length ? domains : ['code', 'docs', 'prose']) {
  const root = join('.cache/splits', domain);
  const memory = new Memory({ order });
  files(join(root, 'train')).forEach((f, i) => memory.setDocument(String(i), readFileSync(f, 'utf8')));
  const tests = files(join(root, 'validation')).map((f) => readFileSync(f, 'utf8'));
  const perFile = Math.ceil(chars / tests.length);
  for (const minConfidence of thresholds) {
    const predictor = new Predictor([memory]);
    let characters = 0;
    let keystrokes = 0;
    let shown = 0;
    let accepted = 0;
    const latencies: number[] = [];
    tests.forEach((text, f) => {
      // A window in the middle of each file, so the cache has seen the text before it.
      const start = Math.floor(text.length / 2);
      const range = { start, end: Math.min(text.length, start + perFile) };
      const r = simulateTyping(
        text,
        (before) => {
          const t0 = performance.now();
          const ghost = predictor.complete(before, { cacheKey: `f${f}`, minConfidence }).best?.text;
          latencies.push(performance.now() - t0);
          if (ghost) shown++;
          return ghost;
        },
        range,
        autoIndentMask(text),
      );
      characters += r.characters;
      keystrokes += r.keystrokes;
      accepted += r.acceptances;
    });
    latencies.sort((a, b) => a - b);
    const pct = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(3);
    console.log(
      `${domain} minConfidence ${minConfidence}: KS ${(100 * (1 - keystrokes / characters)).toFixed(1)}%  ` +
        `shown ${shown}, accepted ${accepted} (${((100 * accepted) / Math.max(1, shown)).toFixed(0)}%)  ` +
        `latency p50 ${pct(0.5)} ms p99 ${pct(0.99)} ms (${characters} chars)`,
    );
  }
}
