// The host side of the light panel: one webview panel at a time, fed with packed field snapshots
// (throttled while the memory changes), the typing stream as ignitions, and the team's presence.
import * as vscode from 'vscode';
import { RecencyClock } from '../../lightfield/recency';
import {
  LIGHT_PANEL_VIEW_TYPE,
  MAX_PHRASE_LENGTH,
  isWebviewToHost,
  type FieldChangeSource,
  type HostToWebview,
  type WebviewToHost,
} from '../../protocol/lightMessages';
import { lightFieldSettings, onSettingsChange } from '../config';
import type { LightNetworkServices, PeerPresence } from '../services';
import { FieldBuilder } from './fieldBuilder';
import { lightPanelHtml } from './html';

/** The most snapshots per second sent while the memory keeps changing (training, a team sync). */
const REBUILD_INTERVAL_MS = 400;

/** What tests and the bench can observe about the panel through `lightNetwork.lightField.state`. */
export interface LightPanelDebugState {
  open: boolean;
  lastRendered?: Extract<WebviewToHost, { type: 'rendered' }> & { receivedAt: number };
  webglUnavailable?: string;
}

export class LightPanelController implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private readonly recency = new RecencyClock();
  private readonly builder: FieldBuilder;
  private buildGeneration = 0;
  private building = false;
  private pending: { source: FieldChangeSource; changedAt: number } | undefined;
  private rebuildTimer: NodeJS.Timeout | undefined;
  private lastBuildAt = 0;
  readonly debug: LightPanelDebugState = { open: false };
  /** The collaborators last reported, for a panel that opens (or reloads) mid-session. */
  private peers: PeerPresence[] = [];

  constructor(private readonly services: LightNetworkServices) {
    // Read through getters: a load replaces the local memory; the team memory's live memory is the
    // same for its life, but is read the same way.
    this.builder = new FieldBuilder(
      {
        get local() {
          return services.local;
        },
        get team() {
          return services.team.live;
        },
        predictNext: (context, k) => services.predictNext(context, k),
      },
      this.recency,
    );
    this.disposables.push(
      services.onDidChangeMemory((change) => {
        // Local changes arrive with their deltas (onDidChangeLocal); team ones do not.
        if (change.source === 'team') this.builder.markStale();
        else if (change.source === 'reset' || change.source === 'load' || change.source === 'forget') this.builder.invalidateAll();
        this.scheduleRebuild(change.source);
      }),
      services.onDidChangePeers((peers) => {
        this.peers = peers;
        this.post({ type: 'peers', peers });
      }),
      onSettingsChange('rebuildLightField', () => this.scheduleRebuild('reset')),
      onSettingsChange('lightFieldOptions', () => this.post({ type: 'settings', settings: lightFieldSettings() })),
    );
  }

  show(): void {
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(LIGHT_PANEL_VIEW_TYPE, 'Light Network', vscode.ViewColumn.Beside, {
      enableScripts: true,
      // Not retained: a hidden panel gives its WebGL context back and is rebuilt from state when shown.
      retainContextWhenHidden: false,
      localResourceRoots: [this.resourceRoot('dist'), this.resourceRoot('media')],
    });
    this.attach(panel);
  }

  /** Called by the serializer after a window reload. */
  restore(panel: vscode.WebviewPanel): void {
    this.panel?.dispose();
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [this.resourceRoot('dist'), this.resourceRoot('media')],
    };
    this.attach(panel);
  }

  private resourceRoot(folder: string): vscode.Uri {
    return vscode.Uri.joinPath(this.services.context.extensionUri, folder);
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.debug.open = true;
    panel.iconPath = vscode.Uri.joinPath(this.services.context.extensionUri, 'media', 'light', 'icon.svg');
    panel.webview.html = lightPanelHtml(panel.webview, this.services.context.extensionUri);
    // The memory may have changed while the panel was closed.
    this.builder.invalidateAll();
    this.panelDisposables.push(
      // Subscribed only while the panel is open: the host computes typing predictions, and the engine
      // collects per-n-gram deltas (training runs about 3x slower then), only for listeners.
      this.services.onDidChangeLocal((batch) => {
        const now = Date.now();
        for (const { ngram, delta } of batch.entries) if (ngram.length === 1 && delta > 0) this.recency.touch(ngram[0], now);
        this.builder.invalidate(batch);
      }),
      this.services.onDidType((event) => {
        this.recency.touch(event.word, Date.now());
        this.post({ type: 'ignite', word: event.word, predictions: event.predictions, origin: 'typing' });
      }),
      panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      panel.onDidDispose(() => this.detach()),
    );
  }

  /**
   * Lights the path of a phrase's words in the field, as a search in the panel would; only while the
   * panel is open and shown (a hidden panel has no webview to draw it). True when it was sent.
   */
  lightPath(phrase: string): boolean {
    if (!this.panel?.visible || !phrase.trim()) return false;
    this.post({ type: 'lightPath', phrase: phrase.slice(0, MAX_PHRASE_LENGTH) });
    return true;
  }

  private detach(): void {
    this.panel = undefined;
    this.debug.open = false;
    this.buildGeneration++;
    for (const d of this.panelDisposables) d.dispose();
    this.panelDisposables = [];
  }

  private post(message: HostToWebview): void {
    void this.panel?.webview.postMessage(message);
  }

  private async receive(message: unknown): Promise<void> {
    if (!isWebviewToHost(message)) {
      this.services.log.warn('Light panel: ignored a malformed message from the webview');
      return;
    }
    switch (message.type) {
      case 'ready':
        this.post({ type: 'settings', settings: lightFieldSettings() });
        this.post({ type: 'peers', peers: this.peers });
        this.scheduleRebuild('open', true);
        return;
      case 'ignite':
        this.post({ type: 'ignite', word: message.word, predictions: this.services.predictNext([message.word], 8), origin: message.origin });
        return;
      case 'describe':
        this.post({
          type: 'description',
          requestId: message.requestId,
          word: message.word,
          count: this.services.local.wordCount(message.word) + this.services.team.wordCount(message.word),
          successors: this.services.predictNext([message.word], 5),
          collaborators: this.services.team.wordCount(message.word) > 0 ? this.services.teamContributors([message.word]) : [],
        });
        return;
      case 'forget':
        await this.confirmAndForget(message.word);
        return;
      case 'rendered':
        this.debug.lastRendered = { ...message, receivedAt: Date.now() };
        return;
      case 'webglUnavailable':
        this.debug.webglUnavailable = message.reason;
        this.services.log.warn(`Light panel: WebGL is unavailable (${message.reason})`);
        return;
    }
  }

  private async confirmAndForget(word: string): Promise<void> {
    const choice = await vscode.window.showWarningMessage(
      `Forget "${word}"? It is removed from the memory (and every n-gram that contains it) and will not be learned again in this workspace.`,
      { modal: true },
      'Forget',
    );
    if (choice !== 'Forget') return;
    try {
      await this.services.forgetWord(word);
      this.recency.forget(word);
      this.builder.invalidateAll();
      this.scheduleRebuild('forget', true);
    } catch (error) {
      void vscode.window.showErrorMessage(`Light Network could not forget "${word}": ${String(error)}`);
    }
  }

  /** Coalesces bursts of changes into at most one snapshot per REBUILD_INTERVAL_MS. */
  private scheduleRebuild(source: FieldChangeSource, immediate = false): void {
    if (!this.panel) return;
    this.pending = { source, changedAt: this.pending?.changedAt ?? Date.now() };
    // A hidden panel has no webview to draw in; it asks again ('ready') when shown.
    if (!this.panel.visible) return;
    if (this.building || this.rebuildTimer) return;
    const wait = immediate ? 0 : Math.max(0, this.lastBuildAt + REBUILD_INTERVAL_MS - Date.now());
    this.rebuildTimer = setTimeout(() => {
      this.rebuildTimer = undefined;
      void this.rebuild();
    }, wait);
  }

  private async rebuild(): Promise<void> {
    const request = this.pending;
    if (!request || !this.panel) return;
    this.pending = undefined;
    this.building = true;
    const generation = ++this.buildGeneration;
    try {
      const cancelled = (): boolean => generation !== this.buildGeneration || !this.panel;
      const built = await this.builder.build(lightFieldSettings().neuronLimit, cancelled, (partial) => {
        if (!cancelled()) this.post({ type: 'field', bytes: partial.bytes, source: request.source, changedAt: request.changedAt });
      });
      if (built && this.panel) {
        this.post({ type: 'field', bytes: built.bytes, source: request.source, changedAt: request.changedAt });
      }
    } catch (error) {
      this.services.log.error(`Light panel: could not build the field: ${String(error)}`);
      this.post({ type: 'error', message: `The light field could not be built: ${String(error)}` });
    } finally {
      this.building = false;
      this.lastBuildAt = Date.now();
      const next = this.pending as { source: FieldChangeSource } | undefined;
      if (next) this.scheduleRebuild(next.source);
    }
  }

  dispose(): void {
    clearTimeout(this.rebuildTimer);
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
