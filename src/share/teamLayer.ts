// Keeps the team memory equal to the other writers' live batches: genuine (signed: DeltaLog passes
// on nothing else), valid, and not superseded by a later batch of the same writer. Batches that fail
// validation are reported and never applied. A batch's counts are subtracted, exactly as applied,
// only when its writer supersedes it: a batch that merely vanishes from the log (any peer can
// delete a Yjs item) keeps its counts, the deletion is reported and the batch handed to onVanished
// (the session puts it back in the log), and a replayed superseded batch is ignored.
// Every entry goes through a per-writer ledger (writerLedger.ts): the team memory holds, per
// n-gram, the sum over writers of max(0, what that writer's live batches add up to). A writer's
// negative entries therefore take away only what that writer put in (issue 10, item 8); one for an
// n-gram the writer has no count of is dropped before it costs anything; the sum
// never dips below zero half way through a removal, and one writer's whole contribution can be
// taken out (forget) and put back (remember) exactly. The local memory is never touched here.
// What a counted batch leaves here is its log entry (whose bytes the Yjs document holds anyway)
// and which of its decoded entries were applied: a bit each, none when all were. Its removal
// decodes those bytes again and subtracts the same entries (decoding is deterministic), never
// judging them again: what the validator drops changes over time (secret values it learns, the
// team memory's words), and a batch must come out exactly as it went in. A job holds one batch
// decoded at a time, and only while it works on it.
// Work is done in short time slices (a first sync can carry a million counts), in log order, so
// the host's event loop stays responsive; a batch is applied in parts and rolled back whole if a
// part fails, so a rejected batch leaves nothing behind.
import { bulkToBatch, selectBulk, type BulkDeltaBatch } from '../memory/bulkDelta';
import type { DeltaBatch } from '../memory/types';
import { signatureProblem, type LoggedBatch } from './batchFormat';
import type { BatchValidator } from './batchValidator';
import type { LogChange } from './deltaLog';
import { WriterLedger, type TokenHashes } from './writerLedger';
import { SliceScheduler } from '../threads/sliceScheduler';

/** Where accepted team deltas go (the extension's services.applyTeamDelta, or a headless Memory). */
export interface TeamSink {
  applyDelta(batch: DeltaBatch): void;
  /**
   * Entries [from, to) of a batch in bulk form, deltas times `sign`, all or nothing (bulkDelta's
   * applyBulkDelta on a Memory). Optional: without it, parts go through applyDelta.
   */
  applyBulkDelta?(batch: BulkDeltaBatch, from: number, to: number, sign: 1 | -1): void;
}

/** What a writer has superseded so far (sticky: a later deletion of the superseding batch changes nothing). */
interface WriterHistory {
  floor: number;
  /** Nonces of superseded batches. */
  dead: Set<string>;
}

export interface Rejection {
  writer: string;
  batchId: string;
  reason: string;
}

/** A writer whose batches this layer has seen (counted, or held because the user forgot the writer). */
export interface TeamWriter {
  writer: string;
  /** Batches counted in the team memory now. */
  batches: number;
  /** Batches held uncounted (the writer is forgotten). */
  held: number;
  /** The user forgot this writer: its batches are held, not counted. */
  forgotten: boolean;
}

/** Who taught the team memory an n-gram: the writers whose live batches give it a positive count. */
export interface Attribution {
  contributors(ngram: readonly string[]): string[];
}

export interface TeamLayerOptions {
  /** Longest stretch of work before yielding to the event loop. */
  sliceMs?: number;
  /** Entries applied per engine call. */
  partEntries?: number;
  /** Most (writer, n-gram) pairs the ledger may hold; a batch that would need more is rejected. */
  maxLedgerEntries?: number;
  /** Writers whose batches are held, never counted (the user forgot them). */
  forgotten?: Iterable<string>;
  /** Called after each slice that changed the team memory. */
  onApplied?: () => void;
  /** A counted batch was deleted from the log without its writer superseding it. */
  onVanished?: (batch: LoggedBatch) => void;
}

/** One of the layer's jobs, an explicit step machine: run as a Job of the slice scheduler until it says it is finished. */
interface StepMachine {
  /** Does some work; true when the job is finished. */
  step(): boolean;
}

/** A counted batch, as kept: its log entry, and which entries of its decoded payload were applied. */
interface Counted {
  logged: LoggedBatch;
  /** Entry i of the payload was applied if bit i (i % 8 of byte i >> 3) is set; undefined: all were. */
  entries: Uint8Array | undefined;
}

