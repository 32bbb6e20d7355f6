// Engine tuning on the VALIDATION split only: trains once per domain, then scores top-1 / MRR@10
// of several predictor settings on a deterministic sample of validation tokens.
// Usage: npx tsx bench/engine/tune.ts [domain...] [--order N] [--tokens N] [--variants name,...]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Memory, Predictor, RecencyCache, tokenize, type PredictorOptions } from '../../src/memory';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const domains = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--')));
const order = Number(opt('order', '6'));
const maxTokens = Number(opt('tokens', '20000'));
const split = opt('split', 'validation');

const VARIANTS: Record<string, PredictorOptions & { noCache?: boolean }> = {
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

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else out.push(p);
  }
  return out;
}

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
    let n = 0;
    let top1 = 0;
    let mrr = 0;
    let seen = 0;
    const s0 = performance.now();
    for (const toks of tests) {
      const cache = new RecencyCache(cacheOrder);
      for (let i = 0; i < toks.length; i++, seen++) {
        if (seen % stride === 0) {
          const ranked = predictor.predictNext(toks.slice(Math.max(0, i - order), i), 10, v.noCache ? undefined : cache);
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
