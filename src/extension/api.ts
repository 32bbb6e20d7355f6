// What `activate()` returns (other extensions get it through `extension.exports`): the few calls
// another extension needs (completions, the memory's events and state, training, forgetting a
// word), and `testing`, the seam through which this extension's own tests and bench reach its
// insides (the memories, the providers, a restart). Nothing else should use the seam: it follows
// the code, without notice.
import type * as vscode from 'vscode';
import type { CompleteOptions, CompletionResult, MemoryStats, Prediction } from '../memory/types';
import type { LightNetworkServices, MemoryChange, TypingEvent } from './services';
import type { LightNetworkPhase } from './core/hostPhase';

export type { LightNetworkPhase };

export interface TrainingReport {
  /** 'incremental' learns only files changed since they were learned; 'full' re-reads every file. */
  mode: 'full' | 'incremental';
  filesSeen: number;
  /** Files read from disk and prepared by the workers (learned or skipped). */
  filesRead: number;
  filesLearned: number;
  filesSkipped: number;
  filesRemoved: number;
  /** Characters of text learned in this run. */
  bytes: number;
  /** Files left out because the workspace is larger than the memory budget. */
  filesOverBudget: number;
  /** Tokens the local memory holds afterwards. */
  tokens: number;
  secretsRedacted: number;
  cancelled: boolean;
  /** Wall time (ms). The memory is saved afterwards, at a quiet moment (see lastSave). */
  ms: number;
  /** Time the host spent applying prepared files to the memory, in jobs (ms). */
  applyMs: number;
  /** Sum of the workers' round trips for the batches (ms; batches overlap). */
  prepareMs: number;
  /** Longest event-loop stall of the extension host while training (ms). */
  maxStallMs: number;
  /** Longest single memory job applied on the host's thread (ms). */
  longestJobMs: number;
  /** Longest run of queued jobs between two turns of the event loop. */
  longestSliceMs: number;
  longestJobLabel?: string;
}

export interface LightNetworkStatus {
  phase: LightNetworkPhase;
  paused: boolean;
  training?: { done: number; total: number };
  files: number;
  stats: MemoryStats;
  lastTraining?: TrainingReport;
  /** Time activate() took (ms), and how it was spent. */
  activationMs: number;
  activationPhases: Record<string, number>;
  /**
   * The last save, in ms, and the file's size: copyMs copying the memories on the host in short
   * steps, encodeMs encoding them in the memory file worker, ms the whole save.
   */
  lastSave?: { copyMs: number; encodeMs: number; ms: number; bytes: number };
  /** Time to read and decode the saved memory at start (ms), when one was loaded. */
  loadMs?: number;
  /** The part of loadMs spent on the host's thread (installing what the worker read). */
  loadInstallMs?: number;
  /** Why the saved memory was rejected at start, when it was. */
  loadError?: string;
}

export interface LightNetworkApi {
  /** How the text before a cursor continues, as the ghost text would show it (local and team memories). */
  complete(textBeforeCursor: string, options?: CompleteOptions): CompletionResult;
  /** Ranked next tokens after a context. */
  predictNext(context: string[], k: number): Prediction[];
  /** Fires, throttled, whenever the memory changed. */
  readonly onDidChangeMemory: vscode.Event<MemoryChange>;
  /** Fires as the user types: the word at the cursor and what the memory expects next. */
  readonly onDidType: vscode.Event<TypingEvent>;
  status(): LightNetworkStatus;
  /** Resolves when loading, training and pending updates are done and the memory is saved. */
  whenIdle(): Promise<void>;
  /** Trains on the workspace ('full' re-reads every file); resolves with the report. */
  train(mode?: 'full' | 'incremental'): Promise<TrainingReport>;
  /** Removes a word from every memory and from future learning in this workspace. */
  forgetWord(word: string): Promise<void>;
  /** For this extension's tests and bench only (see the header). */
  readonly testing: LightNetworkTestSeam;
}

/** The extension's insides as its own tests and bench reach them (see the header). */
export interface LightNetworkTestSeam extends LightNetworkServices, Omit<LightNetworkApi, 'testing' | 'complete'> {
  cancelTraining(): void;
  /** Keys (workspace-relative paths) of the files the local memory holds. */
  learnedFiles(): string[];
  /** The file the memory is saved to. */
  readonly storageFile: string;
  /** Loads the saved memory again exactly as at start-up (warning and retraining if it is unreadable). */
  restart(): Promise<void>;
  /** The registered completion providers, so in-host tests can query them on real documents. */
  readonly providers: {
    inline: vscode.InlineCompletionItemProvider;
    suggest: vscode.CompletionItemProvider;
  };
}
