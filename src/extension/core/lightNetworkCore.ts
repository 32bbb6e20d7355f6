// The host's core: the local and team memories, the completion path over both, the change events
// features listen to, the serial queue every local change goes through, and persistence. It owns
// the manifest (workspaceManifest.ts) and the phase (hostPhase.ts) and implements the interfaces of
// services.ts, through which every other part of the extension uses it.
//
// The local memory is a live memory (memory/liveMemory.ts): an immutable index built by the memory
// file worker plus the changes made since. Saving folds those changes into a new index in the worker
// (a rebuild) and writes it; a training of many files is one rebuild too (see WorkspaceTrainer).
//
// The team memory (share/teamMemory.ts) is collaborators' text as documents `writer/key` of a
// second live memory, whose indexes the same worker builds (teamIndexBuild.ts). It is not saved in
// the memory file: the share feature rebuilds it from the saved team log at start.
import * as vscode from 'vscode';
import { LiveMemory } from '../../memory/liveMemory';
import type { PreparedIndex } from '../../memory/liveMemory';
import { fileKeyOfDocument } from '../../workspace/chunks';
import { LocalRebuilds, type RebuildOptions, type RebuildReport } from './localRebuilds';
import { Predictor } from '../../memory/predictor';
import type { CompleteOptions, CompletionResult, DeltaBatch, NgramDelta, Prediction } from '../../memory/types';
import { TeamMemory } from '../../share/teamMemory';
import { workerIndexBuild } from './teamIndexBuild';
import type { LightNetworkPhase, LightNetworkStatus } from '../api';
import type {
  CompletionServices,
  JobQueue,
  LearningServices,
  LightNetworkServices,
  MemoryChange,
  MemoryChangeSource,
  MemoryFull,
  PeerPresence,
  StatusServices,
  TypingEvent,
} from '../services';
import { MemoryStore, type LoadResult } from '../store/memoryStore';
import type { Manifest } from '../../persistence/savedMemory';
import { filterCompletion, filterPredictions } from '../../workspace/completionFilter';
import { isForgettableWord, MAX_WORD_LENGTH } from '../../protocol/forgettableWord';
import { ListenedEmitter, Throttle } from './events';
import { Learner } from '../../workspace/learner';
import { SliceScheduler } from '../../threads/sliceScheduler';
import { HostPhase, type TrainingProgress } from './hostPhase';
import { WorkspaceManifest, type FileRecord, type ForgottenRecord } from './workspaceManifest';

// Saving rebuilds the local index in the worker when the memory changed (seconds of a worker's time
// for millions of tokens), so it happens at quiet moments: a small memory two seconds after a
// change, a big one a minute after one. Nothing is lost by waiting: at start the catch-up re-reads
// every file whose fingerprint in the manifest differs.
const SMALL_MEMORY_BYTES = 16 * 1024 * 1024;
const SAVE_DELAY_SMALL_MS = 2_000;
const SAVE_DELAY_LARGE_MS = 60_000;
/**
 * Changed n-grams the overlay holds before they are folded into a new index (some 20-30 MB: about
 * 90 bytes a node). Its node table doubles as it fills, rehashing whole inside one edit (measured at
 * 50M tokens: 6 ms at 65k nodes, 14 ms at 131k, 32 ms at 262k), so it is folded before it grows much
 * past that.
 */
const MAX_OVERLAY_ENTRIES = 200_000;
/** How long after the last change the overlay grows when it is close to full. */
const ROOM_DELAY_MS = 1_000;

export class LightNetworkCore implements LightNetworkServices, CompletionServices, StatusServices, LearningServices, vscode.Disposable {
  private localMemory = newLocalMemory();
  /** The sections of the local memory's index as the worker built or read them (what a save writes). */
  private localSections: Uint8Array[] | undefined;
  private readonly teamMemory: TeamMemory;
  private predictor: Predictor;
  /** Stops watching the local memory's documents (it is replaced when a saved memory loads). */
  private unwatchLocal: () => void = () => {};

  private readonly scheduler = new SliceScheduler(4);
  readonly learner: Learner;
  readonly store: MemoryStore;
  private readonly rebuilds: LocalRebuilds;
  private readonly manifest = new WorkspaceManifest();

