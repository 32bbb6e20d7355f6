// `light-network bench` (`npm run bench`): fetches the pinned corpora of DESIGN.md, splits them,
// evaluates each domain in its own process (so peak RSS is the domain's), measures the memory at
// scale, prints the tables and writes everything as JSON to bench/results/.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { DEFAULT_ORDER, MAX_ORDER } from '../../memory/index';
import * as os from 'node:os';
import * as path from 'node:path';
import { flag, integerOption, parseCommandArgs, stringOption, wantsHelp } from '../args';
import { UsageError, type CliCommand } from '../command';
import { readCorpus } from '../corpus';
import type { EvalReport } from '../evalReport';
import { CORPORA, DOMAINS, describeOrigin, fetchCorpus, type Domain, type FetchedCorpus } from '../bench/corpora';
import { domainSection, overviewSection, scaleSection, type DomainOutcome } from '../bench/report';
import { runScaleBench, type ScaleDocument, type ScaleResult } from '../bench/scale';
import { layOutSplit, splitFolder } from '../bench/splits';
import { askSection, runAskBench, type AskBenchReport } from '../bench/askBench';
import { originsFileOf } from '../../ask/origins';
import { corpusScaleSection, fetchLargeCorpus, layOutPrefixes, measurePoint, probeMemory, TRIE_LIMIT, type ScalePoint } from '../bench/corpusScale';

const usage = `Usage: light-network bench [options]

Fetches the pinned development corpora (npm pack / apt-get download into a cache folder), splits
each project deterministically (sorted paths: index % 10 == 9 test, == 8 validation, rest train),
evaluates every domain against the greedy-bigram baseline, measures a memory of 5M n-grams
(snapshot save/load, edit deltas, completion latency), prints the tables and writes the figures as
JSON to the results folder. Test sets are sampled to keep the run short on 2 cores (deterministic).

Options:
  --domains <list>        comma-separated subset of code,docs,prose (default: all; none: skip)
  --on <split>            evaluate on the test split (default) or on validation, the split to
                          tune on
  --max-test-tokens <n>   test tokens scored per domain, evenly spaced (default 60000; 0: all)
  --ks-chars <n>          characters of keystroke replay per domain (default 20000)
  --scale-ngrams <n>      size of the memory timed at scale (default 5000000; 0 skips it)
  --scale-tokens <list>   the scale table: both engines learning this many tokens of Debian's
                          linux-source-6.1 C sources (fetched once, ~140 MB), e.g. 1M,10M,25M,250M
                          (default 1M,10M,25M; 0 skips it; the trie engine stops at 12M)
  --scale-corpus <folder> learn the scale table's prefixes from the .c/.h files of this folder
                          instead of the Debian sources
  --ask-tokens <n>        the ask section: \`light-network mcp\` on a memory of this many tokens of
                          the same C sources (learned once into .cache/ask/), find and complete
                          timed through an MCP client, server start and RSS (default: the
                          scale table's largest size, 25M; 0 skips)
  --ask-calls <n>         questions of each kind the ask section times (default 1000)
  --probe-memory <file>   (used by the scale table) load a memory and time completions on the
                          files of --typing <folder>, printing JSON
  --order <n>             n-gram order, 2..${MAX_ORDER} (default: ${DEFAULT_ORDER})
  --cache <folder>        where corpora are fetched (default .cache/corpora)
  --splits <folder>       where the split folders are laid out (default .cache/splits)
  --results <folder>      where the JSON goes (default bench/results)
  --json                  print the JSON instead of the tables
  -h, --help              show this help
`;

