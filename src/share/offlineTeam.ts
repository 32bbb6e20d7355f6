// The team memory rebuilt from a saved team log with no session running: what forgetting (or
// remembering) a collaborator does between sessions, and what the extension loads at activation
// (the team memory is not saved: the log is). The team memory is the writers' live chunks in the
// log (teamLayer.ts), so it is rebuilt the way a session starts, through the same signature checks
// and validation, with the forgotten writers' batches held unapplied. What it returns answers
// which writers taught an n-gram (asking the team memory) until the next rebuild or session.
import * as Y from 'yjs';
import { BatchValidator, type TeamMemoryView } from './batchValidator';
import { DeltaLog } from './deltaLog';
import { withLimits, type ShareLimits } from './limits';
import { savedLogProblem } from './savedLog';
import { createSecretTokenTest } from './secretFilter';
import { TeamLayer, type Attribution, type Rejection, type TeamLayerSink } from './teamLayer';
import { newWriterKey } from './writerKey';

export interface OfflineRebuild {
  /** A log saved by ShareSession.encodeState(). */
  saved: Uint8Array;
  /** Where the chunks go (a TeamMemory). */
  team: TeamLayerSink & TeamMemoryView;
  /** Empties `team`: called once the saved log is known to be usable, before anything is counted. */
  clearTeam: () => void;
  /** Our own writer id: our batches are our local memory, never counted in the team layer. */
  ownWriter: string;
  forgotten: Iterable<string>;
  limits?: Partial<ShareLimits>;
  onReject?: (rejection: Rejection) => void;
}

/**
 * Rebuilds `team` from `saved` in time slices; throws (the team memory untouched) if the saved log
 * is unusable. Resolves once the team memory has counted everything; returns who taught what (the
 * batches are let go: the team memory's documents say).
 */
export async function rebuildTeamFromLog(options: OfflineRebuild): Promise<Attribution> {
  const limits = withLimits(options.limits);
  const problem = savedLogProblem(options.saved, limits);
  if (problem) throw new Error(`the saved team log cannot be used: ${problem}`);
  options.clearTeam();
  const doc = new Y.Doc();
  // Never appends: the key only gives the log an id of its own.
  const log = new DeltaLog(doc, newWriterKey());
  const validator = new BatchValidator(limits, options.team, createSecretTokenTest());
  const layer = new TeamLayer(options.team, validator, options.ownWriter, options.onReject ?? (() => {}), {
    forgotten: options.forgotten,
    maxTeamTokens: limits.maxTeamTokens,
  });
  log.onChange((change) => layer.apply(change));
  try {
    Y.applyUpdate(doc, options.saved);
    await layer.whenIdle();
  } finally {
    log.destroy();
    doc.destroy();
  }
  return layer.attribution();
}
