#!/usr/bin/env node
// Runs the in-extension-host suites (dist/test/vscode/index.js, built by `node esbuild.mjs`) in
// desktop VS Code through @vscode/test-electron, for machines that can download VS Code (this
// project's CI cannot: it uses code-server instead, see scripts/lib/runVscodeSuites.ts).
//   node scripts/test-desktop.mjs                 downloads VS Code 1.100.3 into .vscode-test/
//   VSCODE_VERSION=stable node scripts/test-desktop.mjs
//   VSCODE_EXECUTABLE_PATH=/path/to/code node scripts/test-desktop.mjs
// On Linux without a display: xvfb-run -a node scripts/test-desktop.mjs
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist/test/vscode/index.js');
if (!existsSync(bundle)) {
  console.error(`${bundle} is missing: run node esbuild.mjs first`);
  process.exit(1);
}

const scratch = mkdtempSync(join(tmpdir(), 'light-network-desktop-'));
const workspace = join(scratch, 'workspace');
cpSync(join(root, 'demo'), workspace, { recursive: true }); // VS Code may write into it: use a copy
const report = join(scratch, 'events.jsonl');
writeFileSync(report, '');

let exitCode = 0;
try {
  await runTests({
    version: process.env.VSCODE_VERSION ?? '1.100.3',
    vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH,
    extensionDevelopmentPath: root,
    extensionTestsPath: bundle,
    extensionTestsEnv: {
      LIGHT_NETWORK_TEST: '1',
      LIGHT_NETWORK_TEST_REPORT: report,
      LIGHT_NETWORK_TEST_WORKSPACE: workspace,
      ...(process.env.LIGHT_NETWORK_TEST_GREP ? { LIGHT_NETWORK_TEST_GREP: process.env.LIGHT_NETWORK_TEST_GREP } : {}),
    },
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', `--user-data-dir=${join(scratch, 'user-data')}`],
  });
} catch (error) {
  console.error(`desktop VS Code tests failed: ${error instanceof Error ? error.message : error}`);
  exitCode = 1;
}

const events = readFileSync(report, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
const count = (kind) => events.filter((event) => event.kind === kind).length;
for (const event of events.filter((e) => e.kind === 'fail')) console.log(`  ✘ ${event.fullTitle}\n${event.error ?? ''}`);
console.log(`${count('pass')} passed, ${count('fail') || exitCode} failed, ${count('pending')} skipped`);
rmSync(scratch, { recursive: true, force: true });
process.exit(exitCode || (count('fail') > 0 ? 1 : 0));
