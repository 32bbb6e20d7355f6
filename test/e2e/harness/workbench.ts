// A VS Code window in the browser, and the things a UI test does with it: wait for the extension,
// open files, type, read and accept ghost text, run commands, reload, reach webviews, screenshots.
import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import type { CodeServer, WorkbenchUrlOptions } from './codeServer';
import { testResultsDir } from './paths';

export interface OpenWorkbenchOptions extends WorkbenchUrlOptions {
  viewport?: { width: number; height: number };
  /** The browser's preferred colour scheme, which web VS Code's default theme follows. */
  colorScheme?: 'light' | 'dark';
  /** Receives the page's console lines and the extension host's forwarded logs. */
  onLog?: (line: string) => void;
}

/** VS Code's editor DOM writes spaces as no-break spaces. */
const normalizeSpaces = (text: string) => text.replace(/\u00a0/g, ' ');

export class Workbench {
  /** Resolves with the code the workbench passes to codeAutomationExit (extension tests' result). */
  readonly exitCode: Promise<number>;

  private constructor(
    readonly page: Page,
    readonly context: BrowserContext,
    readonly server: CodeServer,
    exitCode: Promise<number>,
  ) {
    this.exitCode = exitCode;
  }

  static async open(browser: Browser, server: CodeServer, options: OpenWorkbenchOptions = {}): Promise<Workbench> {
    const context = await browser.newContext({
      viewport: options.viewport ?? { width: 1280, height: 800 },
      colorScheme: options.colorScheme,
    });
    const page = await context.newPage();
    const log = options.onLog ?? (() => {});
    let reportExit: (code: number) => void = () => {};
    const exitCode = new Promise<number>((resolve) => (reportExit = resolve));
    // The workbench calls these when it runs extension tests (see shared/HARNESS.md).
    await page.exposeFunction('codeAutomationExit', (code: number) => reportExit(Number(code)));
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) =>
      log(`[exthost ${type}] ${(args ?? []).map(String).join(' ')}`),
    );
    page.on('console', (message) => log(`[page ${message.type()}] ${message.text()}`));
    page.on('pageerror', (error) => log(`[page error] ${error.message}`));
    await page.addInitScript({ content: recordStatusBarHistory });
    await page.goto(server.workbenchUrl(options));
    const workbench = new Workbench(page, context, server, exitCode);
    await workbench.waitForWorkbench();
    return workbench;
  }

  async close(): Promise<void> {
    await this.context.close();
  }

  /** The workbench is drawn and its status bar is there. */
  async waitForWorkbench(timeoutMs = 60_000): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ timeout: timeoutMs });
    await this.page.locator('#workbench\\.parts\\.statusbar').waitFor({ timeout: timeoutMs });
  }

  /**
   * Waits for a status bar item whose accessible label matches (a string matches labels starting
   * with it, e.g. "Light Network ready") and returns that label.
   */
  async waitForStatus(match: string | RegExp, timeoutMs = 120_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let labels: string[] = [];
    while (Date.now() < deadline) {
      labels = await this.statusLabels();
      const found = labels.find((label) => (typeof match === 'string' ? label.startsWith(match) : match.test(label)));
      if (found !== undefined) return found;
      await this.page.waitForTimeout(100);
    }
    throw new Error(`no status bar item matching ${match} within ${timeoutMs} ms (labels: ${JSON.stringify(labels)})`);
  }

  /** The accessible labels of the status bar items on screen now. */
  async statusLabels(): Promise<string[]> {
    return this.page
      .locator('#workbench\\.parts\\.statusbar [aria-label]')
      .evaluateAll((items) => items.map((item) => item.getAttribute('aria-label') ?? ''));
  }

  /** Each distinct status bar label starting with `prefix` seen since the page last loaded, first-seen order. */
  async statusHistory(prefix: string): Promise<string[]> {
    const all = await this.page.evaluate(() => (window as unknown as { __statusHistory?: string[] }).__statusHistory ?? []);
    return all.filter((label) => label.startsWith(prefix));
  }

  /** Opens a workspace file through Quick Open (Ctrl+P), by its path relative to the workspace. */
  async openFile(relativePath: string): Promise<void> {
    await this.focusWorkbench();
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(relativePath);
    const name = relativePath.split('/').pop()!;
    // Wait for the file to be listed (the file search may still be indexing), then open it.
    await this.page
      .locator('.quick-input-list .monaco-list-row', { hasText: name })
      .first()
      .waitFor({ timeout: 30_000 });
    await this.page.keyboard.press('Enter');
    await this.page.locator(`.tab.active[aria-label*="${cssString(name)}"]`).waitFor({ timeout: 30_000 });
    await this.focusEditor();
  }

  /** Clicks into the active editor so that keys go to it. */
  async focusEditor(): Promise<void> {
    const editor = this.page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
    await editor.waitFor();
    await this.page.locator('.editor-group-container.active .monaco-editor textarea').first().focus();
  }

  /** Types like a person (a key at a time), which is what triggers inline suggestions. */
  async type(text: string, delayMs = 25): Promise<void> {
    await this.page.keyboard.type(text, { delay: delayMs });
  }

  async press(key: string): Promise<void> {
    await this.page.keyboard.press(key);
  }

  /** The ghost text on screen (inline suggestion), '' when there is none. */
  async ghostText(): Promise<string> {
    const parts = await this.page
      .locator('.editor-group-container.active .monaco-editor .ghost-text-decoration, .editor-group-container.active .monaco-editor .ghost-text')
      .allTextContents();
    return normalizeSpaces(parts.join(''));
  }

  /**
   * Waits until ghost text satisfying `accept` is shown and has stayed the same for `settleMs`
   * (a newer provider answer can replace it while typing settles), and returns it.
   */
  async waitForGhostText(
    accept: (text: string) => boolean = (t) => t.length > 0,
    timeoutMs = 15_000,
    settleMs = 300,
  ): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    let since = Date.now();
    while (Date.now() < deadline) {
      const now = await this.ghostText();
      if (now !== last) {
        last = now;
        since = Date.now();
      } else if (accept(now) && Date.now() - since >= settleMs) {
        return now;
      }
      await this.page.waitForTimeout(50);
    }
    throw new Error(`no matching ghost text within ${timeoutMs} ms (last seen: ${JSON.stringify(last)})`);
  }

  /**
   * waitForGhostText, asking VS Code again every `everyMs` while none matches. VS Code asks for
   * ghost text only on a keystroke, so an answer given just before the memory changed (counts
   * arriving from a peer, a file learned) is otherwise never renewed; a person would type on.
   */
  async waitForGhostTextAskingAgain(accept: (text: string) => boolean, timeoutMs = 60_000, everyMs = 5_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        return await this.waitForGhostText(accept, everyMs);
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await this.triggerInlineSuggestion();
      }
    }
  }

  /** Asks VS Code for inline suggestions at the cursor (1.100 has no default key for it). */
  async triggerInlineSuggestion(): Promise<void> {
    await this.runCommand('Trigger Inline Suggestion');
    await this.focusEditor();
  }

  /**
   * Tab: accepts the ghost text `shown` once it is on screen, and returns the cursor's line when the
   * editor has drawn the change (the view renders a frame after the model changes; on a busy machine
   * a read right after the key press still saw the line without it). Returns the line as it stands
   * after `timeoutMs` if it never changes.
   */
  async acceptGhostText(shown: string, timeoutMs = 5_000): Promise<string> {
    await this.waitForGhostText((text) => text === shown, timeoutMs, 0);
    const before = await this.currentLineText();
    await this.page.keyboard.press('Tab');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = await this.currentLineText();
      if (line.trimEnd() !== before.trimEnd() || Date.now() > deadline) return line;
      await this.page.waitForTimeout(50);
    }
  }

  /** The text of the line the cursor is on, without ghost text. */
  async currentLineText(): Promise<string> {
    const text = await this.page.evaluate(() => {
      const editor = document.querySelector('.editor-group-container.active .monaco-editor');
      const cursor = editor?.querySelector<HTMLElement>('.cursors-layer .cursor');
      const lines = [...(editor?.querySelectorAll<HTMLElement>('.view-lines .view-line') ?? [])];
      if (!cursor || lines.length === 0) return '';
      const cursorTop = cursor.getBoundingClientRect().top;
      const line =
        lines.find((candidate) => Math.abs(candidate.getBoundingClientRect().top - cursorTop) < 4) ?? lines[0];
      const copy = line.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('.ghost-text-decoration, .ghost-text, .ghost-text-decoration-preview').forEach((n) => n.remove());
      return copy.textContent ?? '';
    });
    return normalizeSpaces(text);
  }

  /** The visible text of the active editor, without ghost text, lines in screen order. */
  async editorText(): Promise<string> {
    const text = await this.page.evaluate(() => {
      const editor = document.querySelector('.editor-group-container.active .monaco-editor');
      const lines = [...(editor?.querySelectorAll<HTMLElement>('.view-lines .view-line') ?? [])];
      lines.sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
      return lines
        .map((line) => {
          const copy = line.cloneNode(true) as HTMLElement;
          copy.querySelectorAll('.ghost-text-decoration, .ghost-text, .ghost-text-decoration-preview').forEach((n) => n.remove());
          return copy.textContent ?? '';
        })
        .join('\n');
    });
    return normalizeSpaces(text);
  }

  /** Runs a command by its title from the Command Palette (F1), e.g. "Light Network: Train on Workspace". */
  async runCommand(title: string): Promise<void> {
    await this.focusWorkbench();
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${title}`);
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    await row.waitFor({ timeout: 15_000 });
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 15_000 }).catch(() => {});
  }

  /** Developer: Reload Window, then waits for the workbench again. */
  async reload(): Promise<void> {
    await Promise.all([this.page.waitForEvent('load', { timeout: 60_000 }), this.runCommand('Developer: Reload Window')]);
    await this.waitForWorkbench();
  }

  /** Texts of the notification toasts on screen. */
  async notifications(): Promise<string[]> {
    const texts = await this.page.locator('.notification-toast .notification-list-item-message').allTextContents();
    return texts.map(normalizeSpaces);
  }

  /**
   * The documents of open webviews. A webview is two nested iframes; its content is the inner one
   * (a frame whose parent is a webview host frame).
   */
  webviewFrames(): Frame[] {
    return this.page.frames().filter((frame) => {
      const parent = frame.parentFrame();
      return parent !== null && parent !== this.page.mainFrame() && /webview/i.test(parent.url());
    });
  }

  /** Waits for a webview whose document has an element matching `selector`; returns its frame. */
  async waitForWebview(selector: string, timeoutMs = 30_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const frame of this.webviewFrames()) {
        if (await frame.locator(selector).count().catch(() => 0)) return frame;
      }
      await this.page.waitForTimeout(200);
    }
    throw new Error(`no webview with ${selector} within ${timeoutMs} ms`);
  }

  /** Saves a PNG of the window; a bare name goes into test-results/screenshots/. Returns the path. */
  async screenshot(name: string): Promise<string> {
    const path = isAbsolute(name) ? name : join(testResultsDir, 'screenshots', name.endsWith('.png') ? name : `${name}.png`);
    mkdirSync(dirname(path), { recursive: true });
    await this.page.screenshot({ path });
    return path;
  }

  /** Closes any open quick input and puts focus back on the workbench (not on an input). */
  private async focusWorkbench(): Promise<void> {
    if (await this.page.locator('.quick-input-widget').isVisible().catch(() => false)) {
      await this.page.keyboard.press('Escape');
    }
  }
}

function cssString(text: string): string {
  return text.replace(/["\\]/g, '\\$&');
}

/**
 * Runs in the page before VS Code: records each distinct status bar label, so tests can tell what it
 * showed. A string, not a function: tsx's name-keeping helpers do not exist in the page.
 */
const recordStatusBarHistory = `
  (() => {
    const history = [];
    window.__statusHistory = history;
    new MutationObserver(() => {
      const bar = document.getElementById('workbench.parts.statusbar');
      if (!bar) return;
      for (const item of bar.querySelectorAll('[aria-label]')) {
        const label = item.getAttribute('aria-label');
        if (label && !history.includes(label)) history.push(label);
      }
    }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-label'] });
  })();
`;
