// "Show Memory Statistics": a read-only Markdown document describing the memory, refreshed on change.
import * as vscode from 'vscode';
import type { MemoryStats } from '../../memory/types';
import type { StatusServices } from '../services';
import type { WorkspaceTrainer } from '../training/workspaceTrainer';

export const STATISTICS_URI = vscode.Uri.parse('light-network:/Light Network Statistics.md');

export class StatisticsDocument implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly core: StatusServices,
    private readonly trainer: WorkspaceTrainer,
  ) {
    this.subscription = core.onDidChangeMemory(() => this.changed.fire(STATISTICS_URI));
  }

  provideTextDocumentContent(): string {
    const core = this.core;
    const local = core.local.stats();
    const team = core.team.stats();
    const lines = [
      '# Light Network memory',
      '',
      `Saved at: \`${core.storageFile}\``,
      `Files learned: ${core.fileCount}${core.paused ? ' · suggestions paused' : ''}`,
      '',
      '## Local memory (this workspace)',
      ...describe(local),
      `Changes since its index was built: ${core.local.overlaySize} n-grams (folded into the index when the memory is saved).`,
      ...(core.memoryFull
        ? [
            '',
            `**Memory budget reached** (${(core.memoryFull.budgetBytes / 1048576).toFixed(0)} MiB, setting \`lightNetwork.memory.budgetMB\`): ` +
              `${core.memoryFull.files} files, the least recently changed, are not learned.`,
          ]
        : []),
      '',
      '## Team memory (collaborators\' text, shared sessions)',
      ...describe(team),
      ...(core.team.pending.documents > 0 ? [`- ${core.team.pending.documents.toLocaleString()} documents arriving (being indexed)`] : []),
      'Not saved in the memory file: rebuilt from the saved team log when Light Network starts.',
      '',
      '## Most frequent words',
      core.local
        .topWords(30)
        .map((w) => `\`${w.word}\` ${w.count}`)
        .join(' · ') || '(none yet)',
    ];
    const report = this.trainer.lastReport;
    if (report) {
      lines.push(
        '',
        '## Last training',
        `${report.mode}${report.cancelled ? ' (cancelled)' : ''}: ${report.filesLearned} files learned, ${report.filesSkipped} skipped, ` +
          `${report.filesRemoved} removed, ${report.secretsRedacted} secrets blanked, ${(report.ms / 1000).toFixed(1)} s, ` +
          `longest event-loop stall ${report.maxStallMs.toFixed(1)} ms.`,
      );
    }
    const { files, words } = core.forgotten;
    if (files.size > 0 || words.size > 0) {
      lines.push('', '## Forgotten', `${files.size} files, ${words.size} words are never learned again.`);
    }
    return `${lines.join('\n')}\n`;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function describe(stats: MemoryStats): string[] {
  const perNgram = stats.ngrams > 0 ? (stats.bytes / stats.ngrams).toFixed(1) : '–';
  return [
    `- order ${stats.order}, ${stats.documents} documents (file chunks)`,
    `- ${stats.tokens.toLocaleString()} tokens, ${stats.vocabulary.toLocaleString()} distinct words`,
    `- ${stats.ngrams.toLocaleString()} n-grams (by order: ${stats.ngramsByOrder.join(' / ')})`,
    `- ${(stats.bytes / 1048576).toFixed(2)} MiB of count tables, ${perNgram} bytes per n-gram`,
  ];
}
