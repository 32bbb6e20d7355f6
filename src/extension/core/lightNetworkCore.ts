// The host's core: the local and team memories, the completion path over both, the change events
// features listen to, the serial queue every local change goes through, and persistence.
// It implements the services seam (services.ts) that the light panel and share session use.
import * as vscode from 'vscode';
import { Memory } from '../../memory/memory';
import { Predictor } from '../../memory/predictor';
import type { CompleteOptions, CompletionResult, DeltaBatch, NgramDelta, Prediction } from '../../memory/types';
import type { LightNetworkPhase } from '../api';
import type { LightNetworkServices, MemoryChange, MemoryChangeSource, PeerPresence, TypingEvent } from '../services';
import { MemoryStore, type LoadResult } from '../store/memoryStore';
import { emptyManifest, type Manifest } from '../../workspace/savedMemory';
import { filterCompletion, filterPredictions } from '../../workspace/completionFilter';
import { isForgettableWord, MAX_WORD_LENGTH } from '../../protocol/forgettableWord';
import { ListenedEmitter, Throttle } from './events';
import { Learner } from '../../workspace/learner';
import { SliceScheduler } from './sliceScheduler';
import { SnapshotCopier } from '../../memory/snapshotCopy';

// Saving copies the whole memory (a few short steps on this thread, then a worker encodes and
// writes hundreds of MB for a memory of millions of n-grams), so it happens at quiet moments: a
// small memory two seconds after a change, a big one a minute after one. Nothing is lost by
// waiting: at start the catch-up re-reads every file whose fingerprint in the manifest differs.
const SMALL_MEMORY_BYTES = 16 * 1024 * 1024;
const SAVE_DELAY_SMALL_MS = 2_000;
const SAVE_DELAY_LARGE_MS = 60_000;

export class LightNetworkCore implements LightNetworkServices, vscode.Disposable {
  private localMemory = new Memory();
  private teamMemory = new Memory();
  private predictor = new Predictor([this.localMemory, this.teamMemory]);

  readonly scheduler = new SliceScheduler(4);
  readonly learner: Learner;
  readonly store: MemoryStore;
  manifest: Manifest = emptyManifest();
  forgottenWords = new Set<string>();
  forgottenFiles = new Set<string>();
  /** Files whose unsaved editor contents are learned: the editor, not the disk, speaks for them. */
  readonly editorOwned = new Set<string>();

  phase: LightNetworkPhase = 'loading';
  training: { done: number; total: number } | undefined;
  loadMs: number | undefined;
  loadInstallMs: number | undefined;
  loadError: string | undefined;
  lastSave: { copyMs: number; encodeMs: number; ms: number; bytes: number } | undefined;

  private readonly memoryChanged = new ListenedEmitter<MemoryChange>();
  private readonly typed = new ListenedEmitter<TypingEvent>();
  private readonly localChanged = new ListenedEmitter<DeltaBatch>();
  private readonly peersChanged = new ListenedEmitter<PeerPresence[]>();
  private readonly stateChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeMemory = this.memoryChanged.event;
  readonly onDidType = this.typed.event;
  readonly onDidChangeLocal = this.localChanged.event;
  readonly onDidChangePeers = this.peersChanged.event;
  /** Phase, progress, pause or size changed (for the status bar). */
  readonly onDidChangeState = this.stateChanged.event;

  private readonly changeThrottle = new Throttle<MemoryChangeSource>(250, (source) => this.memoryChanged.fire({ source }));
  private pendingDelta: NgramDelta[] = [];
  private readonly deltaThrottle = new Throttle<true>(100, () => this.flushDelta());
  private saveTimer: NodeJS.Timeout | undefined;
  private dirty = false;
  private savePromise: Promise<void> | undefined;
  /** Who taught the team memory's counts, from the share feature (services.setTeamContributors). */
  private teamContributorsOf: ((ngram: readonly string[]) => string[]) | undefined;

  constructor(
    readonly context: vscode.ExtensionContext,
    readonly log: vscode.LogOutputChannel,
  ) {
    this.store = MemoryStore.forContext(context);
    this.learner = new Learner({
      memory: () => this.localMemory,
      wantsDeltas: () => this.localChanged.hasListeners,
      onDelta: (entries) => {
        for (const entry of entries) this.pendingDelta.push(entry);
        this.deltaThrottle.push(true);
      },
    });
  }

  get local(): Memory {
    return this.localMemory;
  }

  get team(): Memory {
    return this.teamMemory;
  }

