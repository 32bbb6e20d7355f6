// What the extension host's core offers to the rest of the extension, as narrow interfaces: the
// features (light panel, share session, tests) get `LightNetworkServices`, the completion providers
// `CompletionServices`, the status bar, statistics and commands `StatusServices`, training and live
// updates `LearningServices`. extension.ts builds the one core and hands each part its interface,
// so nothing but extension.ts depends on the concrete core, and features never reach into each
// other's internals.
import type * as vscode from 'vscode';
import type { LiveMemory } from '../memory/liveMemory';
import type { TeamMemory } from '../share/teamMemory';
import type { CompleteOptions, CompletionResult, DeltaBatch, Prediction } from '../memory/types';
import type { MemoryChangeSource, PeerPresence } from '../protocol/lightMessages';
import type { Learner } from '../workspace/learner';
import type { LightNetworkPhase, TrainingProgress } from './core/hostPhase';
import type { RebuildOptions, RebuildReport } from './core/localRebuilds';
import type { JobMeasurement, Job } from '../threads/sliceScheduler';
import type { FileRecord, ForgottenRecord } from './core/workspaceManifest';

export type { MemoryChangeSource, PeerPresence };

export interface MemoryChange {
  source: MemoryChangeSource;
}

/** The user typed in an editor: the word at the cursor and what the memory expects next. */
export interface TypingEvent {
  /** The word (token) just typed or being typed at the cursor. */
  word: string;
  /** The tokens before the cursor on which predictions were made (most recent last). */
  context: string[];
  /** The same predictions the ghost text is built from, best first. */
  predictions: Prediction[];
}

export interface LightNetworkServices {
  readonly context: vscode.ExtensionContext;
  /** The memory learned from this workspace. Never changed by peers. */
  readonly local: LiveMemory;
  /**
   * The team memory: collaborators' text (documents `writer/key`), kept apart from `local`; its
   * `live` memory is what completions and counts read. Share sessions set and remove its documents.
   */
  readonly team: TeamMemory;
  /** Where diagnostics are written (the "Light Network" output channel). */
  readonly log: vscode.LogOutputChannel;

  /** The real completion path (local and team memories together), as the ghost text uses it.
   *  With `cacheKey` (the ghost text passes the document's URI) a recency cache of that document's
   *  text before the cursor is kept and followed incrementally. */
  complete(textBeforeCursor: string, options?: CompleteOptions & { cacheKey?: string }): CompletionResult;
  /** Ranked next tokens after a context, from local and team memories together. */
  predictNext(context: string[], k: number): Prediction[];

  /** Fires, throttled, whenever the local or team memory changed (source 'team' for the team memory). */
  readonly onDidChangeMemory: vscode.Event<MemoryChange>;
  /** Fires as the user types in any editor. */
  readonly onDidType: vscode.Event<TypingEvent>;
  /** Fires with each net change of the local memory (training, edits, file events, forgetting). */
  readonly onDidChangeLocal: vscode.Event<DeltaBatch>;
  /**
   * Fires with the ids of the local memory's documents (chunks of files) that were set, removed or
   * changed; `local.documentTokens(id)` says what each holds now (undefined: removed). What a share
   * session publishes.
   */
  readonly onDidChangeLocalDocuments: vscode.Event<readonly string[]>;

  /** Fires when a shared session's collaborators or their current words change. */
  readonly onDidChangePeers: vscode.Event<PeerPresence[]>;
  /** Called by the share session with the current collaborators (empty when not sharing). */
  setPeers(peers: PeerPresence[]): void;

