// Keeps the team memory equal to the sum of the other writers' live batches: genuine (signed:
// DeltaLog passes on nothing else), valid, and not superseded by a later batch of the same writer.
// Batches that fail validation are reported and never applied. A batch's counts are subtracted,
// exactly as applied, only when its writer supersedes it: a batch that merely vanishes from the
// log (any peer can delete a Yjs item) keeps its counts, the deletion is reported and the batch
// handed to onVanished (the session puts it back in the log), and a replayed superseded batch is
// ignored. The local memory is never touched here.
// Work is done in short time slices (a first sync can carry a million counts), in log order, so
// the host's event loop stays responsive; a batch is applied in parts and rolled back whole if a
// part fails, so a rejected batch leaves nothing behind.
import { bulkToBatch, type BulkDeltaBatch } from '../memory/bulkDelta';
import type { DeltaBatch } from '../memory/types';
import { signatureProblem, type LoggedBatch } from './batchFormat';
import type { BatchValidator } from './batchValidator';
import { sumBatches } from './deltaMath';
import type { LogChange } from './deltaLog';

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

export interface TeamLayerOptions {
  /** Longest stretch of work before yielding to the event loop. */
  sliceMs?: number;
  /** Entries applied per engine call. */
  partEntries?: number;
  /** Called after each slice that changed the team memory. */
  onApplied?: () => void;
  /** A counted batch was deleted from the log without its writer superseding it. */
  onVanished?: (batch: LoggedBatch) => void;
}

interface Job {
  /** Does some work; true when the job is finished. */
  step(): boolean;
}

export class TeamLayer {
  /** What was applied for each batch id, so that its removal subtracts exactly that. */
  private readonly applied = new Map<string, { batch: BulkDeltaBatch; logged: LoggedBatch }>();
  private readonly histories = new Map<string, WriterHistory>();
  private readonly jobs: Job[] = [];
  private scheduled = false;
  private changed = false;
  private idleWaiters: (() => void)[] = [];
  private readonly sliceMs: number;
  private readonly partEntries: number;

  constructor(
    private readonly sink: TeamSink,
    private readonly validator: BatchValidator,
    private readonly ownWriter: string,
    private readonly onReject: (rejection: Rejection) => void,
    private readonly options: TeamLayerOptions = {},
  ) {
    this.sliceMs = options.sliceMs ?? 20;
    this.partEntries = options.partEntries ?? 2000;
  }

  /** Number of batches currently summed into the team memory. */
  get batchCount(): number {
    return this.applied.size;
  }

  get idle(): boolean {
    return this.jobs.length === 0;
  }

  /** Queues the change; it is applied in slices, in order, after this call returns. */
  apply(change: LogChange): void {
    // One report per change, however many entries it holds: reports must not multiply an attack.
    if (change.malformed.length > 0) {
      const more = change.malformed.length > 1 ? ` (and ${change.malformed.length - 1} more entries that are not batches)` : '';
      this.onReject({ writer: '?', batchId: '?', reason: `${change.malformed[0]}${more}` });
    }
    const superseding = new Set<string>();
    for (const batch of change.added) {
      if (batch.writer === this.ownWriter) continue;
      if (batch.floor > 0 || batch.dead.length > 0) superseding.add(batch.writer);
      this.jobs.push(this.addJob(batch));
    }
    // After the additions, which record (once their signature holds) what they supersede: a
    // compaction adds its result and deletes what it folded at once.
    for (const writer of superseding) this.jobs.push(this.removeJob(writer));
    const vanished = change.removed.filter((batch) => batch.writer !== this.ownWriter);
    if (vanished.length > 0) this.jobs.push(this.vanishedJob(vanished));
    this.schedule();
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
    while (this.jobs.length > 0) if (this.jobs[0].step()) this.jobs.shift();
    this.finishSlice();
  }

  whenIdle(): Promise<void> {
    if (this.idle) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.scheduled || this.jobs.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const deadline = performance.now() + this.sliceMs;
      while (this.jobs.length > 0 && performance.now() < deadline) if (this.jobs[0].step()) this.jobs.shift();
      this.finishSlice();
      this.schedule();
    });
  }

  private finishSlice(): void {
    if (this.changed) {
      this.changed = false;
      this.options.onApplied?.();
    }
    if (this.jobs.length === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private addJob(logged: LoggedBatch): Job {
    let batch: BulkDeltaBatch | undefined;
    let done = 0;
    return {
      step: () => {
        if (!batch) {
          if (this.applied.has(logged.id)) return true; // put back after a deletion: counted already
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
          const result = this.validator.validate(logged);
          if (!result.ok) {
            this.onReject({ writer: logged.writer, batchId: logged.id, reason: result.reason });
            return true;
          }
          batch = result.batch;
          return this.finishAdd(logged, batch, done);
        }
        const end = Math.min(batch.count, done + this.partEntries);
        try {
          this.applyPart(batch, done, end, 1);
        } catch (error) {
          // The engine changes nothing when a part fails; undo the parts already applied.
          if (done > 0) this.applyPart(batch, 0, done, -1);
          this.onReject({ writer: logged.writer, batchId: logged.id, reason: (error as Error).message });
          return true;
        }
        this.changed = true;
        done = end;
        return this.finishAdd(logged, batch, done);
      },
    };
  }

  private applyPart(batch: BulkDeltaBatch, from: number, to: number, sign: 1 | -1): void {
    if (this.sink.applyBulkDelta) this.sink.applyBulkDelta(batch, from, to, sign);
    else this.sink.applyDelta(bulkToBatch(batch, from, to, sign));
  }

  private finishAdd(logged: LoggedBatch, batch: BulkDeltaBatch, done: number): boolean {
    if (done < batch.count) return false;
    this.applied.set(logged.id, { batch, logged });
    return true;
  }

  /**
   * Subtracts the applied batches of `writer` that it has superseded, as one netted batch:
   * removing them one by one could dip a count below zero half way. Looks them up when it runs,
   * so additions queued before it have finished by then.
   */
  private removeJob(writer: string): Job {
    let net: DeltaBatch | undefined;
    let done = 0;
    return {
      step: () => {
        if (!net) {
          const removed: DeltaBatch[] = [];
          for (const [id, { batch, logged }] of this.applied) {
            if (logged.writer !== writer || !this.superseded(logged)) continue;
            removed.push(bulkToBatch(batch, 0, batch.count, -1));
            this.applied.delete(id);
          }
          net = sumBatches(removed);
        }
        const part = { entries: net.entries.slice(done, done + this.partEntries) };
        if (part.entries.length > 0) {
          try {
            this.sink.applyDelta(part);
            this.changed = true;
          } catch (error) {
            // Only possible if the team memory was changed behind our back (e.g. pruned).
            this.onReject({ writer, batchId: '*', reason: `removing superseded batches failed: ${(error as Error).message}` });
          }
        }
        done += part.entries.length;
        return done >= net.entries.length;
      },
    };
  }

  /** Batches gone from the log: their counts stay unless their writer superseded them. */
  private vanishedJob(vanished: LoggedBatch[]): Job {
    return {
      step: () => {
        for (const logged of vanished) {
          if (!this.applied.has(logged.id) || this.superseded(logged)) continue;
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
