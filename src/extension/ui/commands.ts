// The extension host's commands and the status bar menu that lists them.
import * as vscode from 'vscode';
import { ASK_COMMAND } from '../ask/askIds';
import { keyForUri } from '../core/documentKeys';
import type { StatusServices } from '../services';
import type { WorkspaceTrainer } from '../training/workspaceTrainer';
import { COMMANDS } from './commandIds';
import { registerCommandTable, type CommandHandlers } from './commandTable';
import { STATISTICS_URI, StatisticsDocument } from './statistics';

/** Options a command accepts when run programmatically (tests, other extensions). */
export interface ConfirmOptions {
  /** Skip the confirmation dialog. */
  confirmed?: boolean;
}

export function registerCommands(core: StatusServices, trainer: WorkspaceTrainer): vscode.Disposable[] {
  const statistics = new StatisticsDocument(core, trainer);
  const setPausedContext = (): Thenable<unknown> => vscode.commands.executeCommand('setContext', 'lightNetwork.paused', core.paused);
  void setPausedContext();
  const commands: CommandHandlers<typeof COMMANDS> = {
    [COMMANDS.train]: () => trainer.train('full'),
    [COMMANDS.cancelTraining]: () => trainer.cancel(),
    [COMMANDS.pause]: async () => {
      await core.setPaused(true);
      await setPausedContext();
    },
    [COMMANDS.resume]: async () => {
      await core.setPaused(false);
      await setPausedContext();
    },
    [COMMANDS.statistics]: async () => {
      const document = await vscode.workspace.openTextDocument(STATISTICS_URI);
      await vscode.window.showTextDocument(document, { preview: true });
    },
    [COMMANDS.forgetFile]: (uri?: vscode.Uri) => forgetFile(core, uri),
    [COMMANDS.reset]: (options?: ConfirmOptions) => resetMemory(core, trainer, options),
    [COMMANDS.settings]: () => vscode.commands.executeCommand('workbench.action.openSettings', '@ext:light-network.light-network'),
    [COMMANDS.showMenu]: () => showMenu(core),
  };
  return [statistics, vscode.workspace.registerTextDocumentContentProvider(STATISTICS_URI.scheme, statistics), ...registerCommandTable(commands)];
}

async function forgetFile(core: StatusServices, uri?: vscode.Uri): Promise<boolean> {
  const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
  const file = target && keyForUri(target);
  if (!file) {
    void vscode.window.showWarningMessage('Light Network: only files inside the workspace are learned, so there is nothing to forget here.');
    return false;
  }
  await core.forgetFile(file.key);
  void vscode.window.showInformationMessage(`Light Network forgot ${file.rel} and will not learn it again.`);
  return true;
}

async function resetMemory(core: StatusServices, trainer: WorkspaceTrainer, options?: ConfirmOptions): Promise<boolean> {
  let retrain = false;
  if (!options?.confirmed) {
    const choice = await vscode.window.showWarningMessage(
      'Reset the memory Light Network learned from this workspace?',
      { modal: true, detail: 'Everything learned from files and edits is removed. The team memory of shared sessions is kept.' },
      'Reset',
      'Reset and Learn Again',
    );
    if (!choice) return false;
    retrain = choice === 'Reset and Learn Again';
  }
  await trainer.exclusive(() => core.reset());
  if (retrain) void trainer.train('full');
  return true;
}

interface MenuItem extends vscode.QuickPickItem {
  command: string;
}

async function showMenu(core: StatusServices): Promise<void> {
  const stats = core.local.stats();
  const items: MenuItem[] = [
    core.paused
      ? { label: '$(play) Resume Suggestions', command: COMMANDS.resume }
      : { label: '$(debug-pause) Pause Suggestions', command: COMMANDS.pause },
    core.phase === 'training'
      ? { label: '$(stop) Cancel Training', command: COMMANDS.cancelTraining }
      : { label: '$(sync) Train on Workspace', command: COMMANDS.train },
    { label: '$(graph) Show Memory Statistics', description: `${stats.ngrams.toLocaleString()} n-grams`, command: COMMANDS.statistics },
    { label: '$(search) Ask the Memory…', command: ASK_COMMAND },
    { label: '$(eye-closed) Forget This File', command: COMMANDS.forgetFile },
    { label: '$(trash) Reset Memory…', command: COMMANDS.reset },
    { label: '$(settings-gear) Settings', command: COMMANDS.settings },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Light Network', placeHolder: 'Choose an action' });
  if (picked) await vscode.commands.executeCommand(picked.command);
}
