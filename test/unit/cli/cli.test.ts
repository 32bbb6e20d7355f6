import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/cli';
import { commands } from '../../../src/cli/commands/index';
import { CliFailure, UsageError, type CliCommand, type CliIO } from '../../../src/cli/command';

/** Runs the CLI in-process and captures what it prints. */
async function cli(argv: string[], table: CliCommand[] = commands) {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => void (out += t), err: (t) => void (err += t), isTTY: false };
  const code = await runCli(argv, table, io);
  return { code, out, err };
}

describe('cli dispatcher', () => {
  it('lists every command in the table for --help (exit 0) and with no command (exit 2)', async () => {
    const help = await cli(['--help']);
    assert.equal(help.code, 0);
    for (const name of ['train', 'predict', 'stats', 'eval', 'bench']) assert.match(help.out, new RegExp(`\\n  ${name} `));
    assert.equal((await cli([])).code, 2);
  });

  it('rejects an unknown command with exit code 2', async () => {
    const result = await cli(['frobnicate']);
    assert.equal(result.code, 2);
    assert.match(result.err, /unknown command "frobnicate"/);
  });

  it('prints a command usage for `<command> --help` and `help <command>`', async () => {
    for (const argv of [['eval', '--help'], ['help', 'eval']]) {
      const result = await cli(argv);
      assert.equal(result.code, 0);
      assert.match(result.out, /Usage: light-network eval --train/);
    }
  });

  it('maps usage errors to 2 (with usage), failures to 1 (without a stack), crashes to 1', async () => {
    const table: CliCommand[] = [
      { name: 'usage', summary: '', usage: 'USAGE TEXT', run: async () => { throw new UsageError('bad flag'); } },
      { name: 'fail', summary: '', usage: '', run: async () => { throw new CliFailure('no such file'); } },
      { name: 'crash', summary: '', usage: '', run: async () => { throw new TypeError('boom'); } },
      { name: 'ok', summary: '', usage: '', run: async () => 0 },
    ];
    const usage = await cli(['usage'], table);
    assert.equal(usage.code, 2);
    assert.match(usage.err, /bad flag[\s\S]*USAGE TEXT/);
    const fail = await cli(['fail'], table);
    assert.equal(fail.code, 1);
    assert.equal(fail.err, 'light-network fail: no such file\n');
    const crash = await cli(['crash'], table);
    assert.equal(crash.code, 1);
    assert.match(crash.err, /TypeError: boom/);
    assert.equal((await cli(['ok'], table)).code, 0);
  });

  it('gives exit code 2 for missing or malformed options of the real commands', async () => {
    assert.equal((await cli(['train', 'some-folder'])).code, 2); // no -o
    assert.equal((await cli(['train', '-o', 'x.bin'])).code, 2); // nothing to learn
    assert.equal((await cli(['predict', 'text'])).code, 2); // no -m
    assert.equal((await cli(['eval', '--train', 'a'])).code, 2); // no --test
    assert.equal((await cli(['eval', '--train', 'a', '--test', 'b', '--ks-chars', 'many'])).code, 2);
    assert.equal((await cli(['bench', '--domains', 'poetry'])).code, 2);
    assert.equal((await cli(['stats', '--top', '-3', '-m', 'x'])).code, 2);
  });

  it('fails with exit code 1 and a clear message for a missing or corrupt memory file', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ln-cli-'));
    try {
      const missing = await cli(['stats', '-m', path.join(dir, 'none.bin')]);
      assert.equal(missing.code, 1);
      assert.match(missing.err, /no memory file at/);
      const junk = path.join(dir, 'junk.bin');
      await fs.writeFile(junk, 'this is not a memory');
      const corrupt = await cli(['predict', '-m', junk, 'hello']);
      assert.equal(corrupt.code, 1);
      assert.match(corrupt.err, /is not a usable Light Network memory/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('evaluates folders and prints one JSON object with the documented names', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ln-eval-'));
    try {
      const line = 'const total = items.reduce((sum, item) => sum + item.price, 0);\n';
      await fs.mkdir(path.join(dir, 'train', 'sub'), { recursive: true });
      await fs.mkdir(path.join(dir, 'test'));
      await fs.writeFile(path.join(dir, 'train', 'a.js'), line.repeat(10));
      await fs.writeFile(path.join(dir, 'train', 'sub', 'b.js'), line.repeat(10));
      await fs.writeFile(path.join(dir, 'test', 'c.js'), line.repeat(2));
      const result = await cli(['eval', '--train', path.join(dir, 'train'), '--test', path.join(dir, 'test'), '--json', '--quiet']);
      assert.equal(result.code, 0, result.err);
      const json = JSON.parse(result.out);
      for (const key of ['top1', 'keystrokeSavings', 'mrr10', 'trainTokensPerSec', 'trainTokensPerCpuSec', 'bytesPerNgram', 'peakRssMB']) {
        assert.equal(typeof json[key], 'number', key);
        assert.equal(typeof json.baseline[key === 'peakRssMB' || key === 'bytesPerNgram' ? 'top1' : key], 'number', `baseline ${key}`);
      }
      assert.equal(typeof json.latencyMs.p50, 'number');
      assert.equal(typeof json.latencyMs.p99, 'number');
      assert.equal(typeof json.baseline.latencyMs.p99, 'number');
      assert.equal(typeof json.latencyCpuMs.p99, 'number');
      assert.equal(json.trainFiles, 2);
      assert.ok(json.top1 > json.baseline.top1 - 1e-9);

      const text = await cli(['eval', '--train', path.join(dir, 'train'), '--test', path.join(dir, 'test'), '--quiet']);
      assert.match(text.out, /model, indexed engine \(order \d+\)[\s\S]*greedy bigram/);

      const empty = path.join(dir, 'empty');
      await fs.mkdir(empty);
      const none = await cli(['eval', '--train', empty, '--test', path.join(dir, 'test'), '--quiet']);
      assert.equal(none.code, 1);
      assert.match(none.err, /found no text files in the training data/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('trains a memory file, then predicts and reports stats from it', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ln-train-'));
    try {
      await fs.writeFile(path.join(dir, 'notes.md'), 'the quick brown fox jumps over the lazy dog\n'.repeat(5));
      await fs.writeFile(path.join(dir, '.env'), 'API_KEY=sk_live_abcdefghijklmnopqrstuvwx\n');
      const memoryFile = path.join(dir, 'memory.bin');
      const train = await cli(['train', dir, '-o', memoryFile]);
      assert.equal(train.code, 0, train.err);
      assert.match(train.out, /learned 1 files/);
      assert.match(train.out, /left out: 1 secret-file/);
      const stats = await cli(['stats', '-m', memoryFile, '--json']);
      assert.equal(stats.code, 0, stats.err);
      assert.ok(JSON.parse(stats.out).ngrams > 0);
      const predict = await cli(['predict', '-m', memoryFile, '--json', 'the quick brown']);
      assert.equal(predict.code, 0, predict.err);
      assert.equal(JSON.parse(predict.out).next[0].token, 'fox');

      // Learning the same file again, named on its own this time, replaces it rather than adding twice.
      const before = JSON.parse(stats.out);
      await fs.writeFile(path.join(dir, 'more.md'), 'a second note\n');
      const update = await cli(['train', path.join(dir, 'notes.md'), path.join(dir, 'more.md'), '-o', memoryFile, '--update']);
      assert.equal(update.code, 0, update.err);
      const after = JSON.parse((await cli(['stats', '-m', memoryFile, '--json'])).out);
      assert.equal(after.tokens, before.tokens + 4);
      assert.equal(after.documents, before.documents + 1);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('trains either engine; --update converts a trie memory to the indexed engine, predicting alike', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ln-engines-'));
    try {
      await fs.writeFile(path.join(dir, 'a.js'), 'export function add(a, b) {\n  return a + b;\n}\nconst x = add(1, 2);\n'.repeat(3));
      await fs.writeFile(path.join(dir, 'b.md'), 'the quick brown fox jumps over the lazy dog\n');
      const trieFile = path.join(dir, 'trie.bin');
      const indexedFile = path.join(dir, 'indexed.bin');
      const trie = await cli(['train', dir, '-o', trieFile, '--engine', 'trie', '--json']);
      assert.equal(trie.code, 0, trie.err);
      assert.equal(JSON.parse(trie.out).engine, 'trie');
      const indexed = await cli(['train', dir, '-o', indexedFile, '--json']);
      assert.equal(JSON.parse(indexed.out).engine, 'indexed');
      const predictions = async (file: string) => (await cli(['predict', '-m', file, '--json', 'export function add(a'])).out.replace(/"latencyMs":[0-9.e-]+/, '');
      assert.equal(await predictions(indexedFile), await predictions(trieFile));
      const statsOf = async (file: string) => {
        const { bytes: _bytes, bytesPerNgram: _perNgram, ...rest } = JSON.parse((await cli(['stats', '-m', file, '--json'])).out);
        return rest;
      };
      assert.deepEqual({ ...(await statsOf(indexedFile)), fileBytes: 0 }, { ...(await statsOf(trieFile)), fileBytes: 0 });
      // The trie file, updated with one file learned again, becomes an indexed memory of the same documents.
      const update = await cli(['train', path.join(dir, 'b.md'), '-o', trieFile, '--update', '--json']);
      assert.equal(update.code, 0, update.err);
      assert.equal(JSON.parse(update.out).engine, 'indexed');
      assert.equal(await predictions(trieFile), await predictions(indexedFile));
      assert.equal((await cli(['train', dir, '-o', indexedFile, '--update', '--engine', 'trie'])).code, 2);
      assert.equal((await cli(['train', dir, '-o', indexedFile, '--max-ngrams', '10'])).code, 2);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
