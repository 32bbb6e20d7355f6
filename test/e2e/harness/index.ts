// The UI-test harness: a real VS Code (code-server) driven by Playwright. See README.md here.
import { appendFileSync, cpSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser';
import { startCodeServer, type CodeServer, type CodeServerOptions } from './codeServer';
import { repoRoot, testResultsDir } from './paths';
import { Workbench, type OpenWorkbenchOptions } from './workbench';

export { launchChromium, chromiumFlags } from './browser';
export { startCodeServer, quietSettings, type CodeServer, type CodeServerOptions } from './codeServer';
export { repoRoot, testResultsDir, codeServerEntry } from './paths';
export { copyWorkspace, makeWorkspace, scratchDir, removeDir, removeWorkspace } from './scratch';
export { Workbench, type OpenWorkbenchOptions } from './workbench';

export interface LaunchOptions extends CodeServerOptions, Omit<OpenWorkbenchOptions, 'onLog'> {
  /** Load this repository's extension (dist/ must be built) in development mode. Default true. */
  loadExtension?: boolean;
  /** Extra Chromium flags (e.g. for WebRTC in the page). */
  chromiumArgs?: string[];
}

export interface VSCodeSession {
  server: CodeServer;
  browser: Browser;
  workbench: Workbench;
  /** The page and extension-host log of this session (test-results/logs/…browser.log). */
  logFile: string;
  /** Closes the browser and stops the server (by its process id). */
  stop(options?: { keepFiles?: boolean }): Promise<void>;
  /** Copies VS Code's own logs (the extension's output channel among them) into test-results/logs. */
  saveLogs(name: string): string | undefined;
}

/** code-server on `workspace` + headless Chromium + a workbench page with our extension loaded. */
export async function launchVSCode(options: LaunchOptions): Promise<VSCodeSession> {
  const { loadExtension = true, chromiumArgs, ...rest } = options;
  const server = await startCodeServer(rest);
  let browser: Browser | undefined;
  try {
    browser = await launchChromium(chromiumArgs);
    mkdirSync(join(testResultsDir, 'logs'), { recursive: true });
    const logFile = join(testResultsDir, 'logs', `${options.label ?? 'code-server'}-${server.port}.browser.log`);
    const workbench = await Workbench.open(browser, server, {
      ...rest,
      extensionDevelopmentPath: loadExtension ? (rest.extensionDevelopmentPath ?? repoRoot) : rest.extensionDevelopmentPath,
      onLog: (line) => appendFileSync(logFile, `${line}\n`),
    });
    const opened = browser;
    return {
      server,
      browser: opened,
      workbench,
      logFile,
      stop: async (stopOptions) => {
        await opened.close().catch(() => {});
        await server.stop(stopOptions);
      },
      saveLogs: (name) => {
        const from = join(server.userDataDir, 'logs');
        if (!existsSync(from)) return undefined;
        const to = join(testResultsDir, 'logs', `${name}-vscode-logs`);
        cpSync(from, to, { recursive: true });
        return to;
      },
    };
  } catch (error) {
    await browser?.close().catch(() => {});
    await server.stop({ keepFiles: true });
    throw error;
  }
}