  /** How the saved memory was last loaded and saved (see persistence()). */
  private loadMs: number | undefined;
  private loadInstallMs: number | undefined;
  private loadError: string | undefined;
  private lastSave: { copyMs: number; encodeMs: number; ms: number; bytes: number; rebuildMs: number } | undefined;
  /** Set when the last training left files out to stay within the memory budget. */
  private full: MemoryFull | undefined;

  private readonly memoryChanged = new ListenedEmitter<MemoryChange>();
  private readonly typed = new ListenedEmitter<TypingEvent>();
  private readonly localChanged = new ListenedEmitter<DeltaBatch>();
  private readonly localDocumentsChanged = new ListenedEmitter<readonly string[]>();
  private readonly peersChanged = new ListenedEmitter<PeerPresence[]>();
  private readonly stateChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeMemory = this.memoryChanged.event;
  readonly onDidType = this.typed.event;
  readonly onDidChangeLocal = this.localChanged.event;
  readonly onDidChangeLocalDocuments = this.localDocumentsChanged.event;
  readonly onDidChangePeers = this.peersChanged.event;
  /** Phase, progress, pause or size changed (for the status bar). */
  readonly onDidChangeState = this.stateChanged.event;
  private readonly hostPhase = new HostPhase(() => this.stateChanged.fire());

  private readonly changeThrottle = new Throttle<MemoryChangeSource>(250, (source) => this.memoryChanged.fire({ source }));
  private pendingDelta: NgramDelta[] = [];
  private readonly deltaThrottle = new Throttle<true>(100, () => this.flushDelta());
  private saveTimer: NodeJS.Timeout | undefined;
  /** Grows the overlay once typing pauses (see markChanged). */
  private roomTimer: NodeJS.Timeout | undefined;
  private saveFailureShown = false;
  private dirty = false;
  private savePromise: Promise<void> | undefined;
  /** Whose text holds a team n-gram, from the share feature (services.setTeamContributors). */
  private teamContributorsOf: ((ngram: readonly string[]) => string[]) | undefined;

  constructor(
    readonly context: vscode.ExtensionContext,
    readonly log: vscode.LogOutputChannel,
  ) {
    this.store = MemoryStore.forContext(context);
    // Collaborators' text arrives in bulk (a joining peer's whole memory): its indexes are built in
    // the memory file worker, never on this thread.
    this.teamMemory = new TeamMemory({
      order: this.localMemory.order,
      build: workerIndexBuild(this.store, this.scheduler),
      onChanged: () => this.teamChanged(),
      // Its changes stay queued and go with the next build: said, not shown (nothing is lost).
      onError: (error) => this.log.warn(`Building the team memory's index failed (${error.message}); it is tried again`),
      // Forgotten here means never learned again, from collaborators either.
      withheld: (word) => this.forgottenWords.has(word),
    });
    this.predictor = new Predictor([this.localMemory, this.teamMemory.live]);
    this.watchLocal();
    this.rebuilds = new LocalRebuilds(
      this.store,
      this.scheduler,
      () => this.localMemory,
      (memory, sections) => {
        if (memory === this.localMemory) this.localSections = sections;
      },
    );
    this.learner = new Learner({
      memory: () => this.localMemory,
      wantsDeltas: () => this.localChanged.hasListeners,
      onDelta: (entries) => {
        for (const entry of entries) this.pendingDelta.push(entry);
        this.deltaThrottle.push(true);
      },
    });
  }

  get local(): LiveMemory {
    return this.localMemory;
  }

  get team(): TeamMemory {
    return this.teamMemory;
  }

  get queue(): JobQueue {
    return this.scheduler;
  }

  get fileRecord(): FileRecord {
    return this.manifest.fileRecord;
  }

  get forgotten(): ForgottenRecord {
    return this.manifest;
  }

  get forgottenWords(): ReadonlySet<string> {
    return this.manifest.words;
  }

  get phase(): LightNetworkPhase {
    return this.hostPhase.phase;
  }

  get training(): TrainingProgress | undefined {
    return this.hostPhase.training;
  }

  /** How the saved memory was last loaded and saved, for the API's status. */
  persistence(): Pick<LightNetworkStatus, 'loadMs' | 'loadInstallMs' | 'loadError' | 'lastSave'> {
    return { loadMs: this.loadMs, loadInstallMs: this.loadInstallMs, loadError: this.loadError, lastSave: this.lastSave };
  }

  get fileCount(): number {
    return this.learner.fileCount;
  }

  get storageFile(): string {
    return this.store.file;
  }