  get paused(): boolean {
    return this.context.workspaceState.get<boolean>('lightNetwork.paused', false);
  }

  async setPaused(paused: boolean): Promise<void> {
    await this.context.workspaceState.update('lightNetwork.paused', paused);
    this.stateChanged.fire();
  }

  complete(textBeforeCursor: string, options?: CompleteOptions & { cacheKey?: string }): CompletionResult {
    return filterCompletion(textBeforeCursor, this.predictor.complete(textBeforeCursor, options), this.forgottenWords);
  }

  predictNext(context: string[], k: number): Prediction[] {
    return filterPredictions(this.predictor.predictNext(context, k + 4), this.forgottenWords).slice(0, k);
  }

  /** Ranked next tokens that start with `prefix` (the suggest list), unsafe words removed. */
  rankWithPrefix(context: string[], k: number, prefix: string): Prediction[] {
    const ranked = this.predictor.rank(context, k + 4, prefix);
    const predictions = ranked.tokens.map((token, i) => ({ token, probability: ranked.probs[i] }));
    return filterPredictions(predictions, this.forgottenWords).slice(0, k);
  }

  /** Tells features the memory changed (throttled) and schedules a save. */
  markChanged(source: MemoryChangeSource): void {
    this.changeThrottle.push(source);
    this.stateChanged.fire();
    this.dirty = true; // the team layer is persisted with the local one
    if (this.isSmall() || (source !== 'edit' && source !== 'file' && source !== 'team')) this.scheduleSave();
  }

  private isSmall(): boolean {
    return this.localMemory.stats().bytes + this.teamMemory.stats().bytes < SMALL_MEMORY_BYTES;
  }

  setPhase(phase: LightNetworkPhase, training?: { done: number; total: number }): void {
    this.phase = phase;
    this.training = training;
    this.stateChanged.fire();
  }

  fireTyping(event: TypingEvent): void {
    this.typed.fire(event);
  }

  get wantsTyping(): boolean {
    return this.typed.hasListeners;
  }

  setPeers(peers: PeerPresence[]): void {
    this.peersChanged.fire(peers);
  }

  applyTeamDelta(batch: DeltaBatch): void {
    this.teamMemory.applyDelta(batch);
    this.markChanged('team');
  }

  teamContributors(ngram: readonly string[]): string[] {
    return this.teamContributorsOf?.(ngram) ?? [];
  }

  setTeamContributors(source: ((ngram: readonly string[]) => string[]) | undefined): void {
    this.teamContributorsOf = source;
  }

  clearTeam(): void {
    this.teamMemory.clear();
    this.markChanged('team');
  }

  /** Forgets one word (see isForgettableWord); anything else is refused with an error. */
  async forgetWord(word: string): Promise<void> {
    if (!isForgettableWord(word)) throw new Error(`only a single word of at most ${MAX_WORD_LENGTH} characters can be forgotten`);
    this.forgottenWords.add(word);
    this.manifest.forgottenWords = [...this.forgottenWords];
    await new Promise<void>((resolve) => {
      this.scheduler.enqueue(() => {
        const delta = this.localMemory.forgetWord(word);
        this.teamMemory.forgetWord(word);
        if (delta.entries.length > 0 && this.localChanged.hasListeners) this.localChanged.fire(delta);
        resolve();
      });
    });
    this.markChanged('forget');
    await this.saveNow(); // forgetting must survive a crash: the old saved memory still holds it
  }

  /** Removes a file's contribution and never learns it again in this workspace. */
  async forgetFile(key: string): Promise<void> {
    this.forgottenFiles.add(key);
    this.manifest.forgottenFiles = [...this.forgottenFiles];
    delete this.manifest.files[key];
    await new Promise<void>((resolve) => {
      this.scheduler.enqueue(() => {
        this.learner.removeFile(key);
        resolve();
      });
    });
    this.markChanged('forget');
    await this.saveNow(); // forgetting must survive a crash: the old saved memory still holds it
  }

  /** Empties the local memory (the team layer is the share session's business) and saves that. */
  async reset(): Promise<void> {
    await this.scheduler.whenIdle();
    this.localMemory.clear();
    this.learner.clear();
    this.manifest = { ...emptyManifest(), forgottenFiles: [...this.forgottenFiles], forgottenWords: [...this.forgottenWords] };
    this.markChanged('reset');
    await this.saveNow();
  }

