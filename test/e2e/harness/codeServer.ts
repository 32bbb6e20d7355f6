// Starts one code-server (a real VS Code 1.100.3 server) per test run, in throwaway user-data,
// extensions and XDG folders, and stops it by its process id. Facts behind the flags: shared/HARNESS.md.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { codeServerEntry, requireInstalled, testResultsDir } from './paths';
import { removeDir, scratchDir } from './scratch';

export interface CodeServerOptions {
  /** Absolute path of the folder the window opens (use a scratch copy: VS Code auto-saves). */
  workspace: string;
  /** User settings (settings.json), laid over quiet defaults for tests. */
  settings?: Record<string, unknown>;
  /** Extra environment for the server; it reaches the extension host (and so the extension). */
  env?: Record<string, string>;
  /** Port on 127.0.0.1; a free one by default. */
  port?: number;
  /** Names the scratch folder and the log file. */
  label?: string;
}

export interface CodeServer {
  readonly port: number;
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  readonly workspace: string;
  readonly userDataDir: string;
  /** The server's stdout and stderr. */
  readonly logFile: string;
  /** The process group of the server, its extension hosts and their helpers (Linux: /proc/<pid>/stat). */
  readonly processGroup: number;
  /** The workbench address for this workspace, with an extension under development and tests. */
  workbenchUrl(options?: WorkbenchUrlOptions): string;
  /** Kills the server and its extension hosts (one process group) and removes the scratch folders. */
  stop(options?: { keepFiles?: boolean }): Promise<void>;
}

export interface WorkbenchUrlOptions {
  /** Absolute path of an extension to load in development mode (the repository for ours). */
  extensionDevelopmentPath?: string;
  /** Absolute path of a test module whose run() the extension host calls. */
  extensionTestsPath?: string;
}

/** Settings that keep a test window quiet and predictable. */
export const quietSettings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'chat.commandCenter.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'editor.inlineSuggest.enabled': true,
};

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  requireInstalled();
  const label = options.label ?? 'code-server';
  const root = scratchDir(label);
  const dirs = {
    userData: join(root, 'user-data'),
    extensions: join(root, 'extensions'),
    xdgConfig: join(root, 'xdg-config'),
    xdgData: join(root, 'xdg-data'),
    xdgCache: join(root, 'xdg-cache'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  mkdirSync(join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(
    join(dirs.userData, 'User/settings.json'),
    JSON.stringify({ ...quietSettings, ...options.settings }, null, 2),
  );

  const port = options.port ?? (await freePort());
  const logDir = join(testResultsDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${label}-${port}.server.log`);
  const log = openSync(logFile, 'w');
  const child = spawn(
    process.execPath,
    [
      codeServerEntry,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--user-data-dir', dirs.userData,
      '--extensions-dir', dirs.extensions,
    ],
    {
      // Its own process group, so stop() ends the extension hosts and helpers with it.
      detached: true,
      stdio: ['ignore', log, log],
      env: {
        ...process.env,
        XDG_CONFIG_HOME: dirs.xdgConfig,
        XDG_DATA_HOME: dirs.xdgData,
        XDG_CACHE_HOME: dirs.xdgCache,
        ...options.env,
      },
    },
  );
  closeSync(log);
  killOnExit(child);

  const origin = `http://127.0.0.1:${port}`;
  const server: CodeServer = {
    port,
    origin,
    workspace: options.workspace,
    userDataDir: dirs.userData,
    logFile,
    processGroup: child.pid!,
    workbenchUrl: (urlOptions = {}) => workbenchUrl(origin, port, options.workspace, urlOptions),
    stop: async ({ keepFiles = false } = {}) => {
      await killGroup(child);
      if (!keepFiles) removeDir(root);
    },
  };
  try {
    await waitForHealthy(origin, child, logFile);
  } catch (error) {
    await server.stop({ keepFiles: true });
    throw error;
  }
  return server;
}

function workbenchUrl(origin: string, port: number, folder: string, options: WorkbenchUrlOptions): string {
  const remote = (path: string) => `vscode-remote://127.0.0.1:${port}${path}`;
  const payload: [string, string][] = [];
  if (options.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(options.extensionDevelopmentPath)]);
  if (options.extensionTestsPath) payload.push(['extensionTestsPath', remote(options.extensionTestsPath)]);
  let url = `${origin}/?folder=${encodeURIComponent(folder)}`;
  if (payload.length > 0) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function waitForHealthy(origin: string, child: ChildProcess, logFile: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited early (${child.exitCode ?? child.signalCode}):\n${tail(logFile)}`);
    }
    try {
      const response = await fetch(`${origin}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`code-server did not answer on ${origin} within ${timeoutMs} ms:\n${tail(logFile)}`);
}

/** Servers still running; killed if this process ends before stopping them (Ctrl+C, a timeout). */
const running = new Set<ChildProcess>();

function killOnExit(child: ChildProcess): void {
  if (!process.listeners('exit').includes(killAllNow)) {
    process.on('exit', killAllNow);
    // Without a handler SIGTERM ends the process with no 'exit' event, orphaning the servers.
    process.once('SIGTERM', () => {
      killAllNow();
      process.exit(143);
    });
  }
  running.add(child);
  child.once('exit', () => running.delete(child));
}

function killAllNow(): void {
  for (const child of running) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  running.clear();
}

async function killGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  signalGroup('SIGTERM');
  const timer = setTimeout(() => signalGroup('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
  signalGroup('SIGKILL'); // anything of the group that outlived the server (extension hosts)
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