/** A batch's applied entries, decoded, while a job works on it (never kept: `decode` re-makes them). */
interface Decoded {
  batch: BulkDeltaBatch;
  logged: LoggedBatch;
  hashes: TokenHashes;
}

export class TeamLayer {
  /** What was applied for each batch id (its entries re-made from the log entry), so that its removal subtracts exactly that. */
  private readonly applied = new Map<string, Counted>();
  /** Genuine, live batches of forgotten writers, by id: counted again if the user remembers the writer. */
  private readonly held = new Map<string, LoggedBatch>();
  private readonly forgotten: Set<string>;
  private readonly ledger = new WriterLedger();
  private readonly histories = new Map<string, WriterHistory>();
  /** The layer's jobs, run in time slices; after each slice, what changed is announced. */
  private readonly jobs: SliceScheduler;
  private changed = false;
  private readonly partEntries: number;
  private readonly maxLedgerEntries: number;

  constructor(
    private readonly sink: TeamSink,
    private readonly validator: BatchValidator,
    private readonly ownWriter: string,
    private readonly onReject: (rejection: Rejection) => void,
    private readonly options: TeamLayerOptions = {},
  ) {
    this.jobs = new SliceScheduler(options.sliceMs ?? 20, () => this.finishSlice());
    this.partEntries = options.partEntries ?? 2000;
    this.maxLedgerEntries = options.maxLedgerEntries ?? 20_000_000;
    this.forgotten = new Set(options.forgotten ?? []);
  }

  /** Number of batches currently summed into the team memory. */
  get batchCount(): number {
    return this.applied.size;
  }

  get idle(): boolean {
    return this.jobs.pending === 0;
  }

  /** The ledger's size: (writer, n-gram) slots held, and its bytes. */
  ledgerSize(): { entries: number; bytes: number } {
    return { entries: this.ledger.size, bytes: this.ledger.bytes() };
  }

  /**
   * Bytes the counted batches take here beyond their log entries (which the log holds anyway): the
   * masks of applied entries, a bit per entry of a batch that was not applied whole.
   */
  retainedBytes(): number {
    let bytes = 0;
    for (const { entries } of this.applied.values()) bytes += entries?.byteLength ?? 0;
    return bytes;
  }

  /** Writers seen (counted or held), in order of first appearance. */
  writers(): TeamWriter[] {
    const batches = new Map<string, number>();
    for (const { logged } of this.applied.values()) batches.set(logged.writer, (batches.get(logged.writer) ?? 0) + 1);
    const held = new Map<string, number>();
    for (const { writer } of this.held.values()) held.set(writer, (held.get(writer) ?? 0) + 1);
    const seen = new Set([...batches.keys(), ...held.keys()]);
    return [...seen].map((writer) => ({ writer, batches: batches.get(writer) ?? 0, held: held.get(writer) ?? 0, forgotten: this.forgotten.has(writer) }));
  }

  /** The writers (not forgotten) whose live batches add up to a positive count of `ngram`. */
  contributors(ngram: readonly string[]): string[] {
    return this.attribution().contributors(ngram);
  }

  /**
   * `contributors` holding only the ledger (not the batches): what a closed session or an offline
   * rebuild leaves behind to say who taught what, without keeping every batch in memory.
   */
  attribution(): Attribution {
    const { ledger, forgotten } = this;
    return {
      contributors: (ngram) => (ngram.length === 0 ? [] : ledger.writers().filter((writer) => !forgotten.has(writer) && ledger.netOf(writer, ngram) > 0)),
    };
  }

  /**
   * Takes `writer`'s whole contribution out of the team memory and holds its batches, present and
   * future, uncounted until `remember(writer)`. Queued after the work already queued.
   */
  forget(writer: string): void {
    if (writer === this.ownWriter || this.forgotten.has(writer)) return;
    this.forgotten.add(writer);
    this.enqueue(this.subtractJob(writer, () => true, (counted) => this.held.set(counted.logged.id, counted.logged)));
  }

  /** Counts a forgotten writer's live batches again (those it has not superseded meanwhile). */
  remember(writer: string): void {
    if (!this.forgotten.delete(writer)) return;
    for (const [id, logged] of this.held) {
      if (logged.writer !== writer) continue;
      this.held.delete(id);
      this.enqueue(this.addJob(logged));
    }
  }

