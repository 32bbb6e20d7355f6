// Keeps the local memory's documents in step with the workspace's files. A file is stored as
// content-addressed chunks (see chunks.ts); replacing a file adds the chunks it did
// not have and removes the ones it lost, so its contribution is replaced exactly and an edit only
// touches what changed. The index (file key -> chunk ids) always mirrors the memory's documents.
import type { Memory } from '../memory/memory';
import type { DeltaBatch, NgramDelta } from '../memory/types';
import { chunkDocumentId, fileKeyOfDocument, CHUNK_SEPARATOR, type TextChunk } from './chunks';

/** A unit of work run by the caller's scheduler, in order, never interleaved with another. */
export type Job = () => void;

export interface LearnerHooks {
  /** The memory to change (it may be swapped when a saved memory is loaded). */
  memory(): Memory;
  /** Whether anyone wants the deltas (collecting them costs time). */
  wantsDeltas(): boolean;
  /** Receives the net change of each job when deltas are wanted. */
  onDelta(entries: NgramDelta[]): void;
}

/**
 * Text learned in one job at most: about 8 ms at the bench's 1.5M characters/s, so that a job plus
 * whatever else the host does between slices stays far below a 50 ms stall. A single chunk may
 * exceed it (chunks end near 16K characters; see chunks.ts).
 */
const JOB_BUDGET_CHARS = 12 * 1024;

export class Learner {
  private readonly index = new Map<string, Set<string>>();

  constructor(private readonly hooks: LearnerHooks) {}

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

  keys(): IterableIterator<string> {
    return this.index.keys();
  }

  get fileCount(): number {
    return this.index.size;
  }

  /**
   * The jobs that replace a file's contribution with `chunks`. The first job removes the chunks the
   * file lost and adds new ones up to a size budget, so an edit (one or two changed chunks) is
   * replaced in one step: nothing is ever counted twice, even for a moment. A big new file is
   * added over several jobs so the host is never blocked for long. Run the jobs in order.
   */
  planReplace(key: string, chunks: TextChunk[]): Job[] {
    const wanted = new Set(chunks.map((c) => c.id));
    // How many jobs: estimated now, but what to add is decided when the first job runs, since
    // jobs queued before these may change the file's chunks meanwhile.
    // Packed as addUpTo packs them: a job adds chunks while it has budget left, so one big chunk
    // is one job. The first job of a known file gets twice the budget: an edit's one or two new
    // chunks then land in the same job that removes the old ones.
    const known = this.index.get(key);
    const firstBudget = known ? 2 * JOB_BUDGET_CHARS : JOB_BUDGET_CHARS;
    let count = 1;
    let left = firstBudget;
    for (const chunk of chunks) {
      if (known?.has(chunk.id)) continue;
      if (left <= 0) {
        count++;
        left = JOB_BUDGET_CHARS;
      }
      left -= chunk.text.length;
    }
    let toAdd: TextChunk[] = [];
    let next = 0;
    const addUpTo = (budget: number): void => {
      while (next < toAdd.length && budget > 0) {
        const chunk = toAdd[next++];
        if (this.index.get(key)?.has(chunk.id)) continue;
        const delta = this.hooks.memory().setDocument(chunkDocumentId(key, chunk.id), chunk.text, {
          collectDelta: this.hooks.wantsDeltas(),
        });
        this.addToIndex(key, chunk.id);
        this.emit(delta);
        budget -= chunk.text.length;
      }
      if (this.index.get(key)?.size === 0) this.index.delete(key);
    };
    const jobs: Job[] = [
      () => {
        const current = this.index.get(key);
        if (current) for (const chunkId of [...current]) if (!wanted.has(chunkId)) this.removeChunk(key, chunkId);
        toAdd = chunks.filter((c) => !this.index.get(key)?.has(c.id));
        addUpTo(count === 1 ? Infinity : firstBudget);
      },
    ];
    for (let i = 1; i < count; i++) jobs.push(() => addUpTo(i === count - 1 ? Infinity : JOB_BUDGET_CHARS));
    return jobs;
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
