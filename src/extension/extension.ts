// Activation: build the core, wire the providers, commands, status bar and features, and return
// the API. Activation stays light: the saved memory is loaded, and the workspace learned, after
// activate() has returned; heavy modules (sharing) load only when used.
import * as vscode from 'vscode';
import type { LightNetworkApi, LightNetworkStatus, LightNetworkTestSeam } from './api';
import { LightInlineProvider } from './completion/inlineProvider';
import { LightSuggestProvider } from './completion/suggestProvider';
import { watchTyping } from './completion/typingEvents';
import { onSettingsChange, trainingSettings } from './config';
import { registerAsk } from './ask/register';
import { LearnableFiles } from './core/learnableFiles';
import { LightNetworkCore } from './core/lightNetworkCore';
import { registerLightPanel } from './lightPanel/register';
import { LiveUpdates } from './live/liveUpdates';
import { registerShare } from './share/register';
import { WorkerPool } from './training/workerPool';
import { WorkspaceTrainer } from './training/workspaceTrainer';
import { registerCommands } from './ui/commands';
import { createStatusBar } from './ui/statusBar';

const SELECTOR: vscode.DocumentSelector = [{ scheme: 'file' }, { scheme: 'untitled' }, { scheme: 'vscode-notebook-cell' }];

let shutdown: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): LightNetworkApi {
  const started = performance.now();
  const phases: Record<string, number> = {};
  let last = started;
  const mark = (phase: string): void => {
    const now = performance.now();
    phases[phase] = now - last;
    last = now;
  };
  const log = vscode.window.createOutputChannel('Light Network', { log: true });
  mark('output channel');
  const core = new LightNetworkCore(context, log);
  let pool: WorkerPool | undefined;
  const workers = (): WorkerPool => (pool ??= new WorkerPool(trainingSettings().workers));
  const learnable = new LearnableFiles(core.forgotten);
  const live = new LiveUpdates(core, workers, learnable);
  const trainer = new WorkspaceTrainer(core, workers, learnable, live.editorOwned);

  mark('core and watchers');
  const providers = { inline: new LightInlineProvider(core), suggest: new LightSuggestProvider(core) };
  context.subscriptions.push(log, core, live, { dispose: () => pool?.dispose() }, createStatusBar(core));
  mark('status bar');
  context.subscriptions.push(vscode.languages.registerInlineCompletionItemProvider(SELECTOR, providers.inline));
  mark('inline provider');
  context.subscriptions.push(vscode.languages.registerCompletionItemProvider(SELECTOR, providers.suggest));
  mark('suggest provider');
  context.subscriptions.push(watchTyping(core));
  mark('typing');
  context.subscriptions.push(...registerCommands(core, trainer));
  mark('commands');
  for (const [name, register] of [
    ['light panel', registerLightPanel],
    ['share', registerShare],
    ['ask', registerAsk],
  ] as const) {
    try {
      context.subscriptions.push(...register(core));
    } catch (error) {
      log.error(`The ${name} feature failed to start: ${error}`);
    }
    mark(name);
  }

  // What is learned depends on these: reconcile (learn what is now included, drop what is not).
  const reconcile = (): void => {
    if (core.fileRecord.trained && trainingSettings().trainOnStartup) void trainer.train('incremental');
  };
  context.subscriptions.push(onSettingsChange('relearn', reconcile), vscode.workspace.onDidChangeWorkspaceFolders(reconcile));
  mark('reconcile');

  let startup = startUp(core, trainer, live);
  mark('start loading');
  const activationMs = performance.now() - started;
  log.info(`Activated in ${activationMs.toFixed(1)} ms (${Object.entries(phases).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')})`);
  shutdown = async () => {
    await trainer.stop();
    if (core.needsSave) await core.saveNow();
  };
  const restart = async (): Promise<void> => {
    await startup.catch(() => undefined);
    await trainer.stop();
    await live.whenSettled();
    await core.queue.whenIdle();
    startup = startUp(core, trainer, live);
    await startup;
  };
  return createApi(core, trainer, live, () => startup, restart, providers, activationMs, phases);
}

