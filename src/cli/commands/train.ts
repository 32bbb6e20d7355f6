// `light-network train <dir|files…> -o memory.bin`: learns text files into a memory file, the way
// the extension learns a workspace (same filters, secret redaction and chunking).
import { DEFAULT_ORDER, MAX_ORDER, Memory } from '../../memory/index';
import { chunkDocumentId, fileKeyOfDocument } from '../../workspace/chunks';
import { prepareForLearning } from '../../workspace/learnable';
import { flag, integerOption, parseCommandArgs, requiredString, wantsHelp } from '../args';
import { CliFailure, UsageError, type CliCommand } from '../command';
import { describeSkipped, readCorpus } from '../corpus';
import { formatBytes, formatCount } from '../format';
import { loadMemory, saveMemory } from '../memoryFile';

const usage = `Usage: light-network train <folder|file>... -o <memory.bin> [options]

Learns text files into a memory file. Folders are walked honouring .gitignore; binaries, huge,
minified and generated files are left out, and secrets are blanked before anything is learned.
Each file is known by its path relative to the current folder: learning it again (--update)
replaces what it contributed before.

Options:
  -o, --output <file>     memory file to write (required)
  --order <n>             n-gram order, 2..${MAX_ORDER} (default: ${DEFAULT_ORDER})
  --update                add to the memory already in --output instead of starting afresh
  --max-ngrams <n>        memory budget: prune the rarest n-grams down to n after training
  -h, --help              show this help
`;

export const trainCommand: CliCommand = {
  name: 'train',
  summary: 'learn folders or files into a memory file',
  usage,
  async run(args, io) {
    const parsed = parseCommandArgs(args, {
      output: { type: 'string', short: 'o' },
      order: { type: 'string' },
      update: { type: 'boolean' },
      'max-ngrams': { type: 'string' },
    });
    if (wantsHelp(parsed)) return void io.out(usage);
    if (parsed.positionals.length === 0) throw new UsageError('give at least one folder or file to learn');
    const output = requiredString(parsed, 'output');
    const order = integerOption(parsed, 'order', 0, 2, MAX_ORDER);
    const maxNgrams = integerOption(parsed, 'max-ngrams', 0, 1);

    const memory = flag(parsed, 'update') ? await loadMemory(output) : new Memory(order ? { order } : {});
    if (flag(parsed, 'update') && order && order !== memory.order) {
      throw new UsageError(`--order ${order} differs from the order ${memory.order} of ${output}`);
    }
    const corpus = await readCorpus(parsed.positionals, { filter: 'workspace' });
    if (corpus.files.length === 0) {
      const skipped = describeSkipped(corpus.skipped);
      throw new CliFailure(`found no text files to learn${skipped ? ` (left out: ${skipped})` : ''}`);
    }

    const start = performance.now();
    const previous = documentsByFile(memory);
    let tokens = 0;
    let redacted = 0;
    for (const file of corpus.files) {
      for (const id of previous.get(file.id) ?? []) memory.removeDocument(id); // re-learning replaces
      const before = memory.stats().tokens;
      const learnable = prepareForLearning(file.text);
      for (const chunk of learnable.chunks) memory.setDocument(chunkDocumentId(file.id, chunk.id), chunk.text);
      tokens += memory.stats().tokens - before;
      redacted += learnable.redacted;
    }
    const seconds = (performance.now() - start) / 1000;
    const pruned = maxNgrams > 0 ? memory.prune(maxNgrams) : 0;
    const bytes = await saveMemory(memory, output);
    const stats = memory.stats();

    const skipped = describeSkipped(corpus.skipped);
    io.out(
      [
        `learned ${formatCount(corpus.files.length)} files, ${formatCount(tokens)} tokens in ${seconds.toFixed(2)} s ` +
          `(${formatCount(seconds > 0 ? tokens / seconds : 0)} tokens/s)`,
        skipped ? `left out: ${skipped}` : '',
        redacted ? `secrets blanked: ${redacted}` : '',
        pruned ? `pruned ${formatCount(pruned)} rare n-grams` : '',
        `memory: order ${stats.order}, ${formatCount(stats.vocabulary)} words, ${formatCount(stats.ngrams)} n-grams`,
        `wrote ${output} (${formatBytes(bytes)})`,
      ]
        .filter(Boolean)
        .join('\n') + '\n',
    );
  },
};

/** The memory's documents grouped by the file they came from. */
function documentsByFile(memory: Memory): Map<string, string[]> {
  const byFile = new Map<string, string[]>();
  for (const id of memory.documentIds()) {
    const key = fileKeyOfDocument(id);
    const list = byFile.get(key);
    if (list) list.push(id);
    else byFile.set(key, [id]);
  }
  return byFile;
}