  /** Reads the saved memory; on success the memories are swapped in and 'load' is announced. */
  async load(): Promise<LoadResult> {
    const result = await this.store.load();
    this.loadError = undefined;
    if (result.kind === 'loaded') {
      const installing = performance.now();
      const saved = await this.scheduler.runSteps(result.install);
      this.loadInstallMs = performance.now() - installing;
      this.localMemory = saved.local;
      this.teamMemory = saved.team;
      this.predictor = new Predictor([this.localMemory, this.teamMemory]);
      this.manifest = saved.manifest;
      this.forgottenFiles = new Set(this.manifest.forgottenFiles);
      // Older versions could forget "\n" or punctuation (which flattened every file): words only.
      this.forgottenWords = new Set(this.manifest.forgottenWords.filter(isForgettableWord));
      this.learner.rebuildIndex();
      this.loadMs = result.ms;
      this.changeThrottle.push('load');
      this.stateChanged.fire();
    } else if (result.kind === 'corrupt') {
      this.loadError = result.reason;
    }
    return result;
  }

  scheduleSave(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(
      () => {
        this.saveTimer = undefined;
        if (this.phase === 'training') return; // the trainer saves when it finishes
        void this.saveNow().catch((error) => this.log.error(`Saving the memory failed: ${error}`));
      },
      this.isSmall() ? SAVE_DELAY_SMALL_MS : SAVE_DELAY_LARGE_MS,
    );
  }

  get needsSave(): boolean {
    return this.dirty || this.saveTimer !== undefined;
  }

  /**
   * Copies the memories in short steps on this thread (as one job of the queue, so no local change
   * lands in the middle of the copy) and hands the copies to the store's worker, which encodes
   * and writes them: the host is never held for more than a step.
   */
  async saveNow(): Promise<void> {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (this.savePromise) await this.savePromise.catch(() => undefined); // its caller reports its failure
    this.dirty = false;
    const started = performance.now();
    this.savePromise = (async () => {
      // The copies' fresh pages are touched by the worker, not here (see memoryFileWorker.ts).
      const live = this.localMemory.store.liveState();
      const room = await this.store
        .makeRoom([
          { name: 'rec', length: live.rec.length, bytesPerElement: 4, value: 0 },
          { name: 'index', length: live.index.length, bytesPerElement: 4, value: 0 },
        ])
        .catch(() => undefined);
      const local = new SnapshotCopier(this.localMemory, { shared: true, room });
      // Team deltas do not go through the queue: the copier starts over if one lands mid-copy.
      const team = new SnapshotCopier(this.teamMemory, { shared: true });
      const manifest = await this.scheduler.runSteps(this.copyForSave(local, team));
      const copyMs = performance.now() - started;
      const saved = await this.store.save(manifest, local.result(), team.result());
      this.lastSave = { copyMs, encodeMs: saved.encodeMs, ms: performance.now() - started, bytes: saved.bytes };
      this.log.info(
        `Saved the memory (${(saved.bytes / 1e6).toFixed(1)} MB: copied in ${copyMs.toFixed(0)} ms, encoded in the worker in ${saved.encodeMs.toFixed(0)} ms, written in ${saved.writeMs.toFixed(0)} ms)`,
      );
    })();
    try {
      await this.savePromise;
    } catch (error) {
      this.dirty = true;
      throw error;
    } finally {
      this.savePromise = undefined;
    }
  }

  /** One queued job: the manifest and both memories as they are at one moment, so they agree. */
  private *copyForSave(local: SnapshotCopier, team: SnapshotCopier): Generator<void, Manifest> {
    const manifest: Manifest = {
      ...this.manifest,
      files: { ...this.manifest.files },
      skipped: { ...this.manifest.skipped },
      forgottenFiles: [...this.forgottenFiles],
      forgottenWords: [...this.forgottenWords],
    };
    yield* copyBoth(local, team);
    return manifest;
  }

  flushEvents(): void {
    this.changeThrottle.flush();
    this.deltaThrottle.flush();
  }

  private flushDelta(): void {
    if (this.pendingDelta.length === 0) return;
    const entries = this.pendingDelta;
    this.pendingDelta = [];
    this.localChanged.fire({ entries });
  }

  dispose(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.changeThrottle.dispose();
    this.deltaThrottle.dispose();
    this.memoryChanged.dispose();
    this.typed.dispose();
    this.localChanged.dispose();
    this.peersChanged.dispose();
    this.stateChanged.dispose();
    this.store.dispose();
  }
}

function* copyBoth(local: SnapshotCopier, team: SnapshotCopier): Generator<void, void> {
  while (!local.step()) yield;
  while (!team.step()) yield;
}
