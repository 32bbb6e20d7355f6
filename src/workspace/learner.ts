// Keeps the local memory's documents in step with the workspace's files. A file is stored as
// content-addressed chunks (see chunks.ts); replacing a file adds the chunks it did
// not have and removes the ones it lost, so its contribution is replaced exactly and an edit only
// touches what changed. The index (file key -> chunk ids) always mirrors the memory's documents.
import type { DeltaOptions } from '../memory/memory';
import type { DeltaBatch, NgramDelta } from '../memory/types';
import { chunkDocumentId, fileKeyOfDocument, CHUNK_SEPARATOR, type TextChunk } from './chunks';
import type { Job } from '../threads/sliceScheduler';

/** A unit of work of the caller's scheduler (see sliceScheduler.ts). */
export type { Job };

/** What the learner changes: a memory's documents (the live memory, or a trie Memory). */
export interface DocumentMemory {
  setDocument(id: string, text: string, opts?: DeltaOptions): DeltaBatch;
  removeDocument(id: string, opts?: DeltaOptions): DeltaBatch;
  renameDocument(oldId: string, newId: string): void;
  documentIds(): string[];
  /** Replaces one document with a new one at once, touching only what differs (when the memory can). */
  swapDocument?(oldId: string, newId: string, text: string, opts?: DeltaOptions): DeltaBatch;
}

export interface LearnerHooks {
  /** The memory to change (it may be swapped when a saved memory is loaded). */
  memory(): DocumentMemory;
  /** Whether anyone wants the deltas (collecting them costs time). */
  wantsDeltas(): boolean;
  /** Receives the net change of each job when deltas are wanted. */
  onDelta(entries: NgramDelta[]): void;
}

export interface LearnerOptions {
  /**
   * Time one run of a job may spend adding chunks before it yields (a chunk is never split, and
   * chunks are at most a few thousand characters: see chunks.ts). Text differs tenfold in cost
   * per character (new words and n-grams cost most), so time, not size, is the budget.
   */
  runBudgetMs?: number;
}

const RUN_BUDGET_MS = 4;

export class Learner {
  private readonly index = new Map<string, Set<string>>();

  private readonly runBudgetMs: number;

  constructor(
    private readonly hooks: LearnerHooks,
    options: LearnerOptions = {},
  ) {
    this.runBudgetMs = options.runBudgetMs ?? RUN_BUDGET_MS;
  }

  /** Rebuilds the index from the memory's documents (after loading a saved memory). */
  rebuildIndex(): void {
    this.index.clear();
    for (const documentId of this.hooks.memory().documentIds()) {
      const key = fileKeyOfDocument(documentId);
      const chunkId = documentId.slice(key.length + CHUNK_SEPARATOR.length);
      let chunks = this.index.get(key);
      if (!chunks) this.index.set(key, (chunks = new Set()));
      chunks.add(chunkId);
    }
  }

  has(key: string): boolean {
    return this.index.has(key);
  }

  /** The memory documents (chunks) that hold a file now. */
  documentsOf(key: string): string[] {
    return [...(this.index.get(key) ?? [])].map((chunkId) => chunkDocumentId(key, chunkId));
  }

  keys(): IterableIterator<string> {
    return this.index.keys();
  }

  get fileCount(): number {
    return this.index.size;
  }

