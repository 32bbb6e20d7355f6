// What `activate()` returns: the services every feature uses, plus what tests and the bench need
// to observe the extension (other extensions get it through `extension.exports`).
import type * as vscode from 'vscode';
import type { MemoryStats } from '../memory/types';
import type { LightNetworkServices } from './services';

export type LightNetworkPhase = 'loading' | 'training' | 'ready';

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
  /** Longest single memory job applied on the host thread (ms). */
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
  /** The last save: encoding (on the host thread) and the whole save, in ms, and the file size. */
  /** copyMs: copying the memories on the host in short steps; encodeMs: encoding them in the worker. */
  lastSave?: { copyMs: number; encodeMs: number; ms: number; bytes: number };
  /** Time to read and decode the saved memory at start (ms), when one was loaded. */
  loadMs?: number;
  /** The part of loadMs spent on the host's thread (installing what the worker read). */
  loadInstallMs?: number;
  /** Why the saved memory was rejected at start, when it was. */
  loadError?: string;
}

export interface LightNetworkApi extends LightNetworkServices {
  /** Resolves when loading, training and pending updates are done and the memory is saved. */
  whenIdle(): Promise<void>;
  status(): LightNetworkStatus;
  /** Trains on the workspace ('full' re-reads every file); resolves with the report. */
  train(mode?: 'full' | 'incremental'): Promise<TrainingReport>;
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
