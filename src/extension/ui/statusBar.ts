// The status bar item: memory size, training progress and paused state; a click opens the menu.
// Its accessible label starts with "Light Network ready" / "Light Network training" (UI tests rely on it).
import * as vscode from 'vscode';
import { Throttle } from '../core/events';
import type { StatusServices } from '../services';
import { COMMANDS } from './commandIds';

type Phase = StatusServices['phase'];

export function createStatusBar(core: StatusServices): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('lightNetwork.status', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Light Network';
  item.command = COMMANDS.showMenu;
  // Each phase (loading, training, ready) is shown for at least MIN_PHASE_MS, in the order it came,
  // so even a training of a few milliseconds is seen; counts within a phase are throttled. A phase
  // not yet shown is dropped when a newer one arrives, except training, which is always shown.
  const MIN_PHASE_MS = 400;
  let shownPhase: Phase = core.phase;
  const queue: Phase[] = [];
  let holdTimer: NodeJS.Timeout | undefined;
  const pump = (): void => {
    if (holdTimer) return;
    const next = queue.shift();
    if (next === undefined) return;
    shownPhase = next;
    render();
    holdTimer = setTimeout(() => {
      holdTimer = undefined;
      pump();
    }, MIN_PHASE_MS);
  };
  const onChange = (): void => {
    const latest = queue.length > 0 ? queue[queue.length - 1] : shownPhase;
    if (core.phase === latest) return throttle.push();
    for (let i = queue.length - 1; i >= 0; i--) if (queue[i] !== 'training') queue.splice(i, 1);
    queue.push(core.phase);
    pump();
  };
  const render = (): void => {
    const phase = shownPhase;
    const stats = core.local.stats();
    const size = `${compact(stats.ngrams)} n-grams`;
    const files = `${core.fileCount} files`;
    let label: string;
    if (phase === 'loading') {
      item.text = '$(loading~spin) Light';
      label = 'Light Network loading the saved memory';
    } else if (phase === 'training') {
      const t = core.training;
      item.text = `$(sync~spin) Light ${t && t.total > 0 ? `${t.done}/${t.total}` : ''}`.trimEnd();
      label = `Light Network training, ${t ? `${t.done} of ${t.total} files` : 'listing files'}`;
    } else {
      const full = core.memoryFull ? ' $(database)' : '';
      item.text = core.paused ? `$(debug-pause) Light ${compact(stats.ngrams)}${full}` : `$(lightbulb) Light ${compact(stats.ngrams)}${full}`;
      label = `Light Network ready${core.paused ? ', suggestions paused' : ''}, ${size} from ${files}`;
      if (core.memoryFull) label += `; memory budget reached, ${core.memoryFull.files} files not learned`;
    }
    const budget = core.memoryFull
      ? `\n\nThe memory budget (${(core.memoryFull.budgetBytes / 1048576).toFixed(0)} MiB, setting \`lightNetwork.memory.budgetMB\`) is reached: ` +
        `${formatCount(core.memoryFull.files)} files, the least recently changed, are not learned.`
      : '';
    item.accessibilityInformation = { label, role: 'button' };
    item.tooltip = new vscode.MarkdownString(
      `**${label}**\n\n${formatCount(stats.tokens)} tokens · ${formatCount(stats.vocabulary)} words · ` +
        `${(stats.bytes / 1048576).toFixed(1)} MiB${budget}\n\nClick for the Light Network menu.`,
    );
  };
  // Counts refresh the phase on show, but not while a newer phase waits its turn: a held "ready"
  // must not show fresh counts as if the training under way were over.
  const throttle = new Throttle<void>(200, () => {
    if (queue.length === 0) render();
  });
  render();
  item.show();
  const subscription = core.onDidChangeState(onChange);
  const stopTimer = { dispose: () => clearTimeout(holdTimer) };
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
