// The life of a share session inside the extension host: start (team memory rebuilt from the saved
// log, our local memory's documents published as text), keep peers, presence and the team memory
// current (every local document change is published), save the log, leave (keeping or forgetting
// the team memory), and forget or remember one collaborator's text (in the session, or from the
// saved log between sessions). The memory file does not keep the team memory: at start the saved
// log rebuilds it (restoreSavedTeam). The heavy session code (Yjs, y-webrtc, native WebRTC) is
// imported only here, when a session starts or a saved log is read.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Invite } from '../../share/invite';
import { visibleText } from '../../share/displayText';
import type { PeerPresence } from '../../share/presence';
import type { ShareSession, SignalingStatus } from '../../share/session';
import type { Attribution } from '../../share/teamLayer';
import { loadShareRuntime } from './shareRuntime';
// Light (no Yjs): walks the local memory's documents; bundled into the extension itself.
import { liveTextSource } from '../../share/contribution';
import type { LightNetworkServices } from '../services';
import { shareSettings } from './shareSettings';
import { acquireWriterKey, WRITER_KEY_FILE, type WriterIdentity } from './writerIdentity';
import { Collaborators, shortId } from './collaborators';
import { isValidWriterId, loadOrCreateWriterKey } from '../../share/writerKey';
import { readIfExists, writeFileAtomic } from '../../persistence/atomicFile';
import { LocalDocumentFeed } from './localDocumentFeed';

const LOG_FILE = 'team-log.ydoc';
const COLLABORATORS_FILE = 'team-collaborators.json';
const SAVE_DELAY_MS = 5000;
const REJECTION_NOTICE_MS = 60_000;

/** A collaborator as the forget and remember commands list them. */
export interface CollaboratorChoice {
  writer: string;
  label: string;
  /** Batches of theirs applied to the team memory now (known while a session runs). */
  batches?: number;
  /** Batches of theirs held unapplied because they are forgotten (known while a session runs). */
  held?: number;
  forgotten: boolean;
}

export type ShareState =
  | { kind: 'idle' }
  | { kind: 'starting' }
  | { kind: 'active'; invite: Invite; peers: PeerPresence[]; signaling: SignalingStatus[] };

export class ShareController implements vscode.Disposable {
  private session: ShareSession | undefined;
  private writer: WriterIdentity | undefined;
  private invite: Invite | undefined;
  private subscriptions: vscode.Disposable[] = [];
  private saveTimer: NodeJS.Timeout | undefined;
  private lastRejectionNotice = 0;
  private signalingDown = false;
  private passwordNoticeShown = false;
  private stateValue: ShareState = { kind: 'idle' };
  private collaborators: Collaborators | undefined;
  private collaboratorsSave: Promise<void> = Promise.resolve();
  /** The team memory being rebuilt from the saved log at start (a session waits for it). */
  private teamRestore: Promise<unknown> = Promise.resolve();
  private readonly changed = new vscode.EventEmitter<ShareState>();
  readonly onDidChangeState = this.changed.event;

  constructor(private readonly services: LightNetworkServices) {}

  get state(): ShareState {
    return this.stateValue;
  }

  get storageDir(): string {
    const { context } = this.services;
    return (context.storageUri ?? context.globalStorageUri).fsPath;
  }

  async start(invite: Invite): Promise<void> {
    if (this.stateValue.kind !== 'idle') throw new Error('a session is already running');
    this.setState({ kind: 'starting' });
    try {
      await this.open(invite);
    } catch (error) {
      await this.leave();
      throw error;
    }
  }