  get memoryFull(): MemoryFull | undefined {
    return this.full;
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
    if (this.localMemory.wantsRoom && !this.roomTimer) {
      // Once typing pauses, so that no keystroke waits for it.
      this.roomTimer = setTimeout(() => {
        this.roomTimer = undefined;
        this.localMemory.makeRoom();
      }, ROOM_DELAY_MS);
    } else if (this.roomTimer) {
      this.roomTimer.refresh();
    }
    this.changeThrottle.push(source);
    this.stateChanged.fire();
    this.dirty = true;
    if (this.isSmall() || (source !== 'edit' && source !== 'file')) this.scheduleSave();
    // A burst of changes (a checkout of another branch) is folded into the index at once rather than
    // held as n-gram changes (each costs the overlay about 90 bytes a node).
    if (this.localMemory.overlaySize > MAX_OVERLAY_ENTRIES && !this.rebuilds.busy && !this.savePromise) {
      void this.saveNow().catch((error) => this.saveFailed(error));
    }
  }

  /** Whether a save is cheap (the team memory is not saved: only the local one counts). */
  private isSmall(): boolean {
    return this.localMemory.bytes < SMALL_MEMORY_BYTES;
  }

  /** The team memory changed (collaborators' text came or went): features are told; nothing is saved. */
  private teamChanged(): void {
    this.changeThrottle.push('team');
    this.stateChanged.fire();
  }

  /** Tells listeners which local documents changed, from now on for the local memory in use. */
  private watchLocal(): void {
    this.unwatchLocal();
    this.unwatchLocal = this.localMemory.watchDocuments((ids) => {
      if (this.localDocumentsChanged.hasListeners) this.localDocumentsChanged.fire(ids);
    });
  }

