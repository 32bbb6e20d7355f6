// `light-network train <dir|files…> -o memory.bin`: learns text files into a memory file, the way
// the extension learns a workspace (same filters, secret redaction and chunking). Files are read,
// learned and let go one at a time, so a corpus never has to fit in memory as text.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_ORDER, MAX_ORDER, Memory } from '../../memory/index';
import type { DocumentOrigin } from '../../ask/askable';
import { loadOrigins, Origins, originsFileOf, saveOrigins } from '../../ask/origins';
import { IndexedMemoryBuilder } from '../../memory/indexedMemory';
import { chunkDocumentId, fileKeyOfDocument } from '../../workspace/chunks';
import { prepareForLearning } from '../../workspace/learnable';
import { buildIndexInParallel } from '../../threads/parallelIndexBuild';
import { flag, integerOption, parseCommandArgs, requiredString, stringOption, wantsHelp } from '../args';
import { CliFailure, UsageError, type CliCommand } from '../command';
import { corpusEntries, corpusFiles, describeSkipped, type CorpusReadResult } from '../corpus';
import { learnFilesInParallel } from '../fileLearning';
import { formatBytes, formatCount } from '../format';
import { loadMemory, saveMemory, type AnyMemory } from '../memoryFile';

const usage = `Usage: light-network train <folder|file>... -o <memory.bin> [options]

Learns text files into a memory file. Folders are walked honouring .gitignore; binaries, huge,
minified and generated files are left out, and secrets are blanked before anything is learned.
Each file is known by its path relative to the current folder: learning it again (--update)
replaces what it contributed before. Beside an indexed memory, <memory.bin>.origins.json records
that folder and where each learned piece of text began, for \`light-network mcp\`'s find.

Options:
  -o, --output <file>     memory file to write (required)
  --order <n>             n-gram order, 2..${MAX_ORDER} (default: ${DEFAULT_ORDER})
  --engine <indexed|trie> indexed (default): a suffix index over the learned text, about 9 bytes
                          per token; trie: one record per n-gram (the extension's engine today),
                          about 100 bytes per token at order 8
  --update                add to the memory already in --output instead of starting afresh (a
                          trie memory is converted to the indexed engine unless --engine trie)
  --max-ngrams <n>        trie engine only: prune the rarest n-grams down to n after training
  --json                  print the figures as one JSON object
  -h, --help              show this help
`;

/** What a train run reports (and `--json` prints). */
export interface TrainReport {
  engine: 'indexed' | 'trie';
  files: number;
  tokens: number;
  /** Reading, redacting, tokenizing and counting (trie) or appending (indexed). */
  learnSeconds: number;
  /** Sorting the index (indexed engine; 0 for the trie). */
  buildSeconds: number;
  saveSeconds: number;
  /** From process start to the file written. */
  totalSeconds: number;
  fileBytes: number;
  ngrams: number;
  vocabulary: number;
  peakRssBytes: number;
  redacted: number;
  pruned: number;
  skipped: string;
}

