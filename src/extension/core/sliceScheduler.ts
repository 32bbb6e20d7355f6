// Runs memory work in short slices so the extension host's event loop is never blocked for long:
// jobs run back to back until a slice's time budget is spent, then the loop gets control back.
// One queue for every change of the local memory (training, edits, file events) keeps them in order.

/** A unit of work that must not be interleaved with other jobs (e.g. replacing one file). */
export type Job = () => void;

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

  /** Resolves once every job queued so far (and any queued meanwhile) has run. */
  whenIdle(): Promise<void> {
    if (!this.running && this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private runSlice(): void {
    const sliceStart = performance.now();
    while (this.head < this.queue.length) {
      const job = this.queue[this.head];
      this.queue[this.head++] = undefined as unknown as Job;
      const started = performance.now();
      try {
        job();
      } catch (error) {
        // A failing job must not stop the queue; the job reports its own error.
        console.error('[light-network] job failed', error);
      }
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
