import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { CORPORA } from '../../../src/cli/bench/corpora';

const run = promisify(execFile);
const MAIN = path.resolve(__dirname, '../../../src/cli/main.ts');

/** Puts a small corpus in the bench's cache as if `npm pack` had fetched it (no network in tests). */
async function plantCorpus(cacheDir: string, name: string, files: Record<string, string>): Promise<void> {
  const source = CORPORA.find((c) => c.name === name)!;
  const home = path.join(cacheDir, name);
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(home, 'unpacked', source.root, rel);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, text);
  }
  await fs.writeFile(path.join(home, 'fetched.json'), JSON.stringify({ origin: source.origin, version: 'planted' }));
}

function jsFile(i: number): string {
  return `import { helper${i % 3} } from './helpers.js';\n\nexport function compute${i}(items) {\n  return items.map((item) => helper${i % 3}(item) + ${i});\n}\n`;
}

describe('light-network bench (end to end, planted corpora)', function () {
  this.timeout(240_000);

  it('splits, evaluates the domain in a child process, measures at scale and writes JSON', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ln-bench-'));
    try {
      const cache = path.join(dir, 'cache');
      const files = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`m${String(i).padStart(2, '0')}.js`, jsFile(i)]));
      await plantCorpus(cache, 'three', files(20));
      await plantCorpus(cache, 'svelte', files(10));
      const results = path.join(dir, 'results');
      // A small C corpus stands in for the Debian sources of the scale table (200 files, ~60k tokens).
      const cSources = path.join(dir, 'c-sources');
      await fs.mkdir(path.join(cSources, 'lib'), { recursive: true });
      for (let i = 0; i < 200; i++) {
        await fs.writeFile(path.join(cSources, 'lib', `f${String(i).padStart(3, '0')}.c`), `int f${i}(int a, int b)\n{\n\treturn a * ${i} + b;\n}\n`.repeat(20));
      }
      const { stdout } = await run(
        process.execPath,
        ['--import', 'tsx', MAIN, 'bench', '--domains', 'code', '--cache', cache, '--splits', path.join(dir, 'splits'),
          '--results', results, '--scale-ngrams', '500', '--ks-chars', '400', '--max-test-tokens', '200',
          '--scale-tokens', '5k,20k', '--scale-corpus', cSources, '--ask-calls', '60'],
        { env: { ...process.env, CI: 'true' } },
      );
      assert.match(stdout, /== code: three planted \(16\/2\/2 files train\/validation\/test\), svelte planted \(8\/1\/1/);
      assert.match(stdout, /model, indexed engine \(order \d+\)\s[\s\S]*model, trie engine[\s\S]*greedy bigram/);
      assert.match(stdout, /recall of lines seen twice in training/);
      assert.match(stdout, /== overview/);
      assert.match(stdout, /== at scale: 500 n-grams/);
      const json = JSON.parse(await fs.readFile(path.join(results, 'latest.json'), 'utf8'));
      const code = json.domains.code.result;
      assert.equal(code.test.files, 3);
      assert.equal(typeof code.top1, 'number');
      assert.equal(typeof code.baseline.keystrokeSavings, 'number');
      assert.equal(json.scale.ngrams, 500);
      // The scale table: both engines at both sizes, each trained and probed in its own process.
      assert.match(stdout, /== at scale: linux-source/);
      assert.deepEqual(json.corpusScale.map((p: { engine: string; targetTokens: number }) => `${p.engine} ${p.targetTokens}`), ['indexed 5000', 'trie 5000', 'indexed 20000', 'trie 20000']);
      for (const point of json.corpusScale) {
        assert.equal(point.error, undefined);
        assert.ok(point.train.tokens >= point.targetTokens * 0.8, `${point.train.tokens} tokens for ${point.targetTokens}`);
        assert.ok(point.train.peakRssBytes > 0 && point.probe.completions.samples > 0);
      }
      assert.equal(json.settings.evaluatedOn, 'test');
      // The ask section: light-network mcp on the largest prefix, timed through an MCP client.
      assert.match(stdout, /== ask the memory: light-network mcp on [\d.]+M tokens/);
      assert.equal(json.ask.error, undefined);
      assert.equal(json.ask.find.samples, 10);
      assert.ok(json.ask.tokens >= 16_000 && json.ask.startMs > 0 && json.ask.serverPeakRssBytes > 0);
      assert.ok(json.ask.find.meanOccurrences > 0, 'phrases taken from the learned files are found');
      assert.ok(json.ask.neighbors.samples > 20 && json.ask.neighbors.slowestWord, 'neighbors of the most frequent tokens and of words from the phrases');

      // Tuning runs evaluate on the validation split instead, and can skip the scale measurements.
      const validation = await run(
        process.execPath,
        ['--import', 'tsx', MAIN, 'bench', '--domains', 'code', '--on', 'validation', '--cache', cache,
          '--splits', path.join(dir, 'splits'), '--results', results, '--scale-ngrams', '0', '--ks-chars', '0', '--scale-tokens', '0'],
        { env: { ...process.env, CI: 'true' } },
      );
      assert.match(validation.stdout, /evaluated on the validation split/);
      assert.doesNotMatch(validation.stdout, /at scale/);
      const tuned = JSON.parse(await fs.readFile(path.join(results, 'latest.json'), 'utf8'));
      assert.equal(tuned.domains.code.result.test.files, 3);
      assert.equal(tuned.domains.code.result.keystrokeSavings, null);
      assert.equal(tuned.scale, null);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
