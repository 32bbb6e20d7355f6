// Where the workspace memory lives on disk (the extension's storage folder) and how it gets there:
// a worker thread reads and validates it, or encodes and writes it to a temporary file renamed over
// the old one, so a crash never leaves half a memory and the host's thread is never held for long.
// A file that cannot be decoded is moved aside (never silently dropped) and reported to the caller.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { installLoaded, type InstalledMemory, type PackedRebuildSnapshot, type SaveOutcome } from '../../persistence/memoryFileJobs';
import type { Manifest } from '../../persistence/savedMemory';
import { MemoryFileClient } from './memoryFileClient';
import type { MemoryFileReply } from './memoryFileProtocol';

export const MEMORY_FILE_NAME = 'workspace-memory.lnm';

export type LoadResult =
  /** Read and checked in `ms` by the worker; `install` makes the memories here, in steps. */
  | { kind: 'loaded'; install: Generator<void, InstalledMemory>; bytes: number; ms: number; converted: boolean }
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
    return { kind: 'loaded', install: installLoaded(outcome), bytes: outcome.bytes, ms: performance.now() - started, converted: outcome.converted };
  }

  /**
   * Writes the manifest and the local memory's sections atomically, in the worker (the team memory
   * is not saved: see memoryFileJobs.ts). Saves are serialized so an older one never lands after a newer one.
   */
  save(manifest: Manifest, local: Uint8Array[]): Promise<SaveOutcome> {
    return this.serialized(() => this.worker.save(this.file, manifest, local));
  }

  /** Opens a rebuild of a live memory (local or team) in the worker (see memoryFileJobs.ts RebuildSession). */
  rebuildStart(snapshot: PackedRebuildSnapshot): Promise<number> {
    return this.worker.rebuildStart(snapshot);
  }

  rebuildAdd(session: number, documents: Array<{ id: string; text: string }>, drop: string[]): Promise<void> {
    return this.worker.rebuildAdd(session, documents, drop);
  }

  /** Builds the rebuilt index; with `save`, the file is written with it (serialized with other saves). */
  rebuildFinish(session: number, save?: { manifest: Manifest }): Promise<Extract<MemoryFileReply, { type: 'rebuilt' }>> {
    if (!save) return this.worker.rebuildFinish(session);
    return this.serialized(() => this.worker.rebuildFinish(session, { file: this.file, ...save }));
  }

  rebuildAbort(session: number): Promise<void> {
    return this.worker.rebuildAbort(session);
  }

  private serialized<T>(write: () => Promise<T>): Promise<T> {
    const next = this.writing.then(write);
    this.writing = next.catch(() => undefined);
    return next;
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