  /** Queues the change; it is applied in slices, in order, after this call returns. */
  apply(change: LogChange): void {
    // One report per change, however many entries it holds: reports must not multiply an attack.
    if (change.malformed.length > 0) {
      const more = change.malformed.length > 1 ? ` (and ${change.malformed.length - 1} more entries that are not batches)` : '';
      this.onReject({ writer: '?', batchId: '?', reason: `${change.malformed[0]}${more}` });
    }
    const superseding = new Set<string>();
    for (const batch of inWriterOrder(change.added)) {
      if (batch.writer === this.ownWriter) continue;
      if (batch.floor > 0 || batch.dead.length > 0) superseding.add(batch.writer);
      this.enqueue(this.addJob(batch));
    }
    // After the additions, which record (once their signature holds) what they supersede: a
    // compaction adds its result and deletes what it folded at once.
    for (const writer of superseding) this.enqueue(this.removeJob(writer));
    const vanished = change.removed.filter((batch) => batch.writer !== this.ownWriter);
    if (vanished.length > 0) this.enqueue(this.vanishedJob(vanished));
  }

  /** Notes what a genuine `batch` supersedes. */
  private record(batch: LoggedBatch): void {
    if (batch.floor === 0 && batch.dead.length === 0) return;
    let history = this.histories.get(batch.writer);
    if (!history) this.histories.set(batch.writer, (history = { floor: 0, dead: new Set() }));
    history.floor = Math.max(history.floor, batch.floor);
    for (const nonce of batch.dead) history.dead.add(nonce);
  }

  private superseded(batch: LoggedBatch): boolean {
    const history = this.histories.get(batch.writer);
    return history !== undefined && (batch.seq < history.floor || history.dead.has(batch.nonce));
  }

  /** Does all queued work now (tests, and before saving). */
  drain(): void {
    this.jobs.drain();
  }

  whenIdle(): Promise<void> {
    return this.jobs.whenIdle();
  }

  private enqueue(job: StepMachine): void {
    this.jobs.enqueue(() => job.step());
  }

  private finishSlice(): void {
    if (this.changed) {
      this.changed = false;
      this.options.onApplied?.();
    }
  }

  private addJob(logged: LoggedBatch): StepMachine {
    let decoded: Decoded | undefined;
    let entries: Uint8Array | undefined;
    let done = 0;
    let clamped = 0;
    return {
      step: () => {
        if (!decoded) {
          // Put back after a deletion: counted (or held) already.
          if (this.applied.has(logged.id) || this.held.has(logged.id)) return true;
          const forged = signatureProblem(logged);
          if (forged) {
            this.onReject({ writer: logged.writer, batchId: logged.id, reason: forged });
            return true;
          }
          if (this.superseded(logged)) {
            this.onReject({ writer: logged.writer, batchId: logged.id, reason: 'superseded batch ignored (an old batch replayed into the log)' });
            return true;
          }
          this.record(logged);
          if (this.forgotten.has(logged.writer)) {
            this.held.set(logged.id, logged);
            return true;
          }
          const result = this.validator.validate(logged);
          if (!result.ok) {
            this.onReject({ writer: logged.writer, batchId: logged.id, reason: result.reason });
            return true;
          }
          if (this.ledger.size + result.batch.count > this.maxLedgerEntries) {
            this.onReject({
              writer: logged.writer,
              batchId: logged.id,
              reason: `the team layer already tracks ${this.ledger.size} writer n-grams; this batch's ${result.batch.count} entries would pass the cap of ${this.maxLedgerEntries}`,
            });
            return true;
          }
          const hashes = this.ledger.hashTable(result.batch.table);
          // A negative entry for what its writer has no count of changes nothing: it is dropped,
          // not kept, so a writer cannot make us hold (or track in the ledger) counts it never gave.
          const { batch, dropped, keep } = this.withoutEmptyTakes(logged.writer, result.batch, hashes);
          clamped += dropped;
          decoded = { batch, logged, hashes };
          entries = appliedEntries(result.kept?.length ?? result.batch.count, result.kept, keep);
          return this.finishAdd(decoded, entries, done, clamped);
        }
        const end = Math.min(decoded.batch.count, done + this.partEntries);
        try {
          clamped += this.applyPart(decoded, done, end, 1);
        } catch (error) {
          // The engine and the ledger are unchanged when a part fails; undo the parts already applied.
          if (done > 0) this.applyPart(decoded, 0, done, -1);
          this.onReject({ writer: logged.writer, batchId: logged.id, reason: (error as Error).message });
          return true;
        }
        done = end;
        return this.finishAdd(decoded, entries, done, clamped);
      },
    };
  }

