// Runs memory work in short slices so the extension host's event loop is never blocked for long:
// jobs run back to back until a slice's time budget is spent, then the loop gets control back.
// One queue for every change of the local memory (training, edits, file events) keeps them in order.

/**
 * A unit of work that must not be interleaved with other jobs (e.g. replacing one file). A job that
 * returns false is not finished: it runs again, before any later job, in the same or a later slice.
 */
export type Job = () => void | boolean;

export class SliceScheduler {
  private readonly queue: Job[] = [];
  private head = 0;
  private running = false;
  private idleWaiters: Array<() => void> = [];
  /** Longest single job seen (ms), and the time spent in jobs (ms), for diagnostics and the bench. */
  longestJobMs = 0;
  busyMs = 0;

  constructor(private readonly sliceMs = 8) {}

  get pending(): number {
    return this.queue.length - this.head;
  }

  enqueue(job: Job): void {
    this.queue.push(job);
    if (!this.running) {
      this.running = true;
      setImmediate(() => this.runSlice());
    }
  }

  /**
   * Runs `step` as one job spread over slices until it returns true (no other job runs in between,
   * so the work sees the memory as it was when it started), and resolves then.
   */
  runSteps(step: () => boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.enqueue(() => {
        try {
          if (!step()) return false;
          resolve();
        } catch (error) {
          reject(error);
        }
        return true;
      });
    });
  }

  /** Resolves once every job queued so far (and any queued meanwhile) has run. */
  whenIdle(): Promise<void> {
    if (!this.running && this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private runSlice(): void {
    const sliceStart = performance.now();
    while (this.head < this.queue.length) {
      const job = this.queue[this.head];
      const started = performance.now();
      let finished = true;
      try {
        finished = job() !== false;
      } catch (error) {
        // A failing job must not stop the queue; the job reports its own error.
        console.error('[light-network] job failed', error);
      }
      if (finished) this.queue[this.head++] = undefined as unknown as Job;
      const now = performance.now();
      this.longestJobMs = Math.max(this.longestJobMs, now - started);
      this.busyMs += now - started;
      if (now - sliceStart >= this.sliceMs) break;
    }
    if (this.head >= this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
      this.running = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    } else {
      setImmediate(() => this.runSlice());
    }
  }
}