  setPhase(phase: LightNetworkPhase, training?: TrainingProgress): void {
    this.hostPhase.set(phase, training);
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

  teamContributors(ngram: readonly string[]): string[] {
    return this.teamContributorsOf?.(ngram) ?? [];
  }

  setTeamContributors(source: ((ngram: readonly string[]) => string[]) | undefined): void {
    this.teamContributorsOf = source;
  }

  clearTeam(): void {
    this.teamMemory.clear(); // it tells (onChanged)
  }

  /** Forgets one word (see isForgettableWord); anything else is refused with an error. */
  async forgetWord(word: string): Promise<void> {
    if (!isForgettableWord(word)) throw new Error(`only a single word of at most ${MAX_WORD_LENGTH} characters can be forgotten`);
    this.manifest.forgetWord(word);
    // As a job of the queue (no learning half done around it); a failure rejects.
    await this.scheduler.runSteps(
      (function* (core: LightNetworkCore) {
        const delta = core.localMemory.forgetWord(word);
        core.teamMemory.forgetWord(word);
        if (delta.entries.length > 0 && core.localChanged.hasListeners) core.localChanged.fire(delta);
      })(this),
    );
    this.markChanged('forget');
    await this.saveNow(); // forgetting must survive a crash: the old saved memory still holds it
  }

  /** Removes a file's contribution and never learns it again in this workspace. */
  async forgetFile(key: string): Promise<void> {
    this.manifest.forgetFile(key);
    await this.scheduler.runSteps(
      (function* (learner: Learner) {
        learner.removeFile(key);
      })(this.learner),
    );
    this.markChanged('forget');
    await this.saveNow(); // forgetting must survive a crash: the old saved memory still holds it
  }

  /** Empties the local memory (the team layer is the share session's business) and saves that. */
  async reset(): Promise<void> {
    await this.rebuilds.idle();
    await this.scheduler.whenIdle();
    this.localMemory.clear();
    this.localSections = undefined;
    this.learner.clear();
    this.manifest.reset();
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
      this.localMemory = newLocalMemory(saved.local);
      this.localSections = saved.localSections;
      this.predictor = new Predictor([this.localMemory, this.teamMemory.live]);
      this.watchLocal();
      this.manifest.load(saved.manifest);
      if (result.converted) {
        this.log.info('Converted the memory saved by the previous version to the indexed memory; it is saved in the new format');
        this.dirty = true;
        this.scheduleSave();
      }
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
        void this.saveNow().catch((error) => this.saveFailed(error));
      },
      this.isSmall() ? SAVE_DELAY_SMALL_MS : SAVE_DELAY_LARGE_MS,
    );
  }

  /**
   * A save failed (a full disk, a folder in the file's place…): the memory is intact here and the
   * file on disk is the previous one (nothing half-written is kept). Says so once until a save
   * succeeds, and tries again later.
   */
  private saveFailed(error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    this.log.error(`Saving the memory failed: ${reason}`);
    if (!this.saveFailureShown) {
      this.saveFailureShown = true;
      void vscode.window.showWarningMessage(
        `Light Network could not save its memory (${reason}). It is kept in memory and saved again in a minute; the saved file is the previous one.`,
      );
    }
    this.dirty = true;
    if (!this.saveTimer) {
      this.saveTimer = setTimeout(() => {
        this.saveTimer = undefined;
        void this.saveNow().catch((again) => this.saveFailed(again));
      }, SAVE_DELAY_LARGE_MS);
    }
  }

  get needsSave(): boolean {
    return this.dirty || this.saveTimer !== undefined;
  }

  /**
   * Saves the local memory. Changed since its index was built, it is rebuilt in the worker first
   * (the changes folded into a new index, which the file then holds); otherwise the index's
   * sections are written as they are. Either way the host is never held for more than a step.
   */
  async saveNow(): Promise<void> {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (this.savePromise) await this.savePromise.catch(() => undefined); // its caller reports its failure
    this.dirty = false;
    const started = performance.now();
    this.savePromise = (async () => {
      let rebuilt: RebuildReport | undefined;
      let saved;
      if (this.localMemory.changedSinceIndex || !this.localSections) {
        rebuilt = await this.rebuilds.run({ save: this.saveTarget() });
        saved = rebuilt.saved;
        // Changes made while it was rebuilt are in the live memory, not yet in the file.
        if (this.localMemory.changedSinceIndex) this.dirty = true;
      } else {
        const manifest = this.manifestCopy();
        const sections = this.localSections;
        saved = await this.store.save(manifest, sections);
      }
      if (!saved) return;
      this.saveFailureShown = false;
      const ms = performance.now() - started;
      this.lastSave = { copyMs: ms - saved.encodeMs - saved.writeMs - (rebuilt?.buildMs ?? 0), encodeMs: saved.encodeMs, ms, bytes: saved.bytes, rebuildMs: rebuilt?.buildMs ?? 0 };
      this.log.info(
        `Saved the memory (${(saved.bytes / 1e6).toFixed(1)} MB${rebuilt ? `, its index rebuilt in the worker in ${rebuilt.buildMs.toFixed(0)} ms` : ''}: ` +
          `encoded in ${saved.encodeMs.toFixed(0)} ms, written in ${saved.writeMs.toFixed(0)} ms, ${ms.toFixed(0)} ms in all)`,
      );
      if (this.dirty) this.scheduleSave();
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

  /** Rebuilds the local memory's index in the worker (after any rebuild under way). */
  rebuild(options: RebuildOptions): Promise<RebuildReport> {
    return this.rebuilds.run(options);
  }

  /** What a rebuild saves with its index (see LocalRebuilds): the manifest. */
  saveTarget(): RebuildOptions['save'] {
    return { manifest: () => this.manifestCopy() };
  }

  /** A rebuild saved the memory (a training's): nothing to save unless it changed since. */
  noteSaved(report: RebuildReport): void {
    if (!report.saved) return;
    this.lastSave = { copyMs: 0, encodeMs: report.saved.encodeMs, ms: report.ms, bytes: report.saved.bytes, rebuildMs: report.buildMs };
    if (!this.localMemory.changedSinceIndex) {
      this.dirty = false;
      if (this.saveTimer) clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
    }
  }

  setMemoryFull(full: MemoryFull | undefined): void {
    this.full = full;
    this.stateChanged.fire();
  }

  /** The manifest as it is now (what the index holds at this moment of the queue). */
  private manifestCopy(): Manifest {
    return this.manifest.toManifest();
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
    if (this.roomTimer) clearTimeout(this.roomTimer);
    this.changeThrottle.dispose();
    this.deltaThrottle.dispose();
    this.memoryChanged.dispose();
    this.typed.dispose();
    this.localChanged.dispose();
    this.unwatchLocal();
    this.localDocumentsChanged.dispose();
    this.peersChanged.dispose();
    this.stateChanged.dispose();
    this.store.dispose();
  }
}

function newLocalMemory(base?: PreparedIndex): LiveMemory {
  return new LiveMemory(base, { groupOf: fileKeyOfDocument });
}
