// Trains the local memory on the workspace: lists every root folder's learnable files (the decision
// is LearnableFiles'), has workers read, redact and chunk the files, and
// learns them. Many files are learned as one rebuild of the local memory's index in the memory file
// worker (see LocalRebuilds): the host only forwards the chunks. A few (a catch-up at start) are
// applied on the host in short slices, into the live memory's overlay. Cancelling stops between
// files, so every file is either wholly old or wholly new in the memory.
//
// The memory budget (lightNetwork.memory.budgetMB) bounds the tokens learned: above it the files
// changed most recently are kept and the others left out, which the status bar reports.
import * as vscode from 'vscode';
import type { TrainingReport } from '../api';
import { BYTES_PER_SOURCE_TOKEN, BYTES_PER_TOKEN, memoryBudgetBytes, trainingSettings } from '../config';
import type { LearnableFile, LearnableFiles } from '../core/learnableFiles';
import type { FeedRebuild } from '../core/localRebuilds';
import { FileRecord, type Fingerprint } from '../core/workspaceManifest';
import type { Manifest } from '../../persistence/savedMemory';
import type { LearningServices } from '../services';
import { chunkDocumentId } from '../../workspace/chunks';
import { StallProbe } from './stallProbe';
import type { WorkerPool } from './workerPool';
import type { PrepareInput, PreparedFile } from './workerProtocol';

const BATCH_FILES = 24;
const BATCH_BYTES = 1024 * 1024;
const MAX_QUEUED_JOBS = 400;
/** Up to this many files (and bytes) are learned into the live memory's overlay; more, by a rebuild. */
const OVERLAY_FILES = 32;
const OVERLAY_BYTES = 1024 * 1024;

export class WorkspaceTrainer {
  private current: { promise: Promise<TrainingReport>; cancel: vscode.CancellationTokenSource } | undefined;
  /** While > 0 a reset (or similar) owns the memory: no training may run or start. */
  private exclusiveDepth = 0;
  lastReport: TrainingReport | undefined;

  constructor(
    private readonly core: LearningServices,
    private readonly pool: () => WorkerPool,
    /** Which files may be learned (the same decision live updates take). */
    private readonly learnable: LearnableFiles,
    /** Files whose unsaved editor text the memory holds (live updates own them): never read from disk. */
    private readonly editorOwned: ReadonlySet<string>,
  ) {}

  get running(): Promise<TrainingReport> | undefined {
    return this.current?.promise;
  }

  cancel(): void {
    this.current?.cancel.cancel();
  }

  /** Cancels the training under way (and any started meanwhile) and waits until none runs. */
  async stop(): Promise<void> {
    while (this.current) {
      this.current.cancel.cancel();
      await this.current.promise.catch(() => undefined);
    }
  }

  /**
   * Runs `task` with no training running: cancels the one under way and refuses new ones until it
   * is done. A training planned before a reset (a settings change can start one at any moment)
   * would otherwise refill the memory the user just emptied.
   */
  async exclusive<T>(task: () => Promise<T>): Promise<T> {
    this.exclusiveDepth++;
    try {
      await this.stop();
      return await task();
    } finally {
      this.exclusiveDepth--;
    }
  }

  /**
   * Starts training (or returns the one running). 'full' re-reads every file; 'incremental' only
   * those changed since they were learned (catching up at start) and stays quiet when none did.
   * Learning shows a cancellable progress notification (files done / total).
   */
  train(mode: 'full' | 'incremental'): Promise<TrainingReport> {
    if (this.current) return this.current.promise;
    const cancel = new vscode.CancellationTokenSource();
    if (this.exclusiveDepth > 0) cancel.cancel(); // runs as an immediately cancelled training
    const promise = this.run(mode, cancel).finally(() => {
      cancel.dispose();
      this.current = undefined;
    });
    this.current = { promise, cancel };
    return promise;
  }

