// The host's side of the memory file worker: one worker, started on demand and stopped after a
// quiet spell (an idle editor holds no thread), requests answered in order. A worker that dies
// fails what it was doing with a clear error; the next request starts a fresh one.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LoadOutcome, PackedLoaded, PackedRebuildSnapshot, SaveOutcome } from '../../persistence/memoryFileJobs';
import type { Manifest } from '../../persistence/savedMemory';
import type { MemoryFileReply, MemoryFileRequest, SaveTarget } from './memoryFileProtocol';

/** The worker stops this soon after a load, save or rebuild when nothing else is asked of it. */
const AFTER_HEAVY_WORK_IDLE_MS = 0;

type Pending = { resolve(reply: MemoryFileReply): void; reject(error: Error): void };

export class MemoryFileClient {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private nextSession = 1;
  /** Rebuilds started and not yet finished: the worker holds their state, so it is not stopped. */
  private readonly openSessions = new Set<number>();
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly scriptPath = path.join(__dirname, 'memoryFileWorker.js'),
    private readonly idleMs = 30_000,
  ) {}

  /** A loaded memory comes packed: installLoaded() makes it memories. */
  async load(file: string): Promise<Exclude<LoadOutcome, { kind: 'loaded' }> | PackedLoaded> {
    const reply = await this.request({ id: this.nextId++, type: 'load', file }, []);
    if (reply.type !== 'loaded') throw unexpected(reply);
    return reply.outcome;
  }

  /** Writes the local memory's sections (shared, not copied). */
  async save(file: string, manifest: Manifest, local: Uint8Array[]): Promise<SaveOutcome> {
    const reply = await this.request({ id: this.nextId++, type: 'save', file, manifest, local }, []);
    if (reply.type !== 'saved') throw unexpected(reply);
    return reply.outcome;
  }

  /** Opens a rebuild in the worker; the worker is kept until it is finished or aborted. */
  async rebuildStart(snapshot: PackedRebuildSnapshot): Promise<number> {
    const session = this.nextSession++;
    this.openSessions.add(session);
    try {
      const reply = await this.request({ id: this.nextId++, type: 'rebuild-start', session, snapshot }, []);
      if (reply.type !== 'done') throw unexpected(reply);
    } catch (error) {
      this.openSessions.delete(session);
      throw error;
    }
    return session;
  }

  async rebuildAdd(session: number, documents: Array<{ id: string; text: string }>, drop: string[]): Promise<void> {
    const reply = await this.request({ id: this.nextId++, type: 'rebuild-add', session, documents, drop }, []);
    if (reply.type !== 'done') throw unexpected(reply);
  }

  /** Builds the index (and, with `save`, writes the file with it). */
  async rebuildFinish(session: number, save?: SaveTarget): Promise<Extract<MemoryFileReply, { type: 'rebuilt' }>> {
    try {
      const reply = await this.request({ id: this.nextId++, type: 'rebuild-finish', session, save }, []);
      if (reply.type !== 'rebuilt') throw unexpected(reply);
      return reply;
    } finally {
      this.openSessions.delete(session);
    }
  }

  async rebuildAbort(session: number): Promise<void> {
    if (!this.openSessions.delete(session) || !this.worker) return;
    await this.request({ id: this.nextId++, type: 'rebuild-abort', session }, []).catch(() => undefined);
  }

  dispose(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.fail(new Error('the memory file worker was stopped'));
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private request(message: MemoryFileRequest, transfer: ArrayBuffer[]): Promise<MemoryFileReply> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const worker = (this.worker ??= this.spawn());
    return new Promise<MemoryFileReply>((resolve, reject) => {
      this.pending.set(message.id, { resolve, reject });
      worker.postMessage(message, transfer);
    });
  }

  private spawn(): Worker {
    const worker = new Worker(this.scriptPath);
    worker.on('message', (reply: MemoryFileReply) => {
      const pending = this.pending.get(reply.id);
      if (!pending) return;
      this.pending.delete(reply.id);
      pending.resolve(reply);
      // Loading, saving and rebuilding leave tens to hundreds of MB in the worker's heap, and the
      // next request is seconds or minutes away: the worker goes (a new one starts in ~50 ms).
      if (this.pending.size === 0) this.scheduleIdleStop(reply.type === 'done' ? this.idleMs : AFTER_HEAVY_WORK_IDLE_MS);
    });
    worker.on('error', (error) => this.lost(worker, error));
    worker.on('exit', (code) => this.lost(worker, new Error(`the memory file worker exited with code ${code}`)));
    return worker;
  }

  private lost(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.fail(error);
  }

  private fail(error: Error): void {
    this.openSessions.clear();
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }

  private scheduleIdleStop(ms: number): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.pending.size > 0 || this.openSessions.size > 0 || !this.worker) return;
      const worker = this.worker;
      this.worker = undefined;
      void worker.terminate();
    }, ms);
    this.idleTimer.unref();
  }
}

function unexpected(reply: MemoryFileReply): Error {
  return new Error(reply.type === 'failed' ? reply.message : `unexpected reply ${reply.type} from the memory file worker`);
}