export const trainCommand: CliCommand = {
  name: 'train',
  summary: 'learn folders or files into a memory file',
  usage,
  async run(args, io) {
    const parsed = parseCommandArgs(args, {
      output: { type: 'string', short: 'o' },
      order: { type: 'string' },
      engine: { type: 'string' },
      update: { type: 'boolean' },
      'max-ngrams': { type: 'string' },
      json: { type: 'boolean' },
    });
    if (wantsHelp(parsed)) return void io.out(usage);
    if (parsed.positionals.length === 0) throw new UsageError('give at least one folder or file to learn');
    const output = requiredString(parsed, 'output');
    const order = integerOption(parsed, 'order', 0, 2, MAX_ORDER);
    const maxNgrams = integerOption(parsed, 'max-ngrams', 0, 1);
    const engineName = stringOption(parsed, 'engine') ?? 'indexed';
    if (engineName !== 'indexed' && engineName !== 'trie') throw new UsageError(`--engine must be indexed or trie, not "${engineName}"`);
    if (maxNgrams > 0 && engineName !== 'trie') throw new UsageError('--max-ngrams prunes the trie engine only (an indexed memory keeps every n-gram in ~9 bytes per token)');

    const previous = flag(parsed, 'update') ? await loadMemory(output) : undefined;
    if (previous && order && order !== previous.order) throw new UsageError(`--order ${order} differs from the order ${previous.order} of ${output}`);
    if (previous && !(previous instanceof Memory) && engineName === 'trie') {
      throw new UsageError(`${output} holds an indexed memory; it cannot be turned back into a trie memory`);
    }
    const learner =
      engineName === 'trie'
        ? trieLearner(previous instanceof Memory ? previous : new Memory(order ? { order } : {}))
        : indexedLearner(previous, order);

    const start = performance.now();
    const skipped: CorpusReadResult['skipped'] = [];
    const { files, redacted } = await learner.learn(parsed.positionals, skipped);
    if (files === 0) {
      const why = describeSkipped(skipped);
      throw new CliFailure(`found no text files to learn${why ? ` (left out: ${why})` : ''}`);
    }
    const learned = performance.now();
    const memory = await learner.finish();
    const built = performance.now();
    const pruned = maxNgrams > 0 && memory instanceof Memory ? memory.prune(maxNgrams) : 0;
    const fileBytes = await saveMemory(memory, output);
    await learner.saveBeside(memory, output);
    const saved = performance.now();
    const stats = memory.stats();
    const report: TrainReport = {
      engine: memory instanceof Memory ? 'trie' : 'indexed',
      files,
      tokens: learner.learnedTokens(),
      learnSeconds: (learned - start) / 1000,
      buildSeconds: (built - learned) / 1000,
      saveSeconds: (saved - built) / 1000,
      // performance.now() counts from the start of this process.
      totalSeconds: performance.now() / 1000,
      fileBytes,
      ngrams: stats.ngrams,
      vocabulary: stats.vocabulary,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      redacted,
      pruned,
      skipped: describeSkipped(skipped),
    };
    if (flag(parsed, 'json')) return void io.out(JSON.stringify(report) + '\n');
    const seconds = report.learnSeconds + report.buildSeconds;
    io.out(
      [
        `learned ${formatCount(files)} files, ${formatCount(report.tokens)} tokens in ${seconds.toFixed(2)} s ` +
          `(${formatCount(seconds > 0 ? report.tokens / seconds : 0)} tokens/s)`,
        report.skipped ? `left out: ${report.skipped}` : '',
        redacted ? `secrets blanked: ${redacted}` : '',
        pruned ? `pruned ${formatCount(pruned)} rare n-grams` : '',
        `memory: ${report.engine} engine, order ${stats.order}, ${formatCount(stats.vocabulary)} words, ${formatCount(stats.ngrams)} n-grams`,
        `wrote ${output} (${formatBytes(fileBytes)})`,
      ]
        .filter(Boolean)
        .join('\n') + '\n',
    );
  },
};

/** Learns files into one engine: each file replaces what it contributed before. */
interface Learner {
  /** Reads, prepares and learns the files of these inputs (skipped ones go to `skipped`). */
  learn(inputs: string[], skipped: CorpusReadResult['skipped']): Promise<{ files: number; redacted: number }>;
  /** Tokens of the files learned so far. */
  learnedTokens(): number;
  finish(): AnyMemory | Promise<AnyMemory>;
  /** Writes what goes beside the memory file once it is saved. */
  saveBeside(memory: AnyMemory, output: string): Promise<void>;
}

