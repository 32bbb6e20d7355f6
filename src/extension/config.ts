// Typed access to the extension's settings (package.json `contributes.configuration`), and the
// delivery of the reactions that settingReactions.ts assigns to some of them. Every value is read
// fresh where it is used, so a setting with no reaction takes effect the next time it is read.
import * as os from 'node:os';
import * as vscode from 'vscode';
import type { FieldSettings } from '../protocol/lightMessages';
import { DEFAULT_EXCLUDES, DEFAULT_MAX_FILE_BYTES } from '../workspace/fileFilter';
import { SETTING_REACTIONS, type SettingsReaction } from './settingReactions';

export { SETTING_REACTIONS, type SettingsReaction };

/** Calls `listener` whenever a setting that needs `reaction` changes. */
export function onSettingsChange(reaction: SettingsReaction, listener: () => void): vscode.Disposable {
  const settings: readonly string[] = SETTING_REACTIONS[reaction];
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (settings.some((setting) => e.affectsConfiguration(setting))) listener();
  });
}

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

const DEFAULT_NEURONS = 10_000;

/** The light panel's options (the protocol's FieldSettings): reduced motion and how many words it draws. */
export function lightFieldSettings(): FieldSettings {
  const reduceMotion = vscode.workspace.getConfiguration('workbench').get<string>('reduceMotion', 'auto');
  const neurons = vscode.workspace.getConfiguration(SECTION).get<number>('lightField.neurons', DEFAULT_NEURONS);
  return {
    reduceMotion: reduceMotion === 'on' || reduceMotion === 'off' ? reduceMotion : 'auto',
    neuronLimit: Number.isFinite(neurons) ? Math.max(100, Math.min(500_000, Math.floor(neurons))) : DEFAULT_NEURONS,
  };
}
