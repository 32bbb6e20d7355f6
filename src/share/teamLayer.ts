// Keeps the team memory equal to the sum of the other writers' valid batches in the log.
// Batches that fail validation are reported and never applied; removing a batch subtracts exactly
// what was applied for it. The local memory is never touched here.
import type { DeltaBatch } from '../memory/types';
import type { LoggedBatch } from './batchFormat';
import type { BatchValidator } from './batchValidator';
import { negateBatch, removalsFirst } from './deltaMath';
import type { LogChange } from './deltaLog';

/** Where accepted team deltas go (the extension's services.applyTeamDelta, or a headless Memory). */
export interface TeamSink {
  applyDelta(batch: DeltaBatch): void;
}

export interface Rejection {
  writer: string;
  batchId: string;
  reason: string;
}

export class TeamLayer {
  /** What was applied for each batch id, so that its removal subtracts exactly that. */
  private readonly applied = new Map<string, DeltaBatch>();

  constructor(
    private readonly sink: TeamSink,
    private readonly validator: BatchValidator,
    private readonly ownWriter: string,
    private readonly onReject: (rejection: Rejection) => void,
  ) {}

  /** Number of batches currently summed into the team memory. */
  get batchCount(): number {
    return this.applied.size;
  }

  apply(change: LogChange): void {
    for (const reason of change.malformed) this.onReject({ writer: '?', batchId: '?', reason });
    const removals: DeltaBatch[] = [];
    for (const batch of change.removed) {
      const applied = this.applied.get(batch.id);
      if (!applied) continue;
      this.applied.delete(batch.id);
      removals.push(negateBatch(applied));
    }
    if (removals.length > 0) {
      try {
        this.sink.applyDelta(removalsFirst(concat(removals)));
      } catch (error) {
        // Only possible if the team memory was changed behind our back (e.g. pruned).
        this.onReject({ writer: '*', batchId: '*', reason: `removing compacted batches failed: ${(error as Error).message}` });
      }
    }
    for (const batch of change.added) {
      if (batch.writer !== this.ownWriter) this.add(batch);
    }
  }

  private add(logged: LoggedBatch): void {
    const result = this.validator.validate(logged);
    if (!result.ok) {
      this.onReject({ writer: logged.writer, batchId: logged.id, reason: result.reason });
      return;
    }
    try {
      this.sink.applyDelta(result.batch);
    } catch (error) {
      // The engine validates first and changes nothing when a count would go below zero.
      this.onReject({ writer: logged.writer, batchId: logged.id, reason: (error as Error).message });
      return;
    }
    this.applied.set(logged.id, result.batch);
  }
}

function concat(batches: DeltaBatch[]): DeltaBatch {
  return { entries: batches.flatMap((batch) => batch.entries) };
}
