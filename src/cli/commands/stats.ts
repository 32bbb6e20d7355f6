// `light-network stats -m memory.bin`: what a memory holds and what it costs.
import { flag, integerOption, parseCommandArgs, requiredString, wantsHelp } from '../args';
import type { CliCommand } from '../command';
import { formatBytes, formatCount, visible } from '../format';
import { loadMemory } from '../memoryFile';
import { promises as fs } from 'node:fs';

const usage = `Usage: light-network stats -m <memory.bin> [options]

Prints the size of a memory: documents, tokens, words, n-grams per order, bytes per n-gram, and
its most frequent words.

Options:
  -m, --memory <file>     memory file (required)
  --top <n>               how many frequent words to list, 0..1000 (default 20)
  --json                  print one JSON object instead of text
  -h, --help              show this help
`;

export const statsCommand: CliCommand = {
  name: 'stats',
  summary: 'show what a memory file holds',
  usage,
  async run(args, io) {
    const parsed = parseCommandArgs(args, {
      memory: { type: 'string', short: 'm' },
      top: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (wantsHelp(parsed)) return void io.out(usage);
    const file = requiredString(parsed, 'memory');
    const top = integerOption(parsed, 'top', 20, 0, 1000);
    const memory = await loadMemory(file);
    const stats = memory.stats();
    const fileBytes = (await fs.stat(file)).size;
    const bytesPerNgram = stats.ngrams > 0 ? stats.bytes / stats.ngrams : 0;
    const words = top > 0 ? memory.topWords(top) : [];

    if (flag(parsed, 'json')) {
      io.out(JSON.stringify({ ...stats, bytesPerNgram, fileBytes, topWords: words }) + '\n');
      return;
    }
    const lines = [
      `memory:      ${file} (${formatBytes(fileBytes)} on disk)`,
      `order:       ${stats.order}`,
      `documents:   ${formatCount(stats.documents)}`,
      `tokens:      ${formatCount(stats.tokens)}`,
      `words:       ${formatCount(stats.vocabulary)}`,
      `n-grams:     ${formatCount(stats.ngrams)}  (by order: ${stats.ngramsByOrder.map(formatCount).join(' / ')})`,
      `in memory:   ${formatBytes(stats.bytes)}, ${bytesPerNgram.toFixed(1)} bytes per n-gram`,
    ];
    if (words.length > 0) lines.push(`top words:   ${words.map((w) => `${visible(w.word)} ${formatCount(w.count)}`).join(', ')}`);
    io.out(lines.join('\n') + '\n');
  },
};
