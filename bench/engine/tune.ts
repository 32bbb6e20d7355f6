// Engine tuning on the VALIDATION split only: trains once per domain, then scores top-1 / MRR@10
// of several predictor settings on a deterministic sample of validation tokens.
// Usage: npx tsx bench/engine/tune.ts [domain...] [--order N] [--tokens N] [--variants name,...]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Memory, Predictor, RecencyCache, tokenize, type PredictorOptions } from '../../src/memory';
import { args, files, opt } from './common';

const domains = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--')));
const order = Number(opt('order', '6'));
const maxTokens = Number(opt('tokens', '20000'));
const split = opt('split', 'validation');

type Variant = PredictorOptions & { noCache?: boolean; ensembleWith?: PredictorOptions; ensembleWeight?: number };
const ensembles = new Map<string, Predictor>();
const VARIANTS: Record<string, Variant> = {
  mkn: { smoothing: 'mkn', noCache: true },
  'mkn+cache': { smoothing: 'mkn' },
  'abs+cache': { smoothing: 'absolute' },
  'jm+cache': { smoothing: 'jm' },
  'mkn+cache p1': { smoothing: 'mkn', mixDepthPower: 1 },
  'mkn+cache p3': { smoothing: 'mkn', mixDepthPower: 3 },
  'mkn+cache e4': { smoothing: 'mkn', mixEvidenceHalf: 4 },
  'mkn+cache e0.3': { smoothing: 'mkn', mixEvidenceHalf: 0.3 },
};
const chosen = opt('variants', Object.keys(VARIANTS).join(',')).split(',');
// Extra variants as JSON: --json '{"name": {"mixDepthPower": 4}}'
Object.assign(VARIANTS, JSON.parse(opt('json', '{}')));
if (args.includes('--json')) chosen.push(...Object.keys(JSON.parse(opt('json', '{}'))));
const cacheOrder = Number(opt('cacheOrder', String(order)));

for (const domain of domains.length ? domains : ['code', 'docs', 'prose']) {
  const root = join('.cache/splits', domain);
  const memory = new Memory({ order });
  const trainFiles = files(join(root, 'train')).map((f) => readFileSync(f, 'utf8'));
  const t0 = performance.now();
  trainFiles.forEach((text, i) => memory.setDocument(String(i), text));
  const secs = (performance.now() - t0) / 1000;
  const stats = memory.stats();
  console.log(
    `${domain}: trained ${stats.tokens} tokens in ${secs.toFixed(2)} s (${((stats.tokens / secs) / 1e6).toFixed(2)} M tok/s), ` +
      `${stats.ngrams} n-grams, ${(stats.bytes / stats.ngrams).toFixed(1)} B/n-gram`,
  );
  const tests = files(join(root, split)).map((f) => tokenize(readFileSync(f, 'utf8')));
  const total = tests.reduce((a, t) => a + t.length, 0);
  const stride = Math.max(1, Math.floor(total / maxTokens));
  for (const name of chosen) {
    const v = VARIANTS[name];
    const predictor = new Predictor([memory], v);
    if (v.ensembleWith) ensembles.set(name, new Predictor([memory], v.ensembleWith));
    let n = 0;
    let top1 = 0;
    let mrr = 0;
    let seen = 0;
    const s0 = performance.now();
    for (const toks of tests) {
      const cache = new RecencyCache(cacheOrder);
      for (let i = 0; i < toks.length; i++, seen++) {
        if (seen % stride === 0) {
          const ctx = toks.slice(Math.max(0, i - order), i);
          let ranked = predictor.predictNext(ctx, 10, v.noCache ? undefined : cache);
          if (v.ensembleWith) {
            const other = ensembles.get(name)!.predictNext(ctx, 10, v.noCache ? undefined : cache);
            const sum = new Map<string, number>();
            for (const p of ranked) sum.set(p.token, (sum.get(p.token) ?? 0) + p.probability * (1 - v.ensembleWeight!));
            for (const p of other) sum.set(p.token, (sum.get(p.token) ?? 0) + p.probability * v.ensembleWeight!);
            ranked = [...sum].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([token, probability]) => ({ token, probability }));
          }
          const r = ranked.findIndex((p) => p.token === toks[i]);
          n++;
          if (r === 0) top1++;
          if (r >= 0) mrr += 1 / (r + 1);
        }
        cache.observe(toks[i]);
      }
    }
    const ms = (performance.now() - s0) / n;
    console.log(`  ${name.padEnd(16)} top1 ${((100 * top1) / n).toFixed(2)}%  mrr ${(mrr / n).toFixed(4)}  (${n} tokens, ${ms.toFixed(3)} ms/pred)`);
  }
}
