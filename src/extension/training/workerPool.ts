// A small pool of training workers. Jobs go to the least busy worker; workers start on demand and
// stop after a quiet spell so an idle editor holds no threads.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PrepareInput, PrepareRequest, PreparedFile, WorkerReply } from './workerProtocol';

interface PoolWorker {
  worker: Worker;
  busy: number;
}

interface PendingJob {
  resolve(files: PreparedFile[]): void;
  reject(error: Error): void;
  owner: PoolWorker;
}

export class WorkerPool {
  private readonly workers: PoolWorker[] = [];
  private readonly pending = new Map<number, PendingJob>();
  private nextJobId = 1;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly size: number,
    private readonly scriptPath = path.join(__dirname, 'trainWorker.js'),
    private readonly idleMs = 20_000,
  ) {}

  get busy(): number {
    return this.pending.size;
  }

  prepare(inputs: PrepareInput[], maxFileBytes: number, forgotten: string[]): Promise<PreparedFile[]> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const owner = this.pickWorker();
    const jobId = this.nextJobId++;
    const request: PrepareRequest = { type: 'prepare', jobId, inputs, maxFileBytes, forgotten };
    return new Promise<PreparedFile[]>((resolve, reject) => {
      this.pending.set(jobId, { resolve, reject, owner });
      owner.busy++;
      owner.worker.postMessage(request);
    });
  }

  /** Stops the workers now if none is busy (after a training: their heaps go back to the system). */
  release(): void {
    if (this.pending.size > 0) return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    for (const w of this.workers.splice(0)) void w.worker.terminate();
  }

  dispose(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    for (const job of this.pending.values()) job.reject(new Error('training workers stopped'));
    this.pending.clear();
    for (const w of this.workers.splice(0)) void w.worker.terminate();
  }

  private pickWorker(): PoolWorker {
    const idle = this.workers.find((w) => w.busy === 0);
    if (idle) return idle;
    if (this.workers.length < this.size) return this.spawn();
    return this.workers.reduce((a, b) => (b.busy < a.busy ? b : a));
  }

  private spawn(): PoolWorker {
    const worker = new Worker(this.scriptPath);
    const entry: PoolWorker = { worker, busy: 0 };
    worker.on('message', (reply: WorkerReply) => this.settle(reply));
    worker.on('error', (error) => this.failWorker(entry, error));
    worker.on('exit', (code) => {
      if (code !== 0) this.failWorker(entry, new Error(`training worker exited with code ${code}`));
    });
    this.workers.push(entry);
    return entry;
  }

  private settle(reply: WorkerReply): void {
    const job = this.pending.get(reply.jobId);
    if (!job) return;
    this.pending.delete(reply.jobId);
    job.owner.busy--;
    if (reply.type === 'prepared') job.resolve(reply.files);
    else job.reject(new Error(reply.message));
    if (this.pending.size === 0) this.scheduleIdleStop();
  }

  private failWorker(entry: PoolWorker, error: Error): void {
    const index = this.workers.indexOf(entry);
    if (index === -1) return;
    this.workers.splice(index, 1);
    for (const [jobId, job] of this.pending) {
      if (job.owner !== entry) continue;
      this.pending.delete(jobId);
      job.reject(error);
    }
    void entry.worker.terminate();
  }

  private scheduleIdleStop(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.pending.size > 0) return;
      for (const w of this.workers.splice(0)) void w.worker.terminate();
    }, this.idleMs);
    this.idleTimer.unref?.();
  }
}