  private async run(mode: 'full' | 'incremental', cancel: vscode.CancellationTokenSource): Promise<TrainingReport> {
    const core = this.core;
    const started = performance.now();
    const probe = new StallProbe();
    const jobs = core.queue.startMeasuring();
    const report: TrainingReport = {
      mode, filesSeen: 0, filesRead: 0, filesLearned: 0, filesSkipped: 0, filesRemoved: 0, filesOverBudget: 0, bytes: 0, tokens: 0,
      secretsRedacted: 0, cancelled: false, ms: 0, applyMs: 0, prepareMs: 0, maxStallMs: 0, longestJobMs: 0, longestSliceMs: 0,
    };
    try {
      if (mode === 'full') core.setPhase('training', { done: 0, total: 0 });
      const settings = trainingSettings();
      const { toLearn, seen } = await this.plan(mode, cancel.token, report);
      const bytes = toLearn.reduce((n, f) => n + f.size, 0);
      const vanished = () => [...core.learner.keys()].filter((key) => !seen.has(key) && !this.editorOwned.has(key));
      if (mode === 'full' || toLearn.length > OVERLAY_FILES || bytes > OVERLAY_BYTES || vanished().length > OVERLAY_FILES) {
        await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: 'Light Network: learning the workspace', cancellable: true },
          (progress, token) => {
            token.onCancellationRequested(() => cancel.cancel());
            return this.learnByRebuild(toLearn, vanished, seen, settings, cancel.token, progress, report);
          },
        );
      } else {
        if (toLearn.length > 0) {
          await vscode.window.withProgress(
            { location: vscode.ProgressLocation.Notification, title: 'Light Network: learning the workspace', cancellable: true },
            (progress, token) => {
              token.onCancellationRequested(() => cancel.cancel());
              return this.learn(toLearn, settings, cancel.token, progress, report);
            },
          );
        }
        if (!cancel.token.isCancellationRequested) report.filesRemoved = await this.removeVanished(seen);
      }
      report.cancelled = cancel.token.isCancellationRequested;
      if (!report.cancelled) core.fileRecord.markTrained();
      this.pool().release();
    } finally {
      const timings = jobs.stop();
      report.longestJobMs = timings.longestJobMs;
      report.longestSliceMs = timings.longestSliceMs;
      report.longestJobLabel = timings.longestJobLabel;
      report.applyMs = timings.busyMs;
      report.tokens = core.local.stats().tokens;
      core.setPhase('ready');
      const changed = report.filesLearned + report.filesRemoved > 0;
      if (changed) core.markChanged('training');
      core.flushEvents();
      // What a rebuild did not save yet waits for a quiet moment (LightNetworkCore.scheduleSave):
      // a save folds the changes into a new index in the worker, which competes with training.
      if (changed) core.scheduleSave();
      report.ms = performance.now() - started;
      report.maxStallMs = probe.stop();
      this.lastReport = report;
      core.log.info(
        `Training (${mode}) ${report.cancelled ? 'cancelled' : 'done'}: ${report.filesLearned} files learned, ` +
          `${report.filesSkipped} skipped, ${report.filesRemoved} removed, ${(report.bytes / 1e6).toFixed(1)} MB read, ` +
          `memory holds ${report.tokens} tokens, ${report.secretsRedacted} secrets blanked, learned in ${report.ms.toFixed(0)} ms, ` +
          `applied in ${report.applyMs.toFixed(0)} ms of jobs, longest stall ${report.maxStallMs.toFixed(1)} ms, longest job ${report.longestJobMs.toFixed(1)} ms`,
      );
    }
    return report;
  }

  /**
   * Counts files done: the phase follows each one, the progress notification every 16 (and the last),
   * so a training of thousands of files does not redraw it thousands of times.
   */
  private progressTicker(total: number, progress: vscode.Progress<{ message?: string; increment?: number }>): () => void {
    const core = this.core;
    let done = 0;
    let reported = 0;
    progress.report({ message: `0 / ${total} files` });
    core.setPhase('training', { done: 0, total });
    return () => {
      done++;
      core.setPhase('training', { done, total });
      if (done - reported < 16 && done !== total) return;
      progress.report({ message: `${done} / ${total} files`, increment: ((done - reported) / Math.max(1, total)) * 100 });
      reported = done;
    };
  }

  private async learn(
    toLearn: LearnableFile[],
    settings: { maxFileBytes: number; workers: number },
    token: vscode.CancellationToken,
    progress: vscode.Progress<{ message?: string; increment?: number }>,
    report: TrainingReport,
  ): Promise<void> {
    const core = this.core;
    const tick = this.progressTicker(toLearn.length, progress);
    const forgotten = [...core.forgotten.words];
    const inFlight = new Set<Promise<void>>();
    for (const batch of batches(toLearn)) {
      if (token.isCancellationRequested) break;
      const inputs: PrepareInput[] = batch.map((f) => ({ key: f.key, path: f.path, root: f.root }));
      report.filesRead += inputs.length;
      const sent = performance.now();
      const job = this.pool()
        .prepare(inputs, settings.maxFileBytes, forgotten)
        .then((files) => {
          report.prepareMs += performance.now() - sent;
          this.apply(files, report, tick, token);
        })
        .catch((error) => core.log.error(`Training a batch failed: ${error}`));
      const tracked = job.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      if (inFlight.size >= Math.max(2, settings.workers * 2)) await Promise.race(inFlight);
      if (core.queue.pending > MAX_QUEUED_JOBS) await core.queue.whenIdle();
    }
    await Promise.all(inFlight);
    await core.queue.whenIdle();
  }

  /**
   * Learns the files as one rebuild of the local memory's index, saved with it: the workers read,
   * redact and chunk them, this thread forwards the chunks to the memory file worker, which builds
   * the index from them and the documents kept. Files vanished since (after a complete walk) and
   * files read and skipped now leave the memory in the same rebuild. The manifest and the learner's
   * index change when the rebuilt index is installed, so they always describe the memory.
   */
  private async learnByRebuild(
    toLearn: LearnableFile[],
    vanished: () => string[],
    seen: Set<string>,
    settings: { maxFileBytes: number; workers: number },
    token: vscode.CancellationToken,
    progress: vscode.Progress<{ message?: string; increment?: number }>,
    report: TrainingReport,
  ): Promise<void> {
    const core = this.core;
    const tick = this.progressTicker(toLearn.length, progress);
    const learned = new Map<string, Fingerprint>();
    const skipped = new Map<string, Fingerprint>();
    let removed: string[] = [];
    let complete = false; // the walk was complete and nothing cancelled: what was not seen is gone
    // Recorded twice the same way: in the manifest the rebuild saves, and in the host's when installed.
    const record = (files: FileRecord): void => {
      for (const [key, fingerprint] of learned) files.learned(key, fingerprint);
      for (const [key, fingerprint] of skipped) files.skipped(key, fingerprint);
      for (const key of removed) files.removed(key);
      if (complete) files.keepOnly(seen);
    };
    const feed = (files: LearnableFile[], last: boolean) => async (add: FeedRebuild, manifest: Manifest | undefined): Promise<void> => {
      const forgotten = [...core.forgotten.words];
      let sending = Promise.resolve();
      const inFlight = new Set<Promise<void>>();
      for (const batch of batches(files)) {
        if (token.isCancellationRequested) break;
        const inputs: PrepareInput[] = batch.map((f) => ({ key: f.key, path: f.path, root: f.root }));
        report.filesRead += inputs.length;
        const sent = performance.now();
        const job = this.pool()
          .prepare(inputs, settings.maxFileBytes, forgotten)
          .then((files) => {
            report.prepareMs += performance.now() - sent;
            const documents: Array<{ id: string; text: string }> = [];
            const drop: string[] = [];
            for (const file of files) {
              if (token.isCancellationRequested) break;
              if (this.editorOwned.has(file.key) || core.forgotten.files.has(file.key)) {
                tick();
                continue;
              }
              drop.push(...core.learner.documentsOf(file.key));
              if ('skip' in file) {
                report.filesSkipped++;
                skipped.set(file.key, [file.mtimeMs, file.size]);
              } else {
                report.secretsRedacted += file.redacted;
                for (const chunk of file.chunks) {
                  report.bytes += chunk.text.length;
                  documents.push({ id: chunkDocumentId(file.key, chunk.id), text: chunk.text });
                }
                learned.set(file.key, [file.mtimeMs, file.size]);
              }
              tick();
            }
            // In order, one batch at a time: the worker learns while the next is read.
            sending = sending.then(() => add(documents, drop));
            return sending;
          })
          .catch((error) => core.log.error(`Training a batch failed: ${error}`));
        const tracked = job.finally(() => inFlight.delete(tracked));
        inFlight.add(tracked);
        if (inFlight.size >= Math.max(2, settings.workers * 2)) await Promise.race(inFlight);
      }
      await Promise.all(inFlight);
      await sending;
      if (last && !token.isCancellationRequested) {
        complete = true;
        removed = vanished();
        const drop: string[] = [];
        for (const key of removed) drop.push(...core.learner.documentsOf(key));
        if (drop.length > 0) await add([], drop);
      }
      if (manifest) record(new FileRecord(manifest));
      progress.report({ message: 'building the index' });
    };
    try {
      const plan = stages(toLearn, core.local.tokenTotal);
      for (const [stage, files] of plan.entries()) {
        if (stage > 0 && token.isCancellationRequested) break;
        const last = stage === plan.length - 1;
        const rebuilt = await core.rebuild({
          feed: feed(files, last),
          save: core.saveTarget(),
          installed: () => {
            record(core.fileRecord);
            core.learner.rebuildIndex();
            report.filesLearned = learned.size;
            report.filesRemoved = removed.length;
          },
        });
        core.markChanged('training');
        core.noteSaved(rebuilt);
        core.log.info(`Rebuilt the local memory's index in the worker: ${rebuilt.tokens} tokens in ${rebuilt.buildMs.toFixed(0)} ms`);
      }
    } catch (error) {
      core.log.error(`Learning the workspace failed: ${error instanceof Error ? error.message : error}`);
      void vscode.window.showErrorMessage(`Light Network: learning the workspace failed (${error instanceof Error ? error.message : error}). The memory is as it was.`);
    }
  }

  /** Lists the files to learn: all of them ('full') or those changed since learned ('incremental'). */
  private async plan(
    mode: 'full' | 'incremental',
    token: vscode.CancellationToken,
    report: TrainingReport,
  ): Promise<{ toLearn: LearnableFile[]; seen: Set<string> }> {
    const core = this.core;
    const toLearn: LearnableFile[] = [];
    const seen = new Set<string>();
    const all: Array<{ key: string; size: number; mtimeMs: number }> = [];
    const abort = new AbortController();
    const listener = token.onCancellationRequested(() => abort.abort());
    try {
      for (const folder of vscode.workspace.workspaceFolders ?? []) {
        if (folder.uri.scheme !== 'file') continue;
        for await (const file of this.learnable.list(folder, '', { signal: abort.signal, onSkip: () => report.filesSkipped++ })) {
          const key = file.key;
          seen.add(key);
          all.push({ key, size: file.size, mtimeMs: file.mtimeMs });
          report.filesSeen++;
          const fingerprint: Fingerprint = [file.mtimeMs, file.size];
          if (mode === 'incremental' && core.fileRecord.isLearnedAt(key, fingerprint) && core.learner.has(key)) continue;
          // Read and skipped before (minified, binary…), unchanged since: not read again at each start.
          if (mode === 'incremental' && core.fileRecord.wasSkippedAt(key, fingerprint)) {
            report.filesSkipped++;
            continue;
          }
          if (this.editorOwned.has(key)) continue;
          toLearn.push(file);
        }
      }
    } finally {
      listener.dispose();
    }
    const over = this.overBudget(all);
    report.filesOverBudget = over.size;
    core.setMemoryFull(over.size > 0 ? { files: over.size, budgetBytes: memoryBudgetBytes() } : undefined);
    if (over.size === 0) return { toLearn, seen };
    for (const key of over) seen.delete(key);
    return { toLearn: toLearn.filter((f) => !over.has(f.key)), seen };
  }

  /**
   * The files left out when the workspace's estimated tokens exceed the memory budget: those open
   * in editors and changed most recently are kept first.
   */
  private overBudget(all: Array<{ key: string; size: number; mtimeMs: number }>): Set<string> {
    const budgetTokens = memoryBudgetBytes() / BYTES_PER_TOKEN;
    const tokensOf = (size: number) => size / BYTES_PER_SOURCE_TOKEN;
    if (all.reduce((n, f) => n + tokensOf(f.size), 0) <= budgetTokens) return new Set();
    const owned = this.editorOwned;
    const ranked = all.slice().sort((a, b) => Number(owned.has(b.key)) - Number(owned.has(a.key)) || b.mtimeMs - a.mtimeMs || (a.key < b.key ? -1 : 1));
    const over = new Set<string>();
    let tokens = 0;
    for (const file of ranked) {
      tokens += tokensOf(file.size);
      if (tokens > budgetTokens) over.add(file.key);
    }
    return over;
  }

  /** Queues the memory jobs for prepared files; each file's jobs are queued together. */
  private apply(files: PreparedFile[], report: TrainingReport, tick: () => void, token: vscode.CancellationToken): void {
    const core = this.core;
    for (const file of files) {
      if (token.isCancellationRequested) return;
      if (this.editorOwned.has(file.key) || core.forgotten.files.has(file.key)) {
        tick();
        continue;
      }
      if ('skip' in file) {
        report.filesSkipped++;
        core.queue.enqueue(() => {
          core.learner.removeFile(file.key);
          core.fileRecord.skipped(file.key, [file.mtimeMs, file.size]);
        });
        tick();
        continue;
      }
      report.secretsRedacted += file.redacted;
      for (const chunk of file.chunks) report.bytes += chunk.text.length;
      const chars = file.chunks.reduce((n, c) => n + c.text.length, 0);
      for (const job of core.learner.planReplace(file.key, file.chunks)) core.queue.enqueue(job, `learn ${file.key} (${chars} chars, ${file.chunks.length} chunks)`);
      core.queue.enqueue(() => {
        core.fileRecord.learned(file.key, [file.mtimeMs, file.size]);
        report.filesLearned++;
        tick();
        if (report.filesLearned % 64 === 0) core.markChanged('training');
      });
    }
  }

  /** After a complete walk: files learned before that are gone or now excluded leave the memory. */
  private async removeVanished(seen: Set<string>): Promise<number> {
    const core = this.core;
    const vanished = [...core.learner.keys()].filter((key) => !seen.has(key) && !this.editorOwned.has(key));
    for (const key of vanished) {
      core.queue.enqueue(() => {
        core.learner.removeFile(key);
        core.fileRecord.removed(key);
      });
    }
    core.fileRecord.keepOnly(seen);
    await core.queue.whenIdle();
    return vanished.length;
  }
}

