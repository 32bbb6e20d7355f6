// Where the workspace memory lives on disk (the extension's storage folder) and how it gets there:
// written to a temporary file and renamed over the old one, so a crash never leaves half a memory.
// A file that cannot be read is moved aside (never silently dropped) and reported to the caller.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { decodeSavedMemory, encodeSavedMemory, type Manifest, type SavedMemory } from '../../workspace/savedMemory';
import { ownsWholeBuffer, writeFileAtomic } from '../../workspace/atomicFile';

export const MEMORY_FILE_NAME = 'workspace-memory.lnm';

export type LoadResult =
  | { kind: 'loaded'; saved: SavedMemory; bytes: number; ms: number }
  | { kind: 'missing' }
  | { kind: 'corrupt'; reason: string; movedTo?: string };

export class MemoryStore {
  readonly file: string;
  private writing: Promise<void> = Promise.resolve();

  constructor(folder: string) {
    this.file = path.join(folder, MEMORY_FILE_NAME);
  }

  static forContext(context: vscode.ExtensionContext): MemoryStore {
    return new MemoryStore((context.storageUri ?? context.globalStorageUri).fsPath);
  }

  async load(): Promise<LoadResult> {
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(this.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
      return { kind: 'corrupt', reason: `cannot read ${this.file}: ${(error as Error).message}` };
    }
    const started = performance.now();
    try {
      // The buffer is used for nothing else, so the memories may keep views into it.
      const saved = decodeSavedMemory(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { adopt: ownsWholeBuffer(bytes) });
      return { kind: 'loaded', saved, bytes: bytes.length, ms: performance.now() - started };
    } catch (error) {
      const movedTo = await this.moveAside();
      return { kind: 'corrupt', reason: (error as Error).message, movedTo };
    }
  }

  /** Writes atomically; saves are serialized so an older one never lands after a newer one. */
  save(manifest: Manifest, local: Uint8Array, team: Uint8Array): Promise<void> {
    const bytes = encodeSavedMemory({ manifest, local, team });
    const next = this.writing.then(() => writeFileAtomic(this.file, bytes));
    this.writing = next.catch(() => undefined);
    return next;
  }

  async delete(): Promise<void> {
    await this.writing;
    await fs.rm(this.file, { force: true });
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