function trieLearner(memory: Memory): Learner {
  const byFile = documentsByFile(memory.documentIds());
  const before = memory.stats().tokens;
  let removed = 0;
  return {
    async learn(inputs, skipped) {
      let files = 0;
      let redacted = 0;
      for await (const file of readingAhead(corpusFiles(inputs, { filter: 'workspace' }, skipped))) {
        files++;
        const learnable = prepareForLearning(file.text);
        redacted += learnable.redacted;
        const count = memory.stats().tokens;
        for (const id of byFile.get(file.id) ?? []) memory.removeDocument(id); // re-learning replaces
        removed += count - memory.stats().tokens;
        for (const chunk of learnable.chunks) memory.setDocument(chunkDocumentId(file.id, chunk.id), chunk.text);
      }
      return { files, redacted };
    },
    learnedTokens: () => memory.stats().tokens - before + removed,
    finish: () => memory,
    // A trie memory keeps no positions: an origins record left by an earlier indexed memory would only mislead.
    saveBeside: (_memory, output) => fs.rm(originsFileOf(output), { force: true }),
  };
}

/**
 * The indexed engine learns into a builder, files read and prepared on a worker thread; an earlier
 * memory's documents are carried over at the end, less those of the files learned again
 * (documents' order in the stream changes no count).
 */
function indexedLearner(previous: AnyMemory | undefined, order: number): Learner {
  const builder = new IndexedMemoryBuilder(previous ? { order: previous.order } : order ? { order } : {});
  const learnedFiles: string[] = [];
  const learnedOrigins = new Map<string, DocumentOrigin>();
  return {
    learn: (inputs, skipped) =>
      learnFilesInParallel(
        corpusEntries(inputs, { filter: 'workspace' }, skipped),
        { filter: 'workspace' },
        builder,
        skipped,
        (fileId) => learnedFiles.push(fileId),
        (documentId, line, column) => learnedOrigins.set(documentId, { file: fileKeyOfDocument(documentId), line, column }),
      ),
    learnedTokens: () => builder.tokens,
    finish() {
      if (previous) {
        const byFile = documentsByFile(previous.documentIds());
        const without = new Set<string>();
        for (const fileId of learnedFiles) for (const id of byFile.get(fileId) ?? []) without.add(id);
        if (previous instanceof Memory) builder.keepTrie(previous, without);
        else builder.keep(previous, without);
      }
      return builder.buildWith(buildIndexInParallel);
    },
    async saveBeside(memory, output) {
      // Learned paths are relative to the current folder; documents carried over keep the origins
      // recorded before, a damaged record is not carried. Every path is recorded relative to one
      // root: this folder, or the nearest folder above it that holds files learned from outside it
      // (find reads nothing outside the root, so no recorded path may climb out of it).
      const before = previous ? await loadOrigins(output).catch(() => undefined) : undefined;
      const absolute = new Map<string, DocumentOrigin>();
      for (const id of memory.documentIds()) {
        const learned = learnedOrigins.get(id);
        const o = learned ?? before?.get(id);
        if (o) absolute.set(id, { ...o, file: path.resolve(learned ? process.cwd() : before!.root, o.file) });
      }
      let root = process.cwd();
      for (const o of absolute.values()) while (isOutside(root, o.file)) root = path.dirname(root);
      const all = new Map<string, DocumentOrigin>();
      for (const [id, o] of absolute) all.set(id, { ...o, file: path.relative(root, o.file).split(path.sep).join('/') });
      try {
        await saveOrigins(output, new Origins(root, all));
      } catch (error) {
        throw new CliFailure(`cannot write ${originsFileOf(output)}: ${(error as Error).message}`);
      }
    },
  };
}

/** Whether `file` lies outside the folder `root`. */
function isOutside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
}

/** Document ids grouped by the file they came from. */
function documentsByFile(ids: string[]): Map<string, string[]> {
  const byFile = new Map<string, string[]>();
  for (const id of ids) {
    const key = fileKeyOfDocument(id);
    const list = byFile.get(key);
    if (list) list.push(id);
    else byFile.set(key, [id]);
  }
  return byFile;
}

/**
 * The files of `source` with the next one already being read while the caller learns this one
 * (learning is synchronous work; reading waits on the disk).
 */
async function* readingAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  let next = it.next();
  for (;;) {
    const r = await next;
    if (r.done) return;
    next = it.next();
    yield r.value;
  }
}