  private async open(invite: Invite): Promise<void> {
    const { services } = this;
    const settings = shareSettings();
    // The session rebuilds the team memory from the same log: the rebuild at start must not write
    // into it meanwhile.
    await this.teamRestore;
    const { ShareSession } = loadShareRuntime(services.context);
    this.writer = await acquireWriterKey(this.storageDir);
    const collaborators = await this.loadCollaborators();
    for (const note of settings.limitNotes.filter((line) => !line.startsWith('signalingServer.'))) services.log.warn(`Share: setting lightNetwork.share.${note}`);
    // An unreadable saved log is reported and rebuilt from the peers rather than blocking the join.
    const savedState = await readIfExists(path.join(this.storageDir, LOG_FILE)).catch((error: Error) => {
      services.log.warn(`Share: the saved team log could not be read (${error.message}); it is rebuilt from the peers.`);
      return undefined;
    });
    // The team memory is what the log says: rebuilt from the saved log, then from peers.
    services.clearTeam();
    const session = new ShareSession({
      invite,
      iceServers: settings.iceServers,
      writerKey: this.writer.key,
      user: { name: settings.userName, color: settings.userColor, writer: this.writer.key.id },
      team: services.team,
      savedState,
      forgottenWriters: collaborators.forgotten(),
      limits: settings.limits,
    });
    this.session = session;
    this.invite = invite;
    this.useAttribution(session.attribution());
    session.on('peers', (peers) => this.onPeers(peers));
    session.on('signaling', (status) => this.onSignaling(status));
    session.on('rejected', (rejection) => this.onRejected(rejection.writer, rejection.reason));
    session.on('wrongPassword', (attempts) => {
      // Either someone without the invite knocks, or we hold a damaged code: say both, once.
      services.log.warn(`Share: signaling from peers without this session's password was ignored (${attempts} so far)`);
      if (!this.passwordNoticeShown) {
        this.passwordNoticeShown = true;
        void vscode.window.showWarningMessage(
          'Light Network: someone in this room uses a different password and cannot connect. ' +
            'If you joined with an invite code and see no collaborators, copy the code again, whole.',
        );
      }
    });
    session.on('linkReset', () => services.log.info('Share: reset a link that did not sync; reconnecting'));
    session.on('transportRestarted', (reason) => services.log.warn(`Share: ${reason}`));
    session.on('logFull', ({ maxLogBytes, maxLogBatches }) => {
      const message =
        `Light Network: the team log is full (${(maxLogBytes / 1048576).toFixed(0)} MiB or ${maxLogBatches} batches, settings ` +
        'lightNetwork.share.maxLogMB and maxLogBatches): your changes wait, and are shared once there is room. Every member must raise the setting for it to help.';
      services.log.warn(`Share: ${message}`);
      void vscode.window.showWarningMessage(message);
    });
    session.on('teamChanged', () => this.scheduleSave());
    session.start();
    // Our local memory's documents as of now, then every local document change after it (see
    // LocalDocumentFeed): the ids changed while the snapshot is published wait their turn.
    const started = performance.now();
    const feed = new LocalDocumentFeed(services.local, (changes) => session.publishDocuments(changes), () => this.session === session);
    this.subscriptions.push(
      services.onDidChangeLocalDocuments((ids) => feed.changed(ids)),
      services.onDidType((event) => session.setWord(event.word)),
    );
    const shared = await session.publishSnapshotChunks(liveTextSource(services.local));
    feed.open();
    if (this.session !== session || !shared) return; // left while publishing
    const millions = (n: number) => (n >= 1e5 ? `${(n / 1e6).toFixed(1)}M` : n.toLocaleString('en-US'));
    if (shared.documents === 0 && shared.totalDocuments > 0) {
      const message =
        'Light Network: the team log has no room for your memory (settings lightNetwork.share.maxLogMB and maxSnapshotMB): ' +
        'it is not shared in this session, and your changes are shared once there is room. Every member must raise maxLogMB for it to help.';
      services.log.warn(`Share: ${message}`);
      void vscode.window.showWarningMessage(message);
    } else if (shared.cut) {
      const message =
        `Light Network: your memory holds ${millions(shared.totalTokens)} tokens in ${shared.totalDocuments.toLocaleString('en-US')} documents, ` +
        `more than your share of the team log takes (${(shared.budgetBytes / 1048576).toFixed(0)} MiB, setting lightNetwork.share.maxSnapshotMB): ` +
        `${shared.documents.toLocaleString('en-US')} documents (${millions(shared.tokens)} tokens) are shared, and every change you make from now on.`;
      services.log.info(`Share: ${message}`);
      void vscode.window.showInformationMessage(message);
    }
    services.log.info(
      `Share: joined room ${invite.room.slice(0, 8)}… as writer ${this.writer.key.id}; published ${shared.documents} of ${shared.totalDocuments} documents ` +
        `(${shared.tokens} of ${shared.totalTokens} tokens, ${(shared.bytes / 1048576).toFixed(1)} MiB) in ${(performance.now() - started).toFixed(0)} ms`,
    );
    this.signalingDown = false;
    this.setState({ kind: 'active', invite, peers: [], signaling: session.signaling() });
  }

  /** Ends the session; the team memory is kept (and its log saved) or forgotten per the setting. */
  async leave(keepTeam = shareSettings().keepTeamMemoryOnLeave): Promise<void> {
    const session = this.session;
    this.session = undefined;
    this.invite = undefined;
    for (const subscription of this.subscriptions) subscription.dispose();
    this.subscriptions = [];
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (session) {
      if (keepTeam) await this.saveLog(session).catch((error) => this.services.log.error(`Share: saving the team log failed: ${error}`));
      // The session's attribution (the team memory's documents, not its batches) still says who
      // taught what until the team memory is forgotten or rebuilt: suggestions from the kept team
      // memory stay attributed.
      await session.close();
    }
    await this.writer?.release();
    this.writer = undefined;
    this.services.setPeers([]);
    if (!keepTeam) await this.forgetTeam();
    this.setState({ kind: 'idle' });
  }