  /** The entries of `batch` (validated) to apply: all but negative ones of which its writer has nothing; `keep` says which (undefined: all). */
  private withoutEmptyTakes(writer: string, batch: BulkDeltaBatch, hashes: TokenHashes): { batch: BulkDeltaBatch; dropped: number; keep: Uint8Array | undefined } {
    let keep: Uint8Array | undefined;
    let dropped = 0;
    for (let i = 0; i < batch.count; i++) {
      if (batch.deltas[i] > 0 || this.ledger.netOfEntry(writer, batch, hashes, i) > 0) continue;
      keep ??= new Uint8Array(batch.count).fill(1);
      keep[i] = 0;
      dropped++;
    }
    return { batch: keep ? selectBulk(batch, keep) : batch, dropped, keep };
  }

  private finishAdd({ batch, logged }: Decoded, entries: Uint8Array | undefined, done: number, clamped: number): boolean {
    if (done < batch.count) return false;
    this.applied.set(logged.id, { logged, entries });
    if (clamped > 0) {
      this.onReject({
        writer: logged.writer,
        batchId: logged.id,
        reason: `${clamped} entries would take counts below what this writer contributed; only its own counts were taken`,
      });
    }
    return true;
  }

  /**
   * Entries [from, to) of a counted batch, deltas times `sign`, through the ledger: the team memory
   * changes by what each changes max(0, writer's net). All or nothing: on a throw the ledger is
   * restored and the engine changed nothing. Returns how many negative entries were cut short.
   */
  private applyPart({ batch, logged, hashes }: Decoded, from: number, to: number, sign: 1 | -1): number {
    const writer = logged.writer;
    const effective = new Float64Array(to - from);
    let differs = 0;
    let clamped = 0;
    this.ledger.addRange(writer, batch, hashes, from, to, sign, effective);
    for (let i = from; i < to; i++) {
      const delta = sign * batch.deltas[i];
      const change = effective[i - from];
      if (change !== delta) {
        differs++;
        if (delta < 0 && change > delta) clamped++;
      }
    }
    try {
      if (differs === 0) this.sinkApply(batch, from, to, sign);
      else this.sinkApply(withDeltas(batch, from, effective), 0, undefined, 1);
    } catch (error) {
      this.ledger.addRange(writer, batch, hashes, from, to, sign === 1 ? -1 : 1, effective);
      throw error;
    }
    if (to > from) this.changed = true;
    return clamped;
  }

  /**
   * A counted batch's applied entries, decoded again from the bytes of its log entry (as the
   * validator decoded them) and picked by its mask, not validated again; and their token hashes.
   */
  private decode({ logged, entries }: Counted): Decoded {
    const payload = this.validator.decode(logged);
    const batch = entries ? selectBulk(payload, unpackBits(entries, payload.count)) : payload;
    return { batch, logged, hashes: this.ledger.hashTable(batch.table) };
  }

  /** Applies entries [from, to) (to: all) of `batch` times `sign` to the sink. */
  private sinkApply(batch: BulkDeltaBatch, from: number, to = batch.count, sign: 1 | -1): void {
    if (to <= from) return;
    if (this.sink.applyBulkDelta) this.sink.applyBulkDelta(batch, from, to, sign);
    else this.sink.applyDelta(bulkToBatch(batch, from, to, sign));
  }

  /** Subtracts the applied batches of `writer` that it has superseded (looked up when the job runs). */
  private removeJob(writer: string): StepMachine {
    return this.subtractJob(writer, (logged) => this.superseded(logged), () => {});
  }

  /**
   * Subtracts, part by part, the applied batches of `writer` that `which` picks when the job starts
   * (additions queued before it have finished by then), and hands each to `after`. Through the
   * ledger no count dips below zero half way. Superseded held batches are dropped too. Each batch is
   * decoded when the job reaches it and let go when it is done.
   */
  private subtractJob(writer: string, which: (logged: LoggedBatch) => boolean, after: (counted: Counted) => void): StepMachine {
    let queue: Counted[] | undefined;
    let current: Decoded | undefined;
    let done = 0;
    let failed = 0;
    return {
      step: () => {
        if (!queue) {
          queue = [];
          for (const [id, counted] of this.applied) {
            if (counted.logged.writer !== writer || !which(counted.logged)) continue;
            this.applied.delete(id);
            queue.push(counted);
          }
          for (const [id, logged] of this.held) if (logged.writer === writer && this.superseded(logged)) this.held.delete(id);
        }
        const counted = queue[0];
        if (!counted) return this.finishSubtract(writer, failed);
        if (!current) {
          current = this.decode(counted);
          return false;
        }
        const end = Math.min(current.batch.count, done + this.partEntries);
        try {
          this.applyPart(current, done, end, -1);
        } catch {
          // Only if the team memory changed behind our back (a word forgotten in it): take away
          // what can be, entry by entry; the ledger follows the writer's batches regardless.
          failed += this.subtractEach(current, done, end);
        }
        done = end;
        if (done >= current.batch.count) {
          after(queue.shift()!);
          current = undefined;
          done = 0;
        }
        return false;
      },
    };
  }