  /**
   * The job that replaces a file's contribution with `chunks`. Its first run removes the chunks
   * the file lost and adds new ones, so an edit (one or two changed chunks) is usually replaced in
   * one step: nothing is ever counted twice, even for a moment. A big new file is added over
   * several runs of the job, each within the run budget, so the host is never blocked for long.
   * What to add is decided when the job first runs, since jobs queued before it may change the
   * file's chunks meanwhile.
   */
  planReplace(key: string, chunks: TextChunk[]): Job[] {
    let toAdd: TextChunk[] | undefined;
    let next = 0;
    // An edit's first run may take twice as long, to land whole in one step.
    let budget = this.index.has(key) ? 2 * this.runBudgetMs : this.runBudgetMs;
    const job = (): boolean => {
      const deadline = performance.now() + budget;
      budget = this.runBudgetMs;
      if (!toAdd) {
        const wanted = new Set(chunks.map((c) => c.id));
        const lost = [...(this.index.get(key) ?? [])].filter((chunkId) => !wanted.has(chunkId));
        toAdd = chunks.filter((c) => !this.index.get(key)?.has(c.id));
        const memory = this.hooks.memory();
        if (memory.swapDocument && lost.length === 1 && toAdd.length === 1) {
          // The usual edit: one chunk changed. As one swap only what differs is touched.
          const [chunk] = toAdd;
          const delta = memory.swapDocument(chunkDocumentId(key, lost[0]), chunkDocumentId(key, chunk.id), chunk.text, { collectDelta: this.hooks.wantsDeltas() });
          this.index.get(key)?.delete(lost[0]);
          this.addToIndex(key, chunk.id);
          this.emit(delta);
          toAdd = [];
        } else {
          for (const chunkId of lost) this.removeChunk(key, chunkId);
        }
      }
      while (next < toAdd.length) {
        const chunk = toAdd[next++];
        if (this.index.get(key)?.has(chunk.id)) continue; // a repeated chunk of the same file
        const delta = this.hooks.memory().setDocument(chunkDocumentId(key, chunk.id), chunk.text, {
          collectDelta: this.hooks.wantsDeltas(),
        });
        this.addToIndex(key, chunk.id);
        this.emit(delta);
        if (next < toAdd.length && performance.now() >= deadline) return false;
      }
      if (this.index.get(key)?.size === 0) this.index.delete(key);
      return true;
    };
    return [job];
  }

  /** Removes a file's whole contribution. */
  removeFile(key: string): void {
    const have = this.index.get(key);
    if (!have) return;
    for (const chunkId of [...have]) this.removeChunk(key, chunkId);
    this.index.delete(key);
  }

  /** Removes every file under a folder key (a deleted folder). */
  removeFolder(folderKey: string): number {
    const prefix = folderKey.endsWith('/') ? folderKey : `${folderKey}/`;
    const doomed = [...this.index.keys()].filter((key) => key.startsWith(prefix));
    for (const key of doomed) this.removeFile(key);
    return doomed.length;
  }

  /** Moves a file's contribution to a new key; counts do not change. */
  renameFile(oldKey: string, newKey: string): void {
    const have = this.index.get(oldKey);
    if (!have || oldKey === newKey) return;
    this.removeFile(newKey);
    const memory = this.hooks.memory();
    for (const chunkId of have) memory.renameDocument(chunkDocumentId(oldKey, chunkId), chunkDocumentId(newKey, chunkId));
    this.index.delete(oldKey);
    this.index.set(newKey, have);
  }

  /** Renames every file under a folder key (a renamed folder). */
  renameFolder(oldFolder: string, newFolder: string): void {
    const prefix = `${oldFolder}/`;
    for (const key of [...this.index.keys()]) {
      if (key.startsWith(prefix)) this.renameFile(key, `${newFolder}/${key.slice(prefix.length)}`);
    }
  }

  clear(): void {
    this.index.clear();
  }

  private removeChunk(key: string, chunkId: string): void {
    const delta = this.hooks.memory().removeDocument(chunkDocumentId(key, chunkId), {
      collectDelta: this.hooks.wantsDeltas(),
    });
    this.index.get(key)?.delete(chunkId);
    this.emit(delta);
  }

  private addToIndex(key: string, chunkId: string): void {
    let have = this.index.get(key);
    if (!have) this.index.set(key, (have = new Set()));
    have.add(chunkId);
  }

  private emit(delta: DeltaBatch): void {
    if (delta.entries.length > 0) this.hooks.onDelta(delta.entries);
  }
}
