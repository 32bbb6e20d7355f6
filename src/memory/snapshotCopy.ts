// Copies a live memory into plain arrays in bounded steps, so that a save can run between other
// work on the same thread (each step copies a few MB) and then hand the copy to another thread to
// compact, encode, checksum and write. If the memory changes between steps the copy starts over,
// so the result is always one consistent state.
import { ByteWriter } from './binary';
import type { Memory } from './memory';
import { writeDocument, type SnapshotInput } from './snapshotCodec';

/** Elements (4 bytes each) copied per step: about 1–3 ms. */
const STEP_ELEMENTS = 1 << 20;
/** Document bytes packed per step. */
const STEP_DOCUMENT_BYTES = 2 << 20;
/** Restarts after which the copy is finished in one step, so a memory that keeps changing between
 *  steps (peers' counts streaming in) cannot keep a save, and the queue it runs in, going forever. */
const MAX_RESTARTS = 3;

type Task = () => boolean;

export class SnapshotCopier {
  private tasks: Task[] = [];
  private copy!: SnapshotInput;
  private revision = -1;
  /** Times the memory changed under the copy and it started over. */
  restarts = 0;
  done = false;

  /**
   * With `shared`, the large copies are made on SharedArrayBuffers: handed to another thread they
   * are shared rather than transferred, and allocating them weighs less on this thread's garbage
   * collector (see readSnapshot).
   */
  constructor(
    private readonly memory: Memory,
    private readonly options: {
      shared?: boolean;
      /** Arrays made (and their pages touched) elsewhere for the copies of the records and the
       *  index: used when their lengths still fit as the copy starts. */
      room?: { rec?: Int32Array; index?: Int32Array };
    } = {},
  ) {}

  /** Does one bounded piece of the copy; true once the copy is complete. */
  step(): boolean {
    if (this.done) return true;
    if (this.revision !== this.memory.revision) this.start();
    if (this.restarts >= MAX_RESTARTS) while (this.tasks.length > 0) if (this.tasks[0]()) this.tasks.shift();
    if (this.tasks.length > 0 && this.tasks[0]()) this.tasks.shift();
    this.done = this.tasks.length === 0;
    return this.done;
  }

  /** The copy, once step() returned true: plain data whose arrays nothing else holds. */
  result(): SnapshotInput {
    if (!this.done) throw new Error('the memory copy is not finished');
    return this.copy;
  }

  private start(): void {
    if (this.revision >= 0) this.restarts++;
    this.revision = this.memory.revision;
    const m = this.memory;
    const live = m.store.liveState();
    const spacing = m.spacing.parts();
    const int32 = (length: number, made?: Int32Array) =>
      made?.length === length ? made : new Int32Array(this.options.shared ? new SharedArrayBuffer(length * 4) : new ArrayBuffer(length * 4));
    const room = this.restarts === 0 ? this.options.room : undefined;
    this.copy = {
      order: m.order,
      words: m.vocab.words.slice(),
      store: { size: live.size, rec: int32(live.rec.length, room?.rec), index: int32(live.index.length, room?.index), derived: live.derived },
      spacing: {
        pairA: new Int32Array(spacing.pairA.length),
        pairB: new Int32Array(spacing.pairB.length),
        spaced: new Uint32Array(spacing.spaced.length),
        joined: new Uint32Array(spacing.joined.length),
        classes: spacing.classes,
      },
      documents: new Uint8Array(0),
    };
    const c = this.copy;
    this.tasks = [
      copyTask(live.rec, c.store.rec),
      copyTask(live.index, c.store.index),
      copyTask(spacing.pairA, c.spacing.pairA),
      copyTask(spacing.pairB, c.spacing.pairB),
      copyTask(spacing.spaced, c.spacing.spaced),
      copyTask(spacing.joined, c.spacing.joined),
      this.documentsTask(),
    ];
  }

  private documentsTask(): Task {
    const records = this.memory.documentRecords();
    const w = new ByteWriter(1 << 16);
    w.varint(this.memory.documentCount);
    return () => {
      const until = w.length + STEP_DOCUMENT_BYTES;
      for (let next = records.next(); !next.done; next = records.next()) {
        writeDocument(w, next.value);
        if (w.length >= until) return false;
      }
      this.copy.documents = w.finish();
      return true;
    };
  }
}

function copyTask<T extends Int32Array | Uint32Array>(from: T, to: T): Task {
  let at = 0;
  return () => {
    const end = Math.min(from.length, at + STEP_ELEMENTS);
    to.set(from.subarray(at, end), at);
    at = end;
    return at === from.length;
  };
}

/** The buffers of a copy to transfer (not clone) to another thread; shared ones need neither. */
export function transferablesOf(copy: SnapshotInput): ArrayBuffer[] {
  const arrays = [copy.store.rec, copy.store.index, copy.spacing.pairA, copy.spacing.pairB, copy.spacing.spaced, copy.spacing.joined, copy.documents];
  const buffers = new Set<ArrayBuffer>();
  for (const a of arrays) if (a.buffer instanceof ArrayBuffer) buffers.add(a.buffer);
  return [...buffers];
}