  /** Empties the team memory and deletes its saved log. */
  async forgetTeam(): Promise<void> {
    await this.teamRestore;
    this.services.setTeamContributors(undefined);
    this.services.clearTeam();
    await fs.rm(path.join(this.storageDir, LOG_FILE), { force: true });
  }

  /** Collaborators met in this workspace, those whose text is in the team memory first. */
  async collaboratorChoices(): Promise<CollaboratorChoice[]> {
    const collaborators = await this.loadCollaborators();
    const inSession = new Map<string, { batches: number; held: number }>();
    for (const { writer, batches, held } of this.session?.teamWriters() ?? []) {
      collaborators.noteWriter(writer);
      inSession.set(writer, { batches, held });
    }
    return collaborators
      .list()
      .reverse()
      .map(({ writer, forgotten }) => ({ writer, label: collaborators.label(writer), ...inSession.get(writer), forgotten }))
      .sort((a, b) => Number(b.batches !== undefined) - Number(a.batches !== undefined));
  }

  /**
   * Takes one collaborator's text out of the team memory and refuses their batches in this
   * workspace until rememberCollaborator: in a session at once (its team layer holds their
   * batches unapplied), between sessions by rebuilding the team memory from the saved log.
   */
  async forgetCollaborator(writer: string): Promise<'now' | 'next session'> {
    return this.setForgotten(writer, true);
  }

  /** Applies a forgotten collaborator's batches again. */
  async rememberCollaborator(writer: string): Promise<'now' | 'next session'> {
    return this.setForgotten(writer, false);
  }

  /** Whether the team memory changed now, or will when the next session starts (no saved log to rebuild from). */
  private async setForgotten(writer: string, forgotten: boolean): Promise<'now' | 'next session'> {
    if (!isValidWriterId(writer)) throw new Error(`${JSON.stringify(writer.slice(0, 80))} is not a writer id`);
    if (this.stateValue.kind === 'starting') throw new Error('a session is starting; try again in a moment');
    if (writer === this.writer?.key.id) throw new Error('that is this window\'s own writer: its text is your local memory');
    await this.teamRestore;
    const collaborators = await this.loadCollaborators();
    collaborators.setForgotten(writer, forgotten);
    await this.saveCollaborators();
    const session = this.session;
    if (session) {
      if (forgotten) session.forgetWriter(writer);
      else session.rememberWriter(writer);
      await session.whenTeamIdle();
      await this.services.team.whenIdle();
      this.scheduleSave();
      return 'now';
    }
    return (await this.rebuildFromSavedLog()) ? 'now' : 'next session';
  }

  /**
   * At start: the team memory from the saved team log, when a session kept one (the memory file
   * does not hold the team memory), without the forgotten collaborators; in the background (the
   * indexes are built in the memory file worker). A session started meanwhile waits for it.
   */
  restoreSavedTeam(): Promise<void> {
    const restore = (async () => {
      if (this.stateValue.kind !== 'idle') return;
      const started = performance.now();
      if (!(await this.rebuildFromSavedLog(false))) return;
      const stats = this.services.team.stats();
      this.services.log.info(
        `Share: the team memory was rebuilt from the saved team log: ${stats.tokens} tokens in ${stats.documents} documents, in ${(performance.now() - started).toFixed(0)} ms`,
      );
    })().catch((error) => this.services.log.warn(`Share: the team memory could not be rebuilt from the saved team log: ${error instanceof Error ? error.message : error}`));
    this.teamRestore = restore;
    return restore;
  }

  /** Between sessions: the team memory again from the saved log, without the forgotten writers. */
  private async rebuildFromSavedLog(sayWhenMissing = true): Promise<boolean> {
    const { services } = this;
    const saved = await readIfExists(path.join(this.storageDir, LOG_FILE));
    if (!saved) {
      // Nothing says whose the text is: it stays until Forget Team Memory; the next session
      // rebuilds the team memory without the forgotten writers.
      if (sayWhenMissing) services.log.info('Share: no saved team log; the change to the team memory comes with the next session');
      return false;
    }
    const { rebuildTeamFromLog } = loadShareRuntime(services.context);
    const ownWriter = (await loadOrCreateWriterKey(path.join(this.storageDir, WRITER_KEY_FILE))).id;
    const attribution = await rebuildTeamFromLog({
      saved,
      team: services.team,
      clearTeam: () => services.clearTeam(),
      ownWriter,
      forgotten: (await this.loadCollaborators()).forgotten(),
      // The caps the team set (a log a session of this workspace accepted is accepted again).
      limits: shareSettings().limits,
      onReject: (rejection) => services.log.warn(`Share: saved team log: ${rejection.writer}: ${rejection.reason}`),
    });
    await services.team.whenIdle();
    // The log still holds words forgotten since it was written: they go again, as they went then.
    for (const word of services.forgottenWords) services.team.forgetWord(word);
    this.useAttribution(attribution);
    return true;
  }