export const benchCommand: CliCommand = {
  name: 'bench',
  summary: 'fetch the development corpora and report every metric per domain',
  usage,
  async run(args, io) {
    const parsed = parseCommandArgs(args, {
      domains: { type: 'string' },
      on: { type: 'string' },
      'max-test-tokens': { type: 'string' },
      'ks-chars': { type: 'string' },
      'scale-ngrams': { type: 'string' },
      'scale-tokens': { type: 'string' },
      'scale-corpus': { type: 'string' },
      'ask-tokens': { type: 'string' },
      'ask-calls': { type: 'string' },
      'probe-memory': { type: 'string' },
      typing: { type: 'string' },
      order: { type: 'string' },
      cache: { type: 'string' },
      splits: { type: 'string' },
      results: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (wantsHelp(parsed)) return void io.out(usage);
    if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument "${parsed.positionals[0]}"`);
    const probe = stringOption(parsed, 'probe-memory');
    if (probe) {
      const typing = stringOption(parsed, 'typing');
      if (!typing) throw new UsageError('--probe-memory needs --typing <folder>');
      return void io.out(JSON.stringify(await probeMemory(probe, typing)) + '\n');
    }
    const scaleTokens = parseTokenCounts(stringOption(parsed, 'scale-tokens') ?? '1M,10M,25M');
    // By default the ask section runs on the scale table's largest memory (none when it is skipped).
    const askOption = stringOption(parsed, 'ask-tokens');
    const askTokens = askOption !== undefined ? parseTokenCounts(askOption) : scaleTokens.length > 0 ? [Math.max(...scaleTokens)] : [];
    if (askTokens.length > 1) throw new UsageError('--ask-tokens takes one size');
    const askCalls = integerOption(parsed, 'ask-calls', 1000, 60);
    const domains = parseDomains(stringOption(parsed, 'domains'));
    const on = stringOption(parsed, 'on') ?? 'test';
    if (on !== 'test' && on !== 'validation') throw new UsageError(`--on takes test or validation, got "${on}"`);
    const maxTestTokens = integerOption(parsed, 'max-test-tokens', 60_000, 0);
    const ksChars = integerOption(parsed, 'ks-chars', 20_000, 0);
    const scaleNgrams = integerOption(parsed, 'scale-ngrams', 5_000_000, 0);
    const order = integerOption(parsed, 'order', 0, 2, MAX_ORDER);
    const cacheDir = path.resolve(stringOption(parsed, 'cache') ?? '.cache/corpora');
    const splitsDir = path.resolve(stringOption(parsed, 'splits') ?? '.cache/splits');
    const resultsDir = path.resolve(stringOption(parsed, 'results') ?? 'bench/results');
    const log = (m: string) => io.err(`bench: ${m}\n`);
    const started = Date.now();

    const outcomes: DomainOutcome[] = [];
    for (const domain of domains) {
      const outcome: DomainOutcome = { domain, evaluatedOn: on, projects: [], seconds: 0 };
      outcomes.push(outcome);
      const domainStart = Date.now();
      try {
        for (const source of CORPORA.filter((c) => c.domain === domain)) {
          const fetched: FetchedCorpus = await fetchCorpus(source, cacheDir, log);
          outcome.projects.push(await layOutSplit(fetched, splitsDir));
        }
        log(`evaluating ${domain} (${outcome.projects.map((p) => p.project).join(', ')})`);
        outcome.report = await evalInChild(domain, splitsDir, resultsDir, { maxTestTokens, ksChars, order, on, engine: 'indexed' });
        log(`evaluating ${domain} on the trie engine (v1) for comparison`);
        outcome.trieReport = await evalInChild(domain, splitsDir, resultsDir, { maxTestTokens, ksChars, order, on, engine: 'trie' });
      } catch (error) {
        outcome.error = error instanceof Error ? error.message : String(error);
        log(`${domain} failed: ${outcome.error}`);
      }
      outcome.seconds = (Date.now() - domainStart) / 1000;
      if (!flag(parsed, 'json')) io.out(domainSection(outcome) + '\n');
    }

    if (!flag(parsed, 'json')) io.out(overviewSection(outcomes) + '\n');

    let scale: ScaleResult | undefined;
    let scaleError: string | undefined;
    if (scaleNgrams > 0) {
      try {
        scale = await measureAtScale(outcomes, splitsDir, scaleNgrams, order, log);
        if (!flag(parsed, 'json')) io.out(scaleSection(scale));
      } catch (error) {
        scaleError = error instanceof Error ? error.message : String(error);
        log(`scale measurements failed: ${scaleError}`);
      }
    }

    let corpusScale: ScalePoint[] | { error: string } | null = null;
    if (scaleTokens.length > 0) {
      try {
        const own = stringOption(parsed, 'scale-corpus');
        const folder = own ? path.resolve(own) : await fetchLargeCorpus(cacheDir, log);
        const { prefixes, heldOut } = await layOutPrefixes(folder, path.join(path.dirname(cacheDir), own ? 'own-prefixes' : 'linux-prefixes'), scaleTokens);
        const points: ScalePoint[] = [];
        for (const target of scaleTokens) {
          for (const engine of ['indexed', 'trie'] as const) {
            if (engine === 'trie' && target > TRIE_LIMIT) continue;
            log(`scale: ${engine} engine learning ~${target.toLocaleString('en-US')} tokens`);
            points.push(await measurePoint(engine, target, prefixes.get(target) as string, heldOut, os.tmpdir()));
          }
        }
        corpusScale = points;
        if (!flag(parsed, 'json')) io.out('\n' + corpusScaleSection(points));
      } catch (error) {
        corpusScale = { error: error instanceof Error ? error.message : String(error) };
        log(`scale table failed: ${corpusScale.error}`);
      }
    }

    let ask: AskBenchReport | { error: string } | null = null;
    if (askTokens.length > 0) {
      try {
        const own = stringOption(parsed, 'scale-corpus');
        const folder = own ? path.resolve(own) : await fetchLargeCorpus(cacheDir, log);
        const { prefixes, heldOut } = await layOutPrefixes(folder, path.join(path.dirname(cacheDir), own ? 'own-prefixes' : 'linux-prefixes'), askTokens);
        // The pinned corpus's memory is learned once and kept; one of an own corpus (which may change) each run.
        const memoryFile = own ? path.join(os.tmpdir(), `light-network-ask-${process.pid}.mem`) : path.join(path.dirname(cacheDir), 'ask', `linux-${askTokens[0]}.mem`);
        log(`ask: timing light-network mcp on ~${askTokens[0].toLocaleString('en-US')} tokens`);
        const report = await runAskBench(prefixes.get(askTokens[0]) as string, heldOut, memoryFile, askCalls, log).finally(async () => {
          if (own) for (const f of [memoryFile, originsFileOf(memoryFile)]) await fs.rm(f, { force: true });
        });
        ask = report;
        const command = `node dist/cli.js bench --domains none --scale-ngrams 0 --scale-tokens 0 --ask-tokens ${askTokens[0]}${own ? ` --scale-corpus ${own}` : ''}`;
        if (!flag(parsed, 'json')) io.out('\n' + askSection(report, command));
      } catch (error) {
        ask = { error: error instanceof Error ? error.message : String(error) };
        log(`ask section failed: ${ask.error}`);
      }
    }

    const results = {
      date: new Date(started).toISOString(),
      seconds: (Date.now() - started) / 1000,
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version, platform: `${os.platform()} ${os.arch()}` },
      settings: { evaluatedOn: on, maxTestTokens, ksChars, scaleNgrams, order: order || 'engine default' },
      corpora: CORPORA.filter((c) => domains.includes(c.domain)).map((c) => ({ name: c.name, domain: c.domain, origin: describeOrigin(c), files: c.files, note: c.note })),
      domains: Object.fromEntries(
        outcomes.map((o) => [o.domain, { projects: o.projects, seconds: o.seconds, ...(o.report ? { result: o.report, trieResult: o.trieReport } : { error: o.error }) }]),
      ),
      scale: scale ?? (scaleError ? { error: scaleError } : null),
      corpusScale,
      ask,
    };
    const file = await writeResults(resultsDir, results);
    if (flag(parsed, 'json')) io.out(JSON.stringify(results, null, 2) + '\n');
    else io.out(`\nresults: ${file} (${results.seconds.toFixed(0)} s in all)\n`);
    const scaleFailed = corpusScale !== null && ('error' in corpusScale || corpusScale.some((p) => p.error && p.engine === 'indexed'));
    const askFailed = ask !== null && 'error' in ask;
    return outcomes.some((o) => !o.report) || scaleError || scaleFailed || askFailed ? 1 : 0;
  },
};

/** "1M,10M,250M" -> token counts; "0" -> none. */
function parseTokenCounts(value: string): number[] {
  if (value.trim() === '0') return [];
  return value.split(',').map((part) => {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([kKmM]?)\s*$/.exec(part);
    if (!m) throw new UsageError(`--scale-tokens takes a list like 1M,10M,25M; got "${value}"`);
    return Math.round(Number(m[1]) * (m[2].toLowerCase() === 'm' ? 1e6 : m[2].toLowerCase() === 'k' ? 1e3 : 1));
  });
}

function parseDomains(value: string | undefined): Domain[] {
  if (value === undefined) return DOMAINS;
  if (value.trim() === 'none') return [];
  const list = value.split(',').map((d) => d.trim()).filter(Boolean);
  const unknown = list.filter((d) => !DOMAINS.includes(d as Domain));
  if (unknown.length > 0 || list.length === 0) throw new UsageError(`--domains takes a list of ${DOMAINS.join(', ')}; got "${value}"`);
  return DOMAINS.filter((d) => list.includes(d));
}

/** Runs `light-network eval` on the domain's split folders in a child process and reads its JSON. */
async function evalInChild(
  domain: Domain,
  splitsDir: string,
  resultsDir: string,
  settings: { maxTestTokens: number; ksChars: number; order: number; on: 'test' | 'validation'; engine: 'indexed' | 'trie' },
): Promise<EvalReport> {
  await fs.mkdir(resultsDir, { recursive: true });
  const out = path.join(resultsDir, `eval-${domain}${settings.on === 'test' ? '' : `-${settings.on}`}${settings.engine === 'trie' ? '-trie' : ''}.json`);
  await fs.rm(out, { force: true });
  const args = [
    process.argv[1],
    'eval',
    '--train', splitFolder(splitsDir, domain, 'train'),
    '--test', splitFolder(splitsDir, domain, settings.on),
    '--max-test-tokens', String(settings.maxTestTokens),
    '--ks-chars', String(settings.ksChars),
    '--out', out,
    '--engine', settings.engine,
    ...(settings.order ? ['--order', String(settings.order)] : []),
  ];
  await new Promise<void>((resolve, reject) => {
    const child = execFile(process.execPath, [...process.execArgv, ...args], { maxBuffer: 64 * 1024 * 1024 }, (error) =>
      error ? reject(new Error(`eval of ${domain} exited with ${error.code ?? error.message}`)) : resolve(),
    );
    child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  });
  return JSON.parse(await fs.readFile(out, 'utf8')) as EvalReport;
}

async function measureAtScale(outcomes: DomainOutcome[], splitsDir: string, target: number, order: number, log: (m: string) => void): Promise<ScaleResult> {
  const training: ScaleDocument[] = [];
  const typing: ScaleDocument[] = [];
  for (const o of outcomes.filter((x) => x.projects.length > 0)) {
    const domain = o.domain as Domain;
    const train = await readCorpus([splitFolder(splitsDir, domain, 'train')], { filter: 'all' });
    training.push(...train.files.map((f) => ({ id: `${domain}/${f.id}`, text: f.text })));
    const test = await readCorpus([splitFolder(splitsDir, domain, 'test')], { filter: 'all' });
    typing.push(...test.files.slice(0, 20).map((f) => ({ id: `${domain}/${f.id}`, text: f.text })));
  }
  if (training.length === 0) throw new Error('no training files to build the memory from');
  return runScaleBench(training, typing, { targetNgrams: target, completions: 3000, edits: 100, order: order || undefined, progress: log });
}

async function writeResults(dir: string, results: object): Promise<string> {
  await fs.mkdir(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = path.join(dir, `bench-${stamp}.json`);
  const json = JSON.stringify(results, null, 2) + '\n';
  await fs.writeFile(file, json);
  await fs.writeFile(path.join(dir, 'latest.json'), json);
  return file;
}