export async function deactivate(): Promise<void> {
  await shutdown?.().catch(() => undefined);
  shutdown = undefined;
}

/** Loads the saved memory (or reports why it cannot), then catches up with the workspace. */
async function startUp(core: LightNetworkCore, trainer: WorkspaceTrainer, live: LiveUpdates): Promise<void> {
  core.setPhase('loading');
  const result = await core.load();
  if (result.kind === 'corrupt') {
    core.log.warn(`The saved memory could not be read: ${result.reason}${result.movedTo ? ` (moved to ${result.movedTo})` : ''}`);
    void vscode.window.showWarningMessage(
      `Light Network: the saved memory could not be read (${result.reason}). It was set aside and the workspace is being learned again.`,
    );
  } else if (result.kind === 'loaded') {
    const stats = core.local.stats();
    core.log.info(`Loaded the saved memory: ${stats.ngrams} n-grams, ${core.learner.fileCount} files, in ${result.ms.toFixed(0)} ms`);
  }
  core.setPhase('ready');
  live.start();
  if (!trainingSettings().trainOnStartup) return;
  if (result.kind !== 'loaded') await trainer.train('full');
  else if (core.fileRecord.trained) await trainer.train('incremental');
}

function createApi(
  core: LightNetworkCore,
  trainer: WorkspaceTrainer,
  live: LiveUpdates,
  startup: () => Promise<void>,
  restart: () => Promise<void>,
  providers: LightNetworkTestSeam['providers'],
  activationMs: number,
  activationPhases: Record<string, number>,
): LightNetworkApi {
  const testing: LightNetworkTestSeam = {
    get context() {
      return core.context;
    },
    get local() {
      return core.local;
    },
    get team() {
      return core.team;
    },
    get forgottenWords() {
      return core.forgottenWords;
    },
    get log() {
      return core.log;
    },
    complete: (text, options) => core.complete(text, options),
    predictNext: (context, k) => core.predictNext(context, k),
    onDidChangeMemory: core.onDidChangeMemory,
    onDidType: core.onDidType,
    onDidChangeLocal: core.onDidChangeLocal,
    onDidChangeLocalDocuments: core.onDidChangeLocalDocuments,
    onDidChangePeers: core.onDidChangePeers,
    setPeers: (peers) => core.setPeers(peers),
    clearTeam: () => core.clearTeam(),
    teamContributors: (ngram) => core.teamContributors(ngram),
    setTeamContributors: (source) => core.setTeamContributors(source),
    forgetWord: (word) => core.forgetWord(word),
    async whenIdle() {
      await startup();
      for (;;) {
        await trainer.running?.catch(() => undefined);
        await live.whenSettled();
        await core.queue.whenIdle();
        if (!trainer.running && core.queue.pending === 0) break;
      }
      core.flushEvents();
      if (core.needsSave) await core.saveNow();
    },
    status(): LightNetworkStatus {
      return {
        phase: core.phase,
        paused: core.paused,
        training: core.training,
        files: core.learner.fileCount,
        stats: core.local.stats(),
        lastTraining: trainer.lastReport,
        activationMs,
        activationPhases,
        ...core.persistence(),
      };
    },
    train: (mode = 'full') => trainer.train(mode),
    cancelTraining: () => trainer.cancel(),
    learnedFiles: () => [...core.learner.keys()].sort(),
    storageFile: core.store.file,
    restart,
    providers,
  };
  return {
    complete: (text, options) => core.complete(text, options),
    predictNext: (context, k) => core.predictNext(context, k),
    onDidChangeMemory: core.onDidChangeMemory,
    onDidType: core.onDidType,
    status: () => testing.status(),
    whenIdle: () => testing.whenIdle(),
    train: (mode) => testing.train(mode),
    forgetWord: (word) => core.forgetWord(word),
    testing,
  };
}
