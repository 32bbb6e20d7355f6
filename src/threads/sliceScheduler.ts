// Runs memory work in short slices so the extension host's event loop is never blocked for long:
// jobs run back to back until a slice's time budget is spent, then the loop gets control back.
// One queue for every change of the local memory (training, edits, file events) keeps them in order.

/**
 * A unit of work that must not be interleaved with other jobs (e.g. replacing one file). A job that
 * returns false is not finished: it runs again, before any later job, in the same or a later slice.
 */
export type Job = () => void | boolean;

/** How the queue's jobs ran while measured (ms), for diagnostics and the bench. */
export interface JobTimings {
  /** Longest single job. */
  longestJobMs: number;
  /** What the longest job was, when its caller said (e.g. the file it learned). */
  longestJobLabel?: string;
  /** Longest run of jobs between two turns of the event loop. */
  longestSliceMs: number;
  /** Time spent in jobs. */
  busyMs: number;
}

/** A measurement started by `startMeasuring`: `stop()` ends it and gives what it saw. */
export interface JobMeasurement {
  stop(): JobTimings;
}

export class SliceScheduler {
  private readonly queue: Job[] = [];
  private head = 0;
  private running = false;
  private idleWaiters: Array<() => void> = [];
  private readonly labels = new Map<Job, string>();
  /** The timings of each measurement under way (several callers may measure at once). */
  private readonly measurements = new Set<JobTimings>();

  /** `onSliceEnd` runs after each slice of jobs (and after `drain`), e.g. to announce what they changed. */
  constructor(
    private readonly sliceMs = 8,
    private readonly onSliceEnd?: () => void,
  ) {}

  get pending(): number {
    return this.queue.length - this.head;
  }

  /** Runs every queued job now, to its end (tests, and before saving what the jobs change). */
  drain(): void {
    while (this.head < this.queue.length) {
      const job = this.queue[this.head];
      if (this.run(job)) {
        this.queue[this.head++] = undefined as unknown as Job;
        this.labels.delete(job);
      }
    }
    this.settle();
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

  /** Starts measuring the jobs that run from now until the measurement is stopped. */
  startMeasuring(): JobMeasurement {
    const timings: JobTimings = { longestJobMs: 0, longestSliceMs: 0, busyMs: 0 };
    this.measurements.add(timings);
    return {
      stop: () => {
        this.measurements.delete(timings);
        return { ...timings };
      },
    };
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
      const finished = this.run(job);
      if (finished) this.queue[this.head++] = undefined as unknown as Job;
      const ms = performance.now() - started;
      for (const timings of this.measurements) {
        if (ms > timings.longestJobMs) {
          timings.longestJobMs = ms;
          timings.longestJobLabel = this.labels.get(job);
        }
        timings.busyMs += ms;
      }
      if (finished) this.labels.delete(job);
      if (performance.now() - sliceStart >= this.sliceMs) break;
    }
    const sliceMs = performance.now() - sliceStart;
    for (const timings of this.measurements) timings.longestSliceMs = Math.max(timings.longestSliceMs, sliceMs);
    if (this.head >= this.queue.length) this.running = false;
    else setImmediate(() => this.runSlice());
    this.settle();
  }

  /** Runs one job once; true when it is finished (a failing job is finished: it must not stop the queue). */
  private run(job: Job): boolean {
    try {
      return job() !== false;
    } catch (error) {
      // The job reports its own error where it can; the queue goes on.
      console.error('[light-network] job failed', error);
      return true;
    }
  }

  /** After a slice or a drain: the slice hook, and the idle waiters once nothing is left. */
  private settle(): void {
    this.onSliceEnd?.();
    if (this.head < this.queue.length) return;
    this.queue.length = 0;
    this.head = 0;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** Gives the event loop a turn (I/O and timers run) before going on. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * The items of a walk that marks where it may pause (undefined), giving the event loop a turn at
 * such a mark once `sliceMs` has passed: a long walk (a memory's n-grams) as an async sequence that
 * never holds the thread for more than a slice.
 */
export async function* inSlices<T>(walk: Iterable<T | undefined>, sliceMs: number): AsyncGenerator<T> {
  let deadline = performance.now() + sliceMs;
  for (const item of walk) {
    if (item !== undefined) yield item;
    else if (performance.now() > deadline) {
      await yieldToEventLoop();
      deadline = performance.now() + sliceMs;
    }
  }
}