  /** Empties the team memory (leaving a session without keeping it, or "forget team memory"). */
  clearTeam(): void;
  /** Which collaborators taught the team memory `ngram` (names as shown; empty when none or not known). */
  teamContributors(ngram: readonly string[]): string[];
  /** The share feature says whose text the team memory's n-grams come from (undefined: nobody knows). */
  setTeamContributors(source: ((ngram: readonly string[]) => string[]) | undefined): void;
  /** Removes a word from every memory and from future learning in this workspace. */
  forgetWord(word: string): Promise<void>;
  /** Words the user forgot in this workspace (a team memory rebuilt from a saved log forgets them again). */
  readonly forgottenWords: ReadonlySet<string>;
}

/** What the ghost text, the suggest list and the typing events use. */
export interface CompletionServices {
  readonly local: LiveMemory;
  readonly team: TeamMemory;
  /** Suggestions paused by the user (nothing is offered). */
  readonly paused: boolean;
  /** Words the user forgot: never offered. */
  readonly forgottenWords: ReadonlySet<string>;
  complete(textBeforeCursor: string, options?: CompleteOptions & { cacheKey?: string }): CompletionResult;
  predictNext(context: string[], k: number): Prediction[];
  /** Ranked next tokens that start with `prefix` (the suggest list), unsafe words removed. */
  rankWithPrefix(context: string[], k: number, prefix: string): Prediction[];
  teamContributors(ngram: readonly string[]): string[];
  /** True when someone listens to typing events (they cost a prediction each). */
  readonly wantsTyping: boolean;
  fireTyping(event: TypingEvent): void;
}

/** The memory's budget was reached: this many files were left out. */
export interface MemoryFull {
  files: number;
  budgetBytes: number;
}

/** What the status bar, the statistics document and the commands show and do. */
export interface StatusServices {
  readonly local: LiveMemory;
  readonly team: TeamMemory;
  readonly phase: LightNetworkPhase;
  readonly training: TrainingProgress | undefined;
  readonly paused: boolean;
  setPaused(paused: boolean): Promise<void>;
  /** Files the local memory holds. */
  readonly fileCount: number;
  /** The file the memory is saved to. */
  readonly storageFile: string;
  readonly memoryFull: MemoryFull | undefined;
  readonly forgotten: ForgottenRecord;
  /** Phase, progress, pause or size changed. */
  readonly onDidChangeState: vscode.Event<void>;
  readonly onDidChangeMemory: vscode.Event<MemoryChange>;
  /** Removes a file's contribution and never learns it again in this workspace. */
  forgetFile(key: string): Promise<void>;
  /** Empties the local memory and saves that. */
  reset(): Promise<void>;
}

/** The queue every change of the local memory goes through, in order, in short slices. */
export interface JobQueue {
  readonly pending: number;
  enqueue(job: Job, label?: string): void;
  whenIdle(): Promise<void>;
  /** Measures the jobs that run until the measurement is stopped (a training's report). */
  startMeasuring(): JobMeasurement;
}

/** What training and live updates use to change the local memory and record what they did. */
export interface LearningServices {
  readonly local: LiveMemory;
  readonly log: vscode.LogOutputChannel;
  readonly queue: JobQueue;
  /** Which documents (chunks) each learned file has in the local memory; plans replacing them. */
  readonly learner: Learner;
  /** Fingerprints of the files learned and skipped (only through its methods). */
  readonly fileRecord: FileRecord;
  readonly forgotten: ForgottenRecord;
  setPhase(phase: LightNetworkPhase, training?: TrainingProgress): void;
  setMemoryFull(full: MemoryFull | undefined): void;
  /** Tells features the memory changed (throttled) and schedules a save. */
  markChanged(source: MemoryChangeSource): void;
  scheduleSave(): void;
  /** Fires throttled events now. */
  flushEvents(): void;
  /** Rebuilds the local memory's index in the memory file worker (see LocalRebuilds). */
  rebuild(options: RebuildOptions): Promise<RebuildReport>;
  /** What a rebuild saves with its index: the manifest. */
  saveTarget(): RebuildOptions['save'];
  /** A rebuild saved the memory: nothing to save unless it changed since. */
  noteSaved(report: RebuildReport): void;
}
