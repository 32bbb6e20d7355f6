// `light-network predict -m memory.bin "<text>"`: the ghost text the editor would show after the
// text, its ranked alternatives, and the most likely next tokens.
import { Predictor, tokenize } from '../../memory/index';
import { flag, integerOption, parseCommandArgs, requiredString, wantsHelp } from '../args';
import { UsageError, type CliCommand } from '../command';
import { visible } from '../format';
import { loadMemory } from '../memoryFile';

const usage = `Usage: light-network predict -m <memory.bin> "<text before the cursor>" [options]

Prints the ghost text a user would see after the text, the ranked alternatives of a suggest list,
and the most likely next tokens. Give "-" as the text to read it from standard input.

Options:
  -m, --memory <file>     memory file (required)
  -n, --alternatives <n>  how many alternatives to list, 1..50 (default 5)
  --json                  print one JSON object instead of text
  -h, --help              show this help
`;

export const predictCommand: CliCommand = {
  name: 'predict',
  summary: 'show the ghost text and alternatives a memory gives after some text',
  usage,
  async run(args, io) {
    const parsed = parseCommandArgs(args, {
      memory: { type: 'string', short: 'm' },
      alternatives: { type: 'string', short: 'n' },
      json: { type: 'boolean' },
    });
    if (wantsHelp(parsed)) return void io.out(usage);
    if (parsed.positionals.length !== 1) throw new UsageError('give exactly one text (quote it), or "-" to read standard input');
    const file = requiredString(parsed, 'memory');
    const count = integerOption(parsed, 'alternatives', 5, 1, 50);
    const text = parsed.positionals[0] === '-' ? await readStdin() : parsed.positionals[0];

    const memory = await loadMemory(file);
    const predictor = new Predictor([memory]);
    const start = performance.now();
    const result = predictor.complete(text, { alternatives: count });
    const latencyMs = performance.now() - start;
    const next = predictor.predictNext(tokenize(text), count);

    if (flag(parsed, 'json')) {
      io.out(JSON.stringify({ ghostText: result.best?.text ?? '', best: result.best ?? null, alternatives: result.alternatives, next, latencyMs }) + '\n');
      return;
    }
    const lines = [result.best ? `ghost text: ${visible(result.best.text)}  (confidence ${result.best.confidence.toFixed(2)})` : 'ghost text: (none)'];
    if (result.alternatives.length > 0) {
      lines.push('alternatives:');
      result.alternatives.forEach((c, i) => lines.push(`  ${i + 1}. ${visible(c.text)}  ${c.confidence.toFixed(3)}`));
    }
    if (next.length > 0) {
      lines.push('next tokens:');
      next.forEach((p, i) => lines.push(`  ${i + 1}. ${visible(p.token)}  ${p.probability.toFixed(3)}`));
    }
    lines.push(`(${latencyMs.toFixed(2)} ms)`);
    io.out(lines.join('\n') + '\n');
  },
};

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
