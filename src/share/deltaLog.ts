// The shared CRDT: an append-only log of delta batches in one Y.Array. Yjs has no counter and
// concurrent increments to one map key get lost; appending batches never loses one (HARNESS.md,
// "Counting under a CRDT"). Each writer compacts only its own batches, in one transaction, so
// concurrent appends by others survive. Batches of our writer id that this instance did not write
// are stale leftovers of an earlier run (our current contribution is re-published on start).
import * as Y from 'yjs';
import { decodeDeltas, encodeDeltas } from '../memory';
import type { DeltaBatch } from '../memory/types';
import { encodeLoggedBatch, payloadOf, readLoggedBatch, type BatchKind, type LoggedBatch } from './batchFormat';
import { chunkBatch, sumBatches } from './deltaMath';

export const LOG_NAME = 'lightNetwork.deltaLog';
/** Entries per logged batch: keeps each batch far below the per-batch cap. */
export const ENTRIES_PER_BATCH = 20_000;

export interface LogChange {
  added: LoggedBatch[];
  removed: LoggedBatch[];
  /** Entries that are not batches at all (bad header), new since the last change. */
  malformed: string[];
}

export class DeltaLog {
  readonly array: Y.Array<Uint8Array>;
  private known = new Map<string, LoggedBatch>();
  /** Ids of the batches this instance appended and has not compacted away. */
  private readonly written = new Set<string>();
  private readonly parsed = new WeakMap<object, LoggedBatch | string>();
  private readonly listeners = new Set<(change: LogChange) => void>();
  private readonly observer = () => this.refresh();

  constructor(
    readonly doc: Y.Doc,
    readonly writer: string,
  ) {
    this.array = doc.getArray<Uint8Array>(LOG_NAME);
    this.array.observe(this.observer);
  }

  /** Listens to batches appearing and disappearing; `replay` first reports what is already there. */
  onChange(listener: (change: LogChange) => void, replay = true): () => void {
    this.listeners.add(listener);
    if (replay) {
      const malformed: string[] = [];
      this.known = this.scan(malformed);
      listener({ added: [...this.known.values()], removed: [], malformed });
    }
    return () => this.listeners.delete(listener);
  }

  /** Appends a batch of this writer (split into chunks of ENTRIES_PER_BATCH) in one transaction. */
  append(batch: DeltaBatch, kind: BatchKind = 'delta'): void {
    if (batch.entries.length === 0) return;
    const encoded = chunkBatch(batch, ENTRIES_PER_BATCH).map((chunk) => encodeLoggedBatch(this.writer, kind, encodeDeltas(chunk)));
    for (const bytes of encoded) this.written.add(readLoggedBatch(bytes).id);
    this.doc.transact(() => this.array.push(encoded), this);
  }

  /** Batches currently in the log (valid headers only). */
  batches(): LoggedBatch[] {
    return [...this.scan([]).values()];
  }

  /** How many of this instance's batches are in the log (the compaction trigger). */
  ownBatchCount(): number {
    return this.written.size;
  }

  /**
   * Replaces this instance's batches by one snapshot of their sum and deletes stale batches of our
   * writer id, all in one transaction. Other writers' batches (even concurrent ones) are untouched.
   */
  compact(): void {
    const own: DeltaBatch[] = [];
    const doomed: number[] = [];
    this.array.toArray().forEach((bytes, index) => {
      const batch = this.header(bytes);
      if (typeof batch === 'string' || batch.writer !== this.writer) return;
      if (this.written.has(batch.id)) own.push(decodeDeltas(payloadOf(batch)));
      doomed.push(index);
    });
    if (doomed.length === 0) return;
    const snapshot = sumBatches(own);
    const encoded = chunkBatch(snapshot, ENTRIES_PER_BATCH).map((chunk) =>
      encodeLoggedBatch(this.writer, 'snapshot', encodeDeltas(chunk)),
    );
    this.written.clear();
    for (const bytes of encoded) this.written.add(readLoggedBatch(bytes).id);
    this.doc.transact(() => {
      for (let i = doomed.length - 1; i >= 0; i--) this.array.delete(doomed[i], 1);
      this.array.push(encoded);
    }, this);
  }

  /** Deletes batches of our writer id that this instance did not write (left over from a past run). */
  removeStale(): number {
    const stale: number[] = [];
    this.array.toArray().forEach((bytes, index) => {
      const batch = this.header(bytes);
      if (typeof batch !== 'string' && batch.writer === this.writer && !this.written.has(batch.id)) stale.push(index);
    });
    if (stale.length > 0) {
      this.doc.transact(() => {
        for (let i = stale.length - 1; i >= 0; i--) this.array.delete(stale[i], 1);
      }, this);
    }
    return stale.length;
  }

  destroy(): void {
    this.array.unobserve(this.observer);
    this.listeners.clear();
  }

  private refresh(): void {
    const malformed: string[] = [];
    const current = this.scan(malformed);
    const added = [...current.values()].filter((batch) => !this.known.has(batch.id));
    const removed = [...this.known.values()].filter((batch) => !current.has(batch.id));
    this.known = current;
    if (added.length === 0 && removed.length === 0 && malformed.length === 0) return;
    for (const listener of this.listeners) listener({ added, removed, malformed });
  }

  /** Current batches by id (first occurrence wins); new malformed entries are pushed to `malformed`. */
  private scan(malformed: string[]): Map<string, LoggedBatch> {
    const current = new Map<string, LoggedBatch>();
    for (const bytes of this.array.toArray()) {
      const seen = this.parsed.has(bytes as object);
      const batch = this.header(bytes);
      if (typeof batch === 'string') {
        if (!seen) malformed.push(batch);
      } else if (!current.has(batch.id)) {
        current.set(batch.id, batch);
      }
    }
    return current;
  }

  private header(bytes: unknown): LoggedBatch | string {
    if (typeof bytes !== 'object' || bytes === null) return 'log entry is not a byte string';
    let result = this.parsed.get(bytes);
    if (result === undefined) {
      try {
        result = readLoggedBatch(bytes as Uint8Array);
      } catch (error) {
        result = (error as Error).message;
      }
      this.parsed.set(bytes, result);
    }
    return result;
  }
}
