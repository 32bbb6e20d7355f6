// The host's side of the memory file worker: one worker, started on demand and stopped after a
// quiet spell (an idle editor holds no thread), requests answered in order. A worker that dies
// fails what it was doing with a clear error; the next request starts a fresh one.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Room, RoomPlan } from '../../memory/ngramStore';
import type { SnapshotInput } from '../../memory/snapshotCodec';
import { transferablesOf } from '../../memory/snapshotCopy';
import type { LoadOutcome, PackedLoaded, SaveOutcome } from '../../workspace/memoryFileJobs';
import type { Manifest } from '../../workspace/savedMemory';
import type { FillRequest, MemoryFileReply, MemoryFileRequest } from './memoryFileProtocol';

type Pending = { resolve(reply: MemoryFileReply): void; reject(error: Error): void };

export class MemoryFileClient {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly scriptPath = path.join(__dirname, 'memoryFileWorker.js'),
    private readonly idleMs = 30_000,
  ) {}

  /** A loaded memory comes packed (see snapshotTransfer.ts): installLoaded() makes it memories. */
  async load(file: string): Promise<Exclude<LoadOutcome, { kind: 'loaded' }> | PackedLoaded> {
    const reply = await this.request({ id: this.nextId++, type: 'load', file }, []);
    if (reply.type !== 'loaded') throw new Error(reply.type === 'failed' ? reply.message : `unexpected reply ${reply.type}`);
    return reply.outcome;
  }

  /** Hands the copies over (their buffers move to the worker and are empty here afterwards). */
  async save(file: string, manifest: Manifest, local: SnapshotInput, team: SnapshotInput): Promise<SaveOutcome> {
    const transfer = [...new Set([...transferablesOf(local), ...transferablesOf(team)])];
    const reply = await this.request({ id: this.nextId++, type: 'save', file, manifest, local, team }, transfer);
    if (reply.type !== 'saved') throw new Error(reply.type === 'failed' ? reply.message : `unexpected reply ${reply.type}`);
    return reply.outcome;
  }

  /** Makes the arrays `plan` lists on shared memory, filled (every page touched) by the worker. */
  async makeRoom(plan: RoomPlan[]): Promise<Room> {
    const room: Room = {};
    const arrays: FillRequest[] = [];
    for (const { name, length, bytesPerElement, value } of plan) {
      const buffer = new SharedArrayBuffer(length * bytesPerElement);
      arrays.push({ buffer, bytesPerElement, value });
      if (name === 'depth') room.depth = new Uint8Array(buffer);
      else room[name] = new Int32Array(buffer);
    }
    if (arrays.length === 0) return room;
    const reply = await this.request({ id: this.nextId++, type: 'fill', arrays }, []);
    if (reply.type !== 'filled') throw new Error(reply.type === 'failed' ? reply.message : `unexpected reply ${reply.type}`);
    return room;
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
      if (this.pending.size === 0) this.scheduleIdleStop();
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
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }

  private scheduleIdleStop(): void {
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.pending.size > 0 || !this.worker) return;
      const worker = this.worker;
      this.worker = undefined;
      void worker.terminate();
    }, this.idleMs);
    this.idleTimer.unref();
  }
}
