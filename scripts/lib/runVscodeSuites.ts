// Runs the in-extension-host suites (test/vscode/suites/**, bundled into dist/test/vscode/index.js)
// inside ONE real VS Code (code-server + headless Chromium), prints each test as it finishes and
// exits non-zero when any fails or the run never reports back.
//   npx tsx scripts/lib/runVscodeSuites.ts [--grep TEXT] [--counts FILE]
// The workspace is a scratch copy of demo/ (suites may write into it freely); its path reaches the
// suites as LIGHT_NETWORK_TEST_WORKSPACE. The pass/fail signal is the workbench's
// codeAutomationExit(code), never the server log (see shared/HARNESS.md).
import { existsSync, readFileSync, writeFileSync, appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  copyWorkspace,
  launchChromium,
  removeDir,
  removeWorkspace,
  repoRoot,
  scratchDir,
  startCodeServer,
  testResultsDir,
  Workbench,
} from '../../test/e2e/harness/index';
import type { TestEvent } from '../../test/vscode/report';
import { sourceMappedStack } from './sourceMappedStack';

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const runTimeoutMs = Number(process.env.LIGHT_NETWORK_VSCODE_TIMEOUT_MS ?? 15 * 60_000);
const bundle = join(repoRoot, 'dist/test/vscode/index.js');

async function main(): Promise<number> {
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: build first (node esbuild.mjs)`);
  const workspace = copyWorkspace(join(repoRoot, 'demo'), 'vscode-suites');
  const reportDir = scratchDir('vscode-report');
  const reportFile = join(reportDir, 'events.jsonl');
  writeFileSync(reportFile, '');
  mkdirSync(join(testResultsDir, 'logs'), { recursive: true });
  const browserLog = join(testResultsDir, 'logs', 'vscode-suites.browser.log');
  writeFileSync(browserLog, '');

  const server = await startCodeServer({
    workspace,
    label: 'vscode-suites',
    env: {
      LIGHT_NETWORK_TEST: '1',
      LIGHT_NETWORK_TEST_REPORT: reportFile,
      LIGHT_NETWORK_TEST_WORKSPACE: workspace,
      ...(option('--grep') ? { LIGHT_NETWORK_TEST_GREP: option('--grep')! } : {}),
    },
  });
  const browser = await launchChromium();
  const printer = new EventPrinter(reportFile, sourceMappedStack(bundle, repoRoot));
  let exitCode: number | 'timeout' = 'timeout';
  try {
    const workbench = await Workbench.open(browser, server, {
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: bundle,
      onLog: (line) => appendFileSync(browserLog, `${line}\n`),
    });
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), runTimeoutMs).unref());
    const poll = setInterval(() => printer.printNew(), 250);
    exitCode = await Promise.race([workbench.exitCode, timeout]);
    clearInterval(poll);
    printer.printNew();
  } finally {
    await browser.close().catch(() => {});
    await server.stop();
    removeWorkspace(workspace);
    removeDir(reportDir);
  }

  const { passed, pending } = printer;
  let { failed } = printer;
  if (exitCode === 'timeout') {
    console.log(`  ✘ the extension-host run did not finish within ${runTimeoutMs / 1000} s (logs: ${browserLog})`);
    failed += 1;
  } else if (exitCode !== 0 && failed === 0) {
    console.log(`  ✘ the extension-host run failed before any test failed (exit ${exitCode}; logs: ${browserLog})`);
    failed += 1;
  }
  console.log(`\n  in-host suites: ${passed} passing, ${failed} failing, ${pending} pending`);
  const countsFile = option('--counts');
  if (countsFile) writeFileSync(countsFile, JSON.stringify({ passed, failed, skipped: pending }));
  return failed > 0 || exitCode !== 0 ? 1 : 0;
}

/** Prints the runner's events in mocha's spec style as they arrive and counts them. */
class EventPrinter {
  passed = 0;
  failed = 0;
  pending = 0;
  private consumed = 0;

  constructor(
    private readonly file: string,
    private readonly mapStack: (stack: string) => string,
  ) {}

  printNew(): void {
    const text = readFileSync(this.file, 'utf8');
    const complete = text.lastIndexOf('\n') + 1;
    const fresh = text.slice(this.consumed, complete);
    this.consumed = complete;
    for (const line of fresh.split('\n').filter(Boolean)) this.print(JSON.parse(line) as TestEvent);
  }

  private print(event: TestEvent): void {
    switch (event.kind) {
      case 'suite':
        console.log(`  ${event.fullTitle}`);
        break;
      case 'pass':
        this.passed += 1;
        console.log(`    ✔ ${event.title ?? event.fullTitle} (${event.durationMs ?? 0} ms)`);
        break;
      case 'pending':
        this.pending += 1;
        console.log(`    - ${event.title ?? event.fullTitle} (pending)`);
        break;
      case 'fail':
        this.failed += 1;
        console.log(`    ✘ ${event.title ?? event.fullTitle}\n${indent(this.mapStack(event.error ?? ''), 8)}`);
        break;
      case 'end':
        break;
    }
  }
}

const indent = (text: string, spaces: number) =>
  text
    .split('\n')
    .map((line) => ' '.repeat(spaces) + line)
    .join('\n');

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`in-host suites could not run: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
    process.exit(1);
  },
);
