// The status bar item: memory size, training progress and paused state; a click opens the menu.
// Its accessible label starts with "Light Network ready" / "Light Network training" (UI tests rely on it).
import * as vscode from 'vscode';
import { Throttle } from '../core/events';
import type { LightNetworkCore } from '../core/lightNetworkCore';
import { COMMANDS } from './commandIds';

export function createStatusBar(core: LightNetworkCore): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('lightNetwork.status', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Light Network';
  item.command = COMMANDS.showMenu;
  // A phase (loading, training, ready) is drawn as soon as it starts and stays at least this long, so a
  // training of a few milliseconds is still seen; counts within a phase are throttled.
  const MIN_PHASE_MS = 400;
  let shownPhase: string | undefined;
  let shownAt = 0;
  let phaseTimer: NodeJS.Timeout | undefined;
  const render = (): void => {
    if (core.phase !== shownPhase) {
      const wait = shownAt + MIN_PHASE_MS - Date.now();
      if (wait > 0) {
        phaseTimer ??= setTimeout(() => {
          phaseTimer = undefined;
          render();
        }, wait);
        return;
      }
      shownPhase = core.phase;
      shownAt = Date.now();
    }
    const stats = core.local.stats();
    const size = `${compact(stats.ngrams)} n-grams`;
    const files = `${core.learner.fileCount} files`;
    let label: string;
    if (core.phase === 'loading') {
      item.text = '$(loading~spin) Light';
      label = 'Light Network loading the saved memory';
    } else if (core.phase === 'training') {
      const t = core.training;
      item.text = `$(sync~spin) Light ${t && t.total > 0 ? `${t.done}/${t.total}` : ''}`.trimEnd();
      label = `Light Network training, ${t ? `${t.done} of ${t.total} files` : 'listing files'}`;
    } else {
      item.text = core.paused ? `$(debug-pause) Light ${compact(stats.ngrams)}` : `$(lightbulb) Light ${compact(stats.ngrams)}`;
      label = `Light Network ready${core.paused ? ', suggestions paused' : ''}, ${size} from ${files}`;
    }
    item.accessibilityInformation = { label, role: 'button' };
    item.tooltip = new vscode.MarkdownString(
      `**${label}**\n\n${formatCount(stats.tokens)} tokens · ${formatCount(stats.vocabulary)} words · ` +
        `${(stats.bytes / 1048576).toFixed(1)} MiB\n\nClick for the Light Network menu.`,
    );
  };
  const throttle = new Throttle<void>(200, render);
  render();
  item.show();
  const subscription = core.onDidChangeState(() => (core.phase !== shownPhase ? render() : throttle.push()));
  const stopTimer = { dispose: () => clearTimeout(phaseTimer) };
  return vscode.Disposable.from(item, subscription, throttle, stopTimer);
}

export function compact(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1e6) return `${(n / 1e3).toFixed(n < 1e4 ? 1 : 0)}k`;
  return `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0)}M`;
}

/** 1234567 -> "1 234 567" (toLocaleString would load locale data during activation). */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}
