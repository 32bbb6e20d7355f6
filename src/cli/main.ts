// Entry point of the `light-network` command (bundled by esbuild to dist/cli.js).
import { isMainThread } from 'node:worker_threads';
import { runCli } from './cli';
import { commands } from './commands/index';
import type { CliIO } from './command';

const io: CliIO = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  isTTY: Boolean(process.stdout.isTTY),
};

// The bundle is also loaded as a worker thread (the parallel index build): only the main thread runs a command.
if (isMainThread) runCli(process.argv.slice(2), commands, io).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`light-network: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