  private subtractEach({ batch, logged, hashes }: Decoded, from: number, to: number): number {
    let failed = 0;
    for (let i = from; i < to; i++) {
      const change = this.ledger.add(logged.writer, batch, hashes, i, -batch.deltas[i]);
      if (change === 0) continue;
      try {
        this.sinkApply(withDeltas(batch, i, Float64Array.of(change)), 0, undefined, 1);
        this.changed = true;
      } catch {
        failed++;
      }
    }
    return failed;
  }

  private finishSubtract(writer: string, failed: number): boolean {
    if (failed > 0) {
      this.onReject({ writer, batchId: '*', reason: `removing a writer's batches: ${failed} entries were no longer in the team memory` });
    }
    return true;
  }

  /** Batches gone from the log: their counts stay unless their writer superseded them. */
  private vanishedJob(vanished: LoggedBatch[]): StepMachine {
    return {
      step: () => {
        for (const logged of vanished) {
          if (!(this.applied.has(logged.id) || this.held.has(logged.id)) || this.superseded(logged)) continue;
          this.onReject({
            writer: logged.writer,
            batchId: logged.id,
            reason: 'a batch was deleted from the log without its writer superseding it; its counts are kept',
          });
          this.options.onVanished?.(logged);
        }
        return true;
      },
    };
  }
}

/**
 * Batches grouped by writer (in order of first appearance), each writer's in the order it wrote
 * them (seq): a snapshot put back after a deletion sits after its writer's later deltas in the
 * log, and a joiner must count it first, or those deltas would take from nothing and be dropped.
 */
function inWriterOrder(batches: LoggedBatch[]): LoggedBatch[] {
  const groups = new Map<string, LoggedBatch[]>();
  for (const batch of batches) {
    const group = groups.get(batch.writer);
    if (group) group.push(batch);
    else groups.set(batch.writer, [batch]);
  }
  const ordered: LoggedBatch[] = [];
  for (const group of groups.values()) ordered.push(...group.sort((a, b) => a.seq - b.seq));
  return ordered;
}

/**
 * Which entries of a payload of `count` were applied, a bit each, from the validator's choice
 * (`validated`, a byte per payload entry) and then the layer's (`taken`, a byte per entry the
 * validator kept); undefined when both kept all.
 */
function appliedEntries(count: number, validated: Uint8Array | undefined, taken: Uint8Array | undefined): Uint8Array | undefined {
  if (!validated && !taken) return undefined;
  const bits = new Uint8Array((count + 7) >> 3);
  for (let i = 0, j = 0; i < count; i++) {
    if (validated && validated[i] === 0) continue;
    if (!taken || taken[j] === 1) bits[i >> 3] |= 1 << (i & 7);
    j++;
  }
  return bits;
}

/** A byte per entry (1: applied) from the bits of appliedEntries. */
function unpackBits(bits: Uint8Array, count: number): Uint8Array {
  const keep = new Uint8Array(count);
  for (let i = 0; i < count; i++) keep[i] = (bits[i >> 3] >> (i & 7)) & 1;
  return keep;
}

/**
 * The entries of `batch` from `from` on, as many as `deltas` holds, with those deltas instead of
 * their own; entries whose delta is 0 are left out (the engine refuses a zero change).
 */
function withDeltas(batch: BulkDeltaBatch, from: number, deltas: Float64Array): BulkDeltaBatch {
  let count = 0;
  let tokenCount = 0;
  for (let k = 0; k < deltas.length; k++) {
    if (deltas[k] === 0) continue;
    count++;
    tokenCount += batch.starts[from + k + 1] - batch.starts[from + k];
  }
  const starts = new Uint32Array(count + 1);
  const tokens = new Uint32Array(tokenCount);
  const kept = new Float64Array(count);
  let e = 0;
  let used = 0;
  for (let k = 0; k < deltas.length; k++) {
    if (deltas[k] === 0) continue;
    for (let j = batch.starts[from + k]; j < batch.starts[from + k + 1]; j++) tokens[used++] = batch.tokens[j];
    kept[e] = deltas[k];
    starts[++e] = used;
  }
  return { table: batch.table, starts, tokens, deltas: kept, count };
}

