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
  /** Longest single job and longest slice seen (ms), and the time spent in jobs (ms), for diagnostics and the bench. */
  longestJobMs = 0;
  longestSliceMs = 0;
  /** What the longest job was, when its caller said (e.g. the file it learned). */
  longestJobLabel: string | undefined;
  private readonly labels = new Map<Job, string>();
  busyMs = 0;

  constructor(private readonly sliceMs = 8) {}

  get pending(): number {
    return this.queue.length - this.head;
  }

  enqueue(job: Job, label?: string): void {
    this.queue.push(job);
    if (label !== undefined) this.labels.set(job, label);
    if (!this.running) {
      this.running = true;
      setImmediate(() => this.runSlice());
    }
  }

  /**
   * Runs `steps` as one job spread over slices, a step at a time, until it ends (no other job
   * runs in between, so the work sees the memory as it was when it started), and resolves with
   * its result.
   */
  runSteps<T>(steps: Iterator<void, T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.enqueue(() => {
        try {
          const next = steps.next();
          if (!next.done) return false;
          resolve(next.value);
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
      if (now - started > this.longestJobMs) {
        this.longestJobMs = now - started;
        this.longestJobLabel = this.labels.get(job);
      }
      if (finished) this.labels.delete(job);
      this.busyMs += now - started;
      if (now - sliceStart >= this.sliceMs) break;
    }
    this.longestSliceMs = Math.max(this.longestSliceMs, performance.now() - sliceStart);
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
