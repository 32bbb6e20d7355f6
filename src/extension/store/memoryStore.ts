// Where the workspace memory lives on disk (the extension's storage folder) and how it gets there:
// a worker thread reads and validates it, or encodes and writes it to a temporary file renamed over
// the old one, so a crash never leaves half a memory and the host's thread is never held for long.
// A file that cannot be decoded is moved aside (never silently dropped) and reported to the caller.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import type { Room, RoomPlan } from '../../memory/ngramStore';
import type { SnapshotInput } from '../../memory/snapshotCodec';
import { installLoaded, type SaveOutcome } from '../../workspace/memoryFileJobs';
import type { Manifest, SavedMemory } from '../../workspace/savedMemory';
import { MemoryFileClient } from './memoryFileClient';

export const MEMORY_FILE_NAME = 'workspace-memory.lnm';
/** Words or documents installed per step: a few ms. */
const INSTALL_PIECE = 8192;

export type LoadResult =
  /** Read and checked in `ms` by the worker; `install` makes the memories here, in steps. */
  | { kind: 'loaded'; install: Generator<void, SavedMemory>; bytes: number; ms: number }
  | { kind: 'missing' }
  | { kind: 'corrupt'; reason: string; movedTo?: string };

export class MemoryStore implements vscode.Disposable {
  readonly file: string;
  private writing: Promise<unknown> = Promise.resolve();
  private readonly worker = new MemoryFileClient();

  constructor(folder: string) {
    this.file = path.join(folder, MEMORY_FILE_NAME);
  }

  static forContext(context: vscode.ExtensionContext): MemoryStore {
    return new MemoryStore((context.storageUri ?? context.globalStorageUri).fsPath);
  }

  async load(): Promise<LoadResult> {
    const started = performance.now();
    const outcome = await this.worker.load(this.file);
    if (outcome.kind === 'missing') return outcome;
    if (outcome.kind === 'unreadable') return { kind: 'corrupt', reason: outcome.reason };
    if (outcome.kind === 'corrupt') return { kind: 'corrupt', reason: outcome.reason, movedTo: await this.moveAside() };
    return { kind: 'loaded', install: installLoaded(outcome, INSTALL_PIECE), bytes: outcome.bytes, ms: performance.now() - started };
  }

  /**
   * Writes copies of the memories (see SnapshotCopier) atomically, in the worker; their buffers
   * move there. Saves are serialized so an older one never lands after a newer one.
   */
  save(manifest: Manifest, local: SnapshotInput, team: SnapshotInput): Promise<SaveOutcome> {
    const next = this.writing.then(() => this.worker.save(this.file, manifest, local, team));
    this.writing = next.catch(() => undefined);
    return next;
  }

  /** Fresh arrays for a reservation, made and filled off this thread (see memoryFileWorker.ts). */
  makeRoom(plan: RoomPlan[]): Promise<Room> {
    return this.worker.makeRoom(plan);
  }

  async delete(): Promise<void> {
    await this.writing;
    await fs.rm(this.file, { force: true });
  }


  dispose(): void {
    this.worker.dispose();
  }

  private async moveAside(): Promise<string | undefined> {
    const aside = `${this.file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    try {
      await fs.rename(this.file, aside);
      return aside;
    } catch {
      return undefined;
    }
  }
}
