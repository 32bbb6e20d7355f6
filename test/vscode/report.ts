// The events the in-extension-host runner (index.ts) reports, one JSON line each, and the runner
// outside VS Code (scripts/lib/runVscodeSuites.ts) reads back.
export type TestEventKind = 'suite' | 'pass' | 'fail' | 'pending' | 'end';

export interface TestEvent {
  kind: TestEventKind;
  /** The test's or suite's own title (fullTitle without its suites' titles). */
  title?: string;
  fullTitle: string;
  file?: string;
  durationMs?: number;
  /** Failure message and stack, for `fail`. */
  error?: string;
  stats?: { passes: number; failures: number; pending: number; tests: number };
}

export function testEvent(
  kind: TestEventKind,
  fields: Omit<TestEvent, 'kind' | 'error' | 'stats'> & { error?: unknown; stats?: Mocha.Stats },
): TestEvent {
  const { error, stats, ...rest } = fields;
  const event: TestEvent = { kind, ...rest };
  if (error !== undefined) {
    event.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
  }
  if (stats) {
    event.stats = { passes: stats.passes, failures: stats.failures, pending: stats.pending, tests: stats.tests };
  }
  return event;
}
