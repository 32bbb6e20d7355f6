// Work written as a generator that yields between bounded pieces can run in one go (runSteps) or
// be spread over several turns of an event loop by a caller that must not block for long.

/** Runs a generator of steps to its end and returns its result. */
export function runSteps<T>(steps: Iterator<unknown, T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}