  private useAttribution(source: Attribution): void {
    this.services.setTeamContributors((ngram) => {
      const collaborators = this.collaborators;
      return source.contributors(ngram).map((writer) => collaborators?.label(writer) ?? `collaborator ${shortId(writer)}`);
    });
  }

  private async loadCollaborators(): Promise<Collaborators> {
    if (!this.collaborators) {
      const { collaborators, problem } = await Collaborators.load(path.join(this.storageDir, COLLABORATORS_FILE));
      if (problem) this.services.log.warn(`Share: the list of collaborators could not be read (${problem}); starting a new one`);
      this.collaborators ??= collaborators;
    }
    return this.collaborators;
  }

  /** Saves the collaborators' list, one write at a time. */
  private saveCollaborators(): Promise<void> {
    const collaborators = this.collaborators;
    if (!collaborators) return Promise.resolve();
    this.collaboratorsSave = this.collaboratorsSave
      .then(() => collaborators.save())
      .catch((error) => this.services.log.error(`Share: saving the list of collaborators failed: ${error}`));
    return this.collaboratorsSave;
  }

  get currentInvite(): Invite | undefined {
    return this.invite;
  }

  dispose(): void {
    void this.leave(true);
    this.changed.dispose();
  }

  private onPeers(peers: PeerPresence[]): void {
    const colors = shareSettings().collaboratorColors;
    // Names and words as peers chose them may hide or reorder text: everything that shows peers
    // (status bar, light field) gets them made visible here.
    const shown = peers.map((peer) => {
      const name = visibleText(peer.name);
      const color = Object.hasOwn(colors, name) && isColor(colors[name]) ? colors[name] : peer.color;
      return { ...peer, name, word: visibleText(peer.word), color };
    });
    let news = false;
    for (const peer of shown) if (peer.writer && this.collaborators?.noteName(peer.writer, peer.name)) news = true;
    if (news) void this.saveCollaborators();
    this.services.setPeers(shown);
    if (this.stateValue.kind === 'active') this.setState({ ...this.stateValue, peers: shown });
  }

  private onSignaling(status: SignalingStatus[]): void {
    // A session through a team relay reports the relay here (the invite says which path it uses).
    const what = this.invite?.relay ? 'team relay' : 'signaling server';
    for (const server of status) {
      if (!server.connected) this.services.log.warn(`Share: ${what} ${server.url} unreachable; retrying`);
      else this.services.log.info(`Share: connected to ${what} ${server.url}`);
    }
    const down = status.length > 0 && status.every((server) => !server.connected);
    if (down && !this.signalingDown) {
      void vscode.window.showWarningMessage(
        `Light Network: the ${what} (${status.map((s) => s.url).join(', ')}) is unreachable; retrying. ` +
          (this.invite?.relay
            ? 'Completions keep using your memories; collaborators\' new text arrives once it is back.'
            : 'Collaborators already connected stay connected; new ones can join once it is back.'),
      );
    }
    this.signalingDown = down;
    if (this.stateValue.kind === 'active') this.setState({ ...this.stateValue, signaling: status });
  }

  private onRejected(writer: string, reason: string): void {
    this.services.log.warn(`Share: rejected data from ${writer}: ${reason}`);
    const now = Date.now();
    if (now - this.lastRejectionNotice > REJECTION_NOTICE_MS) {
      this.lastRejectionNotice = now;
      void vscode.window.showWarningMessage(`Light Network: rejected invalid data from a peer (${reason}). Your memory was not changed.`);
    }
  }

  private scheduleSave(): void {
    this.saveTimer ??= setTimeout(() => {
      this.saveTimer = undefined;
      if (this.session) this.saveLog(this.session).catch((error) => this.services.log.error(`Share: saving the team log failed: ${error}`));
    }, SAVE_DELAY_MS);
  }

  private async saveLog(session: ShareSession): Promise<void> {
    await writeFileAtomic(path.join(this.storageDir, LOG_FILE), session.encodeState());
  }

  private setState(state: ShareState): void {
    this.stateValue = state;
    this.changed.fire(state);
  }
}

function isColor(value: unknown): value is string {
  return typeof value === 'string' && /^#[0-9a-fA-F]{6}$/.test(value);
}

