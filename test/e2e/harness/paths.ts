// Where things are: the repository, the code-server install made by scripts/setup.sh, Chromium,
// and the folder that receives screenshots and logs.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export const codeServerEntry = join(repoRoot, '.vscode-test/code-server/node_modules/code-server/out/node/entry.js');

/** Test output (gitignored): screenshots, server and browser logs. */
export const testResultsDir = process.env.LIGHT_NETWORK_TEST_RESULTS ?? join(repoRoot, 'test-results');

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function requireInstalled(): void {
  if (!existsSync(codeServerEntry)) {
    throw new Error(`code-server is not installed (${codeServerEntry} is missing): run bash scripts/setup.sh`);
  }
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium is not installed at ${chromiumPath}: run bash scripts/setup.sh (or set CHROMIUM_PATH)`);
  }
}
