// The dispatcher: picks the command from the table, prints help, and maps errors to exit codes
// (2 for usage, 1 for failures). Kept apart from main.ts so tests can run it in-process.
import { CliFailure, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, type CliCommand, type CliIO } from './command';

export function generalHelp(commands: CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'light-network: a word-graph memory that learns your text and completes it.',
    '',
    'Usage: light-network <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `light-network <command> --help` for the options of one command.',
    '',
  ].join('\n');
}

export async function runCli(argv: string[], commands: CliCommand[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? commands.find((c) => c.name === rest[0]) : undefined;
    io.out(topic ? topic.usage : generalHelp(commands));
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`light-network: unknown command "${name}"\n\n${generalHelp(commands)}`);
    return EXIT_USAGE;
  }
  try {
    return (await command.run(rest, io)) ?? EXIT_OK;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`light-network ${command.name}: ${error.message}\n\n${command.usage}`);
      return EXIT_USAGE;
    }
    if (error instanceof CliFailure) {
      io.err(`light-network ${command.name}: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    const detail = error instanceof Error ? error.stack ?? error.message : String(error);
    io.err(`light-network ${command.name} failed: ${detail}\n`);
    return EXIT_FAILURE;
  }
}
