// The mocha runner inside a real VS Code extension host. The workbench loads the bundle of this file
// (dist/test/vscode/index.js) as extensionTestsPath and calls run(); run() resolving or rejecting is
// the pass/fail signal (the workbench then calls codeAutomationExit(0|1)). Mocha 12 is ESM-only, so
// it is bundled into this CommonJS file by esbuild together with every suite file.
//
// Suites live in test/vscode/suites/**/*.test.ts and may use either mocha interface:
// describe/it/before/after (BDD) or suite/test/suiteSetup/suiteTeardown (TDD).
//
// Environment (set by scripts/lib/runVscodeSuites.ts, reaches the extension host through code-server):
//   LIGHT_NETWORK_TEST_REPORT   file that receives one JSON line per event (the runner outside reads it:
//                               the extension host's own stdout is not shown anywhere reliable)
//   LIGHT_NETWORK_TEST_GREP     run only tests whose full title contains this text
//   LIGHT_NETWORK_TEST_TIMEOUT  per-test timeout in ms (default 60000)
import { appendFileSync } from 'node:fs';
import Mocha from 'mocha';
import { suites } from 'light-network:vscode-suites';
import { testEvent, type TestEvent } from './report';

export async function run(): Promise<void> {
  const reportFile = process.env.LIGHT_NETWORK_TEST_REPORT;
  const emit = (event: TestEvent): void => {
    console.log(`[light-network-test] ${JSON.stringify(event)}`);
    if (reportFile) appendFileSync(reportFile, `${JSON.stringify(event)}\n`);
  };

  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: Number(process.env.LIGHT_NETWORK_TEST_TIMEOUT ?? 60_000),
    grep: process.env.LIGHT_NETWORK_TEST_GREP || undefined,
    reporter: reporterFor(emit),
  });
  Mocha.interfaces.tdd(mocha.suite); // suite/test globals beside bdd's describe/it

  for (const { file, load } of suites) {
    mocha.suite.emit('pre-require', globalThis, file, mocha);
    try {
      mocha.suite.emit('require', await load(), file, mocha);
    } catch (error) {
      emit(testEvent('fail', { fullTitle: `loading ${file}`, file, error }));
      throw new Error(`could not load suite file ${file}: ${String(error)}`);
    }
    mocha.suite.emit('post-require', globalThis, file, mocha);
  }

  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} test(s) failed in the extension host`);
}

/** A mocha reporter class that turns runner events into TestEvents. */
function reporterFor(emit: (event: TestEvent) => void): typeof Mocha.reporters.Base {
  return class LightNetworkReporter extends Mocha.reporters.Base {
    constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
      super(runner, options);
      const { EVENT_SUITE_BEGIN, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END } =
        Mocha.Runner.constants;
      runner.on(EVENT_SUITE_BEGIN, (suite: Mocha.Suite) => {
        if (!suite.root) emit(testEvent('suite', { title: suite.title, fullTitle: suite.fullTitle(), file: suite.file }));
      });
      runner.on(EVENT_TEST_PASS, (test: Mocha.Test) =>
        emit(testEvent('pass', { title: test.title, fullTitle: test.fullTitle(), file: test.file, durationMs: test.duration })),
      );
      runner.on(EVENT_TEST_FAIL, (test: Mocha.Test, error: unknown) =>
        emit(testEvent('fail', { title: test.title, fullTitle: test.fullTitle(), file: test.file, durationMs: test.duration, error })),
      );
      runner.on(EVENT_TEST_PENDING, (test: Mocha.Test) =>
        emit(testEvent('pending', { title: test.title, fullTitle: test.fullTitle(), file: test.file })),
      );
      runner.on(EVENT_RUN_END, () => emit(testEvent('end', { fullTitle: '', stats: this.stats })));
    }
  };
}