/** Bytes of files learned before the first rebuild of a training that starts from a small memory. */
const FIRST_STAGE_BYTES = 4 * 1024 * 1024;

/**
 * The files of a training in the order of their rebuilds. A training much larger than the memory
 * (the first one) is learned in stages whose totals double (4 MB, 8 MB, 16 MB…), so completions
 * come from what is learned so far within seconds; the rebuilds cost at most twice one rebuild.
 */
function stages(files: LearnableFile[], memoryTokens: number): LearnableFile[][] {
  const total = files.reduce((n, f) => n + f.size, 0);
  if (total < 2 * FIRST_STAGE_BYTES || memoryTokens * 4 * 4 > total) return [files];
  const out: LearnableFile[][] = [];
  let stage: LearnableFile[] = [];
  let bytes = 0;
  let bound = FIRST_STAGE_BYTES;
  for (const file of files) {
    stage.push(file);
    bytes += file.size;
    if (bytes >= bound && total - bytes > bound / 2) {
      out.push(stage);
      stage = [];
      bound *= 2;
    }
  }
  if (stage.length > 0) out.push(stage);
  return out;
}

function* batches(files: LearnableFile[]): Generator<LearnableFile[]> {
  let batch: LearnableFile[] = [];
  let bytes = 0;
  for (const file of files) {
    batch.push(file);
    bytes += file.size;
    if (batch.length >= BATCH_FILES || bytes >= BATCH_BYTES) {
      yield batch;
      batch = [];
      bytes = 0;
    }
  }
  if (batch.length > 0) yield batch;
}
