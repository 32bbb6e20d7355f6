// Typed access to the extension's settings (package.json `contributes.configuration`).
import * as os from 'node:os';
import * as vscode from 'vscode';
import { DEFAULT_EXCLUDES, DEFAULT_MAX_FILE_BYTES } from '../workspace/fileFilter';

export const SECTION = 'lightNetwork';

export interface TrainingSettings {
  trainOnStartup: boolean;
  exclude: string[];
  maxFileBytes: number;
  workers: number;
}

export interface CompletionSettings {
  inlineEnabled: boolean;
  suggestEnabled: boolean;
  minConfidence: number;
  maxWords: number;
  alternatives: number;
}

export function trainingSettings(): TrainingSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const kb = config.get<number>('training.maxFileSizeKB', DEFAULT_MAX_FILE_BYTES / 1024);
  return {
    trainOnStartup: config.get<boolean>('training.onStartup', true),
    exclude: config.get<string[]>('exclude', DEFAULT_EXCLUDES),
    maxFileBytes: Math.max(1, kb) * 1024,
    workers: Math.max(1, Math.min(8, config.get<number>('training.workers', 1))),
  };
}

/** Settings for one language: `enabled` and the others may be overridden per language. */
export function completionSettings(languageId?: string): CompletionSettings {
  const config = vscode.workspace.getConfiguration(SECTION, languageId ? { languageId } : undefined);
  return {
    inlineEnabled: config.get<boolean>('completions.inline', true),
    suggestEnabled: config.get<boolean>('completions.suggestList', true),
    minConfidence: clamp(config.get<number>('completions.minConfidence', 0.3), 0, 1),
    maxWords: Math.round(clamp(config.get<number>('completions.maxWords', 6), 1, 32)),
    alternatives: Math.round(clamp(config.get<number>('completions.alternatives', 3), 0, 10)),
  };
}

/** Globs of `files.exclude` that are switched on, for one workspace folder. */
export function filesExcludeGlobs(folder?: vscode.Uri): string[] {
  const map = vscode.workspace.getConfiguration('files', folder).get<Record<string, unknown>>('exclude', {});
  return Object.entries(map)
    .filter(([, on]) => on === true)
    .map(([glob]) => glob);
}

/** Bytes of memory the local memory takes per learned token (index, overlay margin), for the budget. */
export const BYTES_PER_TOKEN = 12;
/** Bytes of source text per token, to estimate a file's tokens before reading it. */
export const BYTES_PER_SOURCE_TOKEN = 4;

/**
 * The local memory's budget in bytes: the setting in MB, or by default an eighth of the machine's
 * memory between 256 MB and 2 GB (a 1 GB workspace of code is about 250M tokens: 3 GB).
 */
export function memoryBudgetBytes(): number {
  const mb = vscode.workspace.getConfiguration(SECTION).get<number>('memory.budgetMB', 0);
  if (mb > 0) return Math.max(1024, mb * 1024 * 1024);
  return Math.min(2048 * 1024 * 1024, Math.max(256 * 1024 * 1024, os.totalmem() / 8));
}

function clamp(value: number, low: number, high: number): number {
  return Number.isFinite(value) ? Math.min(high, Math.max(low, value)) : low;
}
