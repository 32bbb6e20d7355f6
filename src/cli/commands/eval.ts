// `light-network eval --train <dir> --test <dir>`: trains on one folder, evaluates on the other with
// the metrics of DESIGN.md, the greedy-bigram baseline measured in the same run.
import { promises as fs } from 'node:fs';
import { DEFAULT_ORDER, MAX_ORDER } from '../../memory/index';
import { evaluate, type EvalDocument } from '../../evaluation/evaluate';
import { flag, integerOption, parseCommandArgs, stringOption, wantsHelp, type ParsedArgs } from '../args';
import { CliFailure, UsageError, type CliCommand } from '../command';
import { readCorpus } from '../corpus';
import { peakRssMB } from '../format';
import { heapMeter } from '../heap';
import { evalSummary, evalTable, type EvalReport } from '../evalReport';

const usage = `Usage: light-network eval --train <folder> --test <folder> [options]

Trains a memory on the files of one folder and evaluates it on the files of the other: top-1 and
MRR@10 of next-token prediction (the recency cache sees only earlier tokens), keystroke savings of
the real completion path, training tokens/s, completion latency p50/p99, bytes per n-gram and peak
RSS, next to the prototype's greedy bigram measured in the same run on the same tokens.

Options:
  --train <folder|file>   training data (repeatable)
  --test <folder|file>    test data (repeatable)
  --pretokenized          files hold whitespace-separated tokens (line breaks count as whitespace):
                          use them as the token stream as they are, to compare with other toolkits
                          on exactly the same tokens (keystroke savings are then not measured)
  --like-extension        learn the training files as the extension does (secrets blanked, files
                          cut into content-defined chunks) instead of whole files as they are
  --order <n>             n-gram order, 2..${MAX_ORDER} (default: ${DEFAULT_ORDER})
  --engine <indexed|trie> which engine holds the counts (default indexed; both predict alike)
  --max-test-tokens <n>   score about n test tokens, evenly spaced (default 0: all)
  --ks-chars <n>          characters of keystroke replay, in evenly spaced windows (default 20000;
                          0 skips keystroke savings)
  --json                  print one JSON object (figures in percent for top1 and keystrokeSavings)
  --out <file>            also write the JSON to this file
  --quiet                 no progress messages on stderr
  -h, --help              show this help
`;

export const evalCommand: CliCommand = {
  name: 'eval',
  summary: 'evaluate a memory trained on one folder against another, with the baseline',
  usage,
  async run(args, io) {
    const parsed = parseCommandArgs(args, {
      train: { type: 'string', multiple: true },
      test: { type: 'string', multiple: true },
      pretokenized: { type: 'boolean' },
      'like-extension': { type: 'boolean' },
      order: { type: 'string' },
      engine: { type: 'string' },
      'max-test-tokens': { type: 'string' },
      'ks-chars': { type: 'string' },
      json: { type: 'boolean' },
      out: { type: 'string' },
      quiet: { type: 'boolean' },
    });
    if (wantsHelp(parsed)) return void io.out(usage);
    if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument "${parsed.positionals[0]}"`);
    if (flag(parsed, 'pretokenized') && flag(parsed, 'like-extension')) throw new UsageError('--pretokenized and --like-extension exclude each other');
    const trainPaths = listOption(parsed, 'train');
    const testPaths = listOption(parsed, 'test');
    const order = integerOption(parsed, 'order', 0, 2, MAX_ORDER);
    const engine = stringOption(parsed, 'engine') ?? 'indexed';
    if (engine !== 'indexed' && engine !== 'trie') throw new UsageError(`--engine must be indexed or trie, not "${engine}"`);
    const pretokenized = flag(parsed, 'pretokenized');
    const maxTestTokens = integerOption(parsed, 'max-test-tokens', 0, 0);
    const keystrokeCharacters = integerOption(parsed, 'ks-chars', 20000, 0);
    const progress = flag(parsed, 'quiet') ? undefined : (m: string) => io.err(`eval: ${m}\n`);

    const train = await readDocuments(trainPaths, 'training');
    const test = await readDocuments(testPaths, 'test');
    const result = evaluate(train, test, {
      order: order || undefined,
      engine,
      pretokenized,
      learnLikeExtension: flag(parsed, 'like-extension'),
      maxTestTokens,
      keystrokeCharacters,
      progress,
      heapUsed: heapMeter(),
      cpuMs: () => {
        const { user, system } = process.cpuUsage();
        return (user + system) / 1000;
      },
    });
    const report: EvalReport = {
      ...result,
      peakRssMB: peakRssMB(),
      pretokenized,
      learnedLikeExtension: flag(parsed, 'like-extension'),
      trainFiles: train.length,
    };

    const json = JSON.stringify(report, null, 2) + '\n';
    const out = stringOption(parsed, 'out');
    if (out) await fs.writeFile(out, json).catch((e: Error) => Promise.reject(new CliFailure(`cannot write ${out}: ${e.message}`)));
    io.out(flag(parsed, 'json') ? json : evalSummary(report) + evalTable(report));
  },
};

function listOption(parsed: ParsedArgs, name: string): string[] {
  const value = parsed.values[name];
  const list = Array.isArray(value) ? (value as string[]) : typeof value === 'string' ? [value] : [];
  if (list.length === 0) throw new UsageError(`missing required option --${name}`);
  return list;
}

async function readDocuments(paths: string[], role: string): Promise<EvalDocument[]> {
  const corpus = await readCorpus(paths, { filter: 'all' });
  if (corpus.files.length === 0) throw new CliFailure(`found no text files in the ${role} data (${paths.join(', ')})`);
  return corpus.files.map((f) => ({ id: f.id, text: f.text }));
}
