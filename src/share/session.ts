// A share session: one Yjs document holding the delta log, carried by y-webrtc over a framed Node
// WebRTC implementation whose native half runs in a child process (the mesh; remoteWrtc.ts) or through a team relay (src/relay/relayLink.ts, sealed end to
// end), with the team layer, presence, a link watchdog and signaling (or relay) status.
// Runs the same in the extension host and in the headless peer (no vscode here). This module and
// its heavy dependencies are loaded only when a session starts (dynamic import by the callers).
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import * as Y from 'yjs';
import { WebrtcProvider } from 'y-webrtc';
import type { RelayLink } from '../relay/relayLink';
import { BatchValidator } from './batchValidator';
import { DeltaLog } from './deltaLog';
import { framedWrtc, type FramedWrtc, type WrtcImplementation } from './framedWrtc';
import { remoteWrtc, type RemoteWrtc } from './remoteWrtc';
import type { Invite } from './invite';
import { withLimits, type ShareLimits } from './limits';
import { createMessageGuard } from './messageGuard';
import { savedLogProblem } from './savedLog';
import { localState, peersFromStates, type LocalUser, type PeerPresence } from './presence';
import { createSecretTokenTest, TextSecretFilter } from './secretFilter';
import { SnapshotGroup, type SnapshotReport, type TextSnapshotSource } from './snapshotBudget';
import { createUnshareableTokenTest } from './shareableToken';
import { deriveRoomKey, guardRoom } from './signalingGuard';
import { chunkKey, type TextBatch, type TextRecord } from './textBatch';
import { TeamLayer, type Attribution, type Rejection, type TeamLayerSink, type TeamWriter } from './teamLayer';
import type { TeamMemoryView } from './teamMemory';
import { LinkWatchdog, type WatchedLink } from './watchdog';
import type { WriterKey } from './writerKey';
import { yieldToEventLoop } from '../threads/sliceScheduler';

/** A local document's tokens now ('' = a cut), or undefined: the document is gone. */
export interface DocumentChange {
  id: string;
  tokens: readonly string[] | undefined;
}

export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}

export interface SessionOptions {
  invite: Invite;
  /** ICE servers; empty (the default) for LAN and loopback: no public STUN server is contacted. */
  iceServers?: IceServer[];
  /** This writer's persisted key pair (writerKey.ts): its id names and its signature proves our batches. */
  writerKey: WriterKey;
  user: LocalUser;
  /**
   * Where peers' text goes: a TeamMemory (its writersOf answers `contributors`, its whenIdle
   * `whenTeamIdle`). It must start empty: the session rebuilds it from the log.
   */
  team: TeamLayerSink & TeamMemoryView;
  limits?: Partial<ShareLimits>;
  /** A log saved by `encodeState()` earlier (rebuilds the team layer before any peer is reached). */
  savedState?: Uint8Array;
  /** Delta batches of ours in the log before they are folded together. */
  compactAfterBatches?: number;
  /** Local document changes are gathered this long and published as one batch (the latest tokens of each document). */
  publishDelayMs?: number;
  watchdogMs?: { min: number; max: number };
  /** Longest stretch spent applying peers' batches before yielding to the event loop (default 20 ms). */
  applySliceMs?: number;
  /** Writers the user forgot: their batches stay in the log but are never counted (TeamLayer.forget). */
  forgottenWriters?: Iterable<string>;
  /** Defaults to @roamhq/wrtc run in a child process (remoteWrtc.ts), started when a mesh session starts. */
  wrtc?: WrtcImplementation;
  /** Share through this relay (ws://…) instead of the one the invite names, or instead of the mesh. */
  relay?: string;
  /** The relay's log is compacted past this many entries (relayLink.ts; default 512). */
  relayCompactAfterEntries?: number;
}

export interface SignalingStatus {
  url: string;
  connected: boolean;
}

export interface SessionEventMap {
  peers: [PeerPresence[]];
  signaling: [SignalingStatus[]];
  rejected: [Rejection];
  /** Someone with the room name but not the password keeps knocking (throttled). */
  wrongPassword: [number];
  teamChanged: [];
  /** A link that never synced was reset (reconnects follow). */
  linkReset: [];
  synced: [boolean];
  /** The process running the native WebRTC module ended unasked (say a crash): links close and reconnect. */
  transportRestarted: [string];
  /** The log had no room for our changes: they wait, and go with the next change that finds room. */
  logFull: [{ maxLogBytes: number; maxLogBatches: number }];
}

const TICK_MS = 500;
/** How often changes waiting for room in a full log are tried again without a new change. */
const LOG_FULL_RETRY_MS = 30_000;
const WRONG_PASSWORD_REPORT_MS = 5000;

export class ShareSession extends EventEmitter<SessionEventMap> {
  readonly doc: Y.Doc;
  readonly log: DeltaLog;
  readonly limits: ShareLimits;
  private provider: WebrtcProvider | undefined;
  private relayLink: RelayLink | undefined;
  private readonly teamLayer: TeamLayer;
  private readonly isSecretToken = createSecretTokenTest();
  /** What we never publish: secrets, and tokens peers would refuse to show (shareableToken.ts). */
  private readonly isWithheldToken: (token: string) => boolean;
  /** Cuts what we withhold from our documents; a secret value given away in one document is cut from those that follow too. */
  private readonly secretFilter: TextSecretFilter;
  private framed: FramedWrtc | undefined;
  /** The child process running WebRTC, when the session started it (no `wrtc` option). */
  private transport: RemoteWrtc | undefined;
  private readonly watchdog: LinkWatchdog;
  private unguard: () => void = () => {};
  private ticker: NodeJS.Timeout | undefined;
  /** Local document changes not yet published: the latest per document id. */
  private pending = new Map<string, readonly string[] | undefined>();
  /**
   * Keys our chunks by: a keyed hash of each document id hides the file paths in it. Random per
   * session: a new run republishes everything with a floor that supersedes the last run's batches,
   * so keys need not survive restarts.
   */
  private readonly salt = randomBytes(16);
  private publishTimer: NodeJS.Timeout | undefined;
  private signalingState = '';
  private foreignKnocks = 0;
  private lastForeignReport = 0;
  private word = '';
  private closed = false;
  /** Our last append was refused because the log was full (reported once until one fits again). */
  private logFull = false;

  constructor(private readonly options: SessionOptions) {
    super();
    this.limits = withLimits(options.limits);
    this.doc = new Y.Doc();
    this.log = new DeltaLog(this.doc, options.writerKey);
    const unshareable = createUnshareableTokenTest(this.limits.maxTokenLength);
    this.isWithheldToken = (token) => this.isSecretToken(token) || unshareable(token);
    this.secretFilter = new TextSecretFilter(this.isWithheldToken);
    const validator = new BatchValidator(this.limits, options.team, this.isSecretToken);
    this.teamLayer = new TeamLayer(options.team, validator, options.writerKey.id, (rejection) => this.emit('rejected', rejection), {
      onApplied: () => this.emit('teamChanged'),
      onVanished: (batch) => this.log.putBack(batch),
      sliceMs: options.applySliceMs,
      maxTeamTokens: this.limits.maxTeamTokens,
      forgotten: options.forgottenWriters,
    });
    this.watchdog = new LinkWatchdog({
      minMs: options.watchdogMs?.min ?? 2000,
      maxMs: options.watchdogMs?.max ?? 4000,
      lastActivity: (link) => (link.peer._pc ? (this.framed?.lastActivity(link.peer._pc) ?? 0) : 0),
      onReset: () => this.emit('linkReset'),
    });
  }

  /** The relay this session shares through, or undefined on the mesh. */
  get relayUrl(): string | undefined {
    return this.options.relay ?? this.options.invite.relay;
  }

  /** What the log view of the guards needs: our clock per writer, and the log's size. */
  private logView() {
    return { clockOf: (client: number) => Y.getState(this.doc.store, client), size: () => this.log.size() };
  }

  /** Rebuilds the team layer from the saved log and goes online. Attach listeners before. */
  start(): this {
    if (this.provider || this.relayLink) return this;
    const { invite } = this.options;
    const writerId = this.options.writerKey.id;
    if (this.options.savedState) this.restore(this.options.savedState);
    this.log.onChange((change) => {
      this.teamLayer.apply(change);
      // Our writer's batches from an earlier run: our current contribution replaces them.
      if (change.added.some((batch) => batch.writer === writerId)) setImmediate(() => this.closed || this.log.removeStale());
    });
    if (this.relayUrl) {
      this.startRelay(this.relayUrl);
      return this;
    }
    this.framed = framedWrtc(this.options.wrtc ?? this.startTransport(), {
      maxMessageBytes: this.limits.maxMessageBytes,
      maxSendQueueBytes: this.limits.maxSendQueueBytes,
      inspector: createMessageGuard(this.limits, { log: this.logView(), ownClientId: this.doc.clientID }),
      onReject: (reason) => this.emit('rejected', { writer: '?', batchId: '?', reason: `peer message dropped: ${reason}` }),
    });
    this.unguard = guardRoom(invite.room, {
      key: deriveRoomKey(invite.password, invite.room),
      accept: (data) => this.acceptSignal(data),
      onForeign: () => this.onForeignKnock(),
    });
    const provider = new WebrtcProvider(invite.room, this.doc, {
      signaling: invite.signaling,
      password: invite.password,
      peerOpts: { wrtc: this.framed, config: { iceServers: this.options.iceServers ?? [] } },
    });
    this.provider = provider;
    provider.awareness.setLocalState(localState(this.options.user, this.word));
    provider.awareness.on('change', () => this.emit('peers', this.peers()));
    provider.on('synced', ({ synced }: { synced: boolean }) => this.emit('synced', synced));
    this.ticker = setInterval(() => this.tick(), TICK_MS);
    return this;
  }

  private startTransport(): RemoteWrtc {
    this.transport = remoteWrtc({
      onExit: (reason) => this.emit('transportRestarted', `${reason}; links reconnect`),
      onError: (reason) => this.emit('rejected', { writer: '?', batchId: '?', reason }),
    });
    return this.transport;
  }

  /** The id of the process running WebRTC for this session, while one runs. */
  get transportPid(): number | undefined {
    return this.transport?.pid;
  }

  /** The relay path: the relay link module is loaded only by sessions that use it. */
  private startRelay(url: string): void {
    const { RelayLink } = require('../relay/relayLink') as typeof import('../relay/relayLink');
    const link = new RelayLink({
      url,
      room: this.options.invite.room,
      password: this.options.invite.password,
      doc: this.doc,
      limits: this.limits,
      log: this.logView(),
      compactAfterEntries: this.options.relayCompactAfterEntries,
    });
    this.relayLink = link;
    link.on('status', (connected) => this.emit('signaling', [{ url, connected }]));
    link.on('synced', () => this.emit('synced', true));
    link.on('presence', () => this.emit('peers', this.peers()));
    link.on('problem', (reason) => this.emit('rejected', { writer: '?', batchId: '?', reason }));
    link.start();
    link.setPresence(localState(this.options.user, this.word));
  }

  /**
   * Publishes local document changes (set: their tokens now; removed: undefined), gathered for
   * `publishDelayMs`: the latest change of each document wins. Secrets and tokens peers would
   * refuse to show are cut out first (a cut, '', stands where they were: no n-gram spans it).
   */
  publishDocuments(changes: Iterable<DocumentChange>): void {
    if (this.closed) return;
    let any = false;
    for (const { id, tokens } of changes) {
      // Re-inserted, so the documents go out in the order they last changed.
      this.pending.delete(id);
      this.pending.set(id, tokens);
      any = true;
    }
    if (any) this.publishTimer ??= setTimeout(() => this.flush(), this.options.publishDelayMs ?? 15);
  }

  /**
   * Publishes our whole contribution (the local memory's documents as token streams) as our
   * snapshot, e.g. right after joining: walked a slice at a time with the event loop free in
   * between, so a big memory is never held whole; secrets cut; within our share of the log
   * (limits.maxSnapshotBytes): documents in the order the source gives them until the budget is
   * full, each whole or not at all. Publish later local changes after it. Undefined if the session
   * closed meanwhile.
   */
  async publishSnapshotChunks(source: TextSnapshotSource): Promise<SnapshotReport | undefined> {
    this.flush();
    const budgetBytes = this.limits.maxSnapshotBytes;
    const report: SnapshotReport = { documents: 0, totalDocuments: source.documents, tokens: 0, totalTokens: source.tokens, bytes: 0, budgetBytes, cut: false };
    const group = new SnapshotGroup();
    // When a group does not fit what is left, its first half is tried, and so on: the budget is
    // filled before the walk stops.
    const append = (): boolean => {
      for (;;) {
        const room = this.room();
        const bytes = this.log.appendWithin({ records: group.records }, 'snapshot', Math.min(budgetBytes - report.bytes, room.bytes), room.batches);
        if (bytes !== undefined) {
          report.bytes += bytes;
          report.documents += group.size;
          for (const tokens of group.sourceTokens) report.tokens += tokens;
          group.clear();
          return !report.cut;
        }
        report.cut = true;
        if (group.size <= 1) return false;
        group.truncate(group.size >> 1);
      }
    };
    for await (const chunk of source.chunks()) {
      if (this.closed) return undefined;
      for (const { id, tokens } of chunk) {
        const record = this.record(id, tokens);
        // A document with nothing to share (empty, or all withheld) costs a record for nothing.
        if (record.tokens.length === 0) continue;
        group.add(record, tokens.length);
        if (group.full && !append()) return report;
      }
      await yieldToEventLoop();
    }
    if (group.size > 0 && !this.closed) append();
    return report;
  }

  /** publishSnapshotChunks for documents held whole. */
  publishSnapshot(documents: ReadonlyArray<{ id: string; tokens: readonly string[] }>): Promise<SnapshotReport | undefined> {
    return this.publishSnapshotChunks({
      documents: documents.length,
      tokens: documents.reduce((sum, doc) => sum + doc.tokens.length, 0),
      chunks: async function* () {
        for (let i = 0; i < documents.length; i += 256) {
          yield documents.slice(i, i + 256);
          await yieldToEventLoop();
        }
      },
    });
  }

  /**
   * Our record of a document: its key, and its tokens with what we never publish cut out (runs of
   * cuts and cuts at either end dropped: they separate nothing). No tokens: the chunk is removed.
   */
  private record(id: string, tokens: readonly string[] | undefined): TextRecord {
    const key = chunkKey(this.salt, id);
    if (!tokens || tokens.length === 0) return { key, tokens: [] };
    const shared = this.secretFilter.cut(tokens);
    const out: string[] = [];
    for (const token of shared) {
      if (token === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
      out.push(token);
    }
    if (out.length > 0 && out[out.length - 1] === '') out.pop();
    return { key, tokens: out };
  }

  /** Sends pending local changes now. */
  flush(): void {
    clearTimeout(this.publishTimer);
    this.publishTimer = undefined;
    if (this.closed || this.pending.size === 0) return;
    const records = [...this.pending].map(([id, tokens]) => this.record(id, tokens));
    const changes = this.pending;
    this.pending = new Map();
    if (!this.appendOwn({ records })) {
      // Kept, and tried again with the next change or after a while (others' compactions, or
      // writers leaving the log, make room); changes made meanwhile are newer and win.
      for (const [id, tokens] of this.pending) changes.set(id, tokens);
      this.pending = changes;
      if (!this.closed) (this.publishTimer = setTimeout(() => this.flush(), LOG_FULL_RETRY_MS)).unref();
      return;
    }
    const own = this.log.ownStats();
    if (own.deltaBatches > (this.options.compactAfterBatches ?? 64)) {
      // Fold the deltas; rewrite the snapshot too only once the deltas rival it in size.
      this.log.compact(own.deltaTokens * 4 > own.snapshotTokens);
    }
  }

  /**
   * What our appends may still take: every peer refuses a log past its caps (messageGuard.ts), and
   * closes the link that brought it, so a writer that appended past them would cut itself off.
   */
  private room(): { bytes: number; batches: number } {
    const size = this.log.size();
    return { bytes: this.limits.maxLogBytes - size.bytes, batches: this.limits.maxLogBatches - size.batches };
  }

  /** Appends a batch of our records if the log has room, folding our own deltas first when it has not. */
  private appendOwn(batch: TextBatch): boolean {
    for (let attempt = 0; attempt < 2; attempt++) {
      const room = this.room();
      if (this.log.appendWithin(batch, 'delta', room.bytes, room.batches) !== undefined) {
        this.logFull = false;
        return true;
      }
      if (attempt === 0) this.log.compact(false);
    }
    if (!this.logFull) {
      this.logFull = true;
      this.emit('logFull', { maxLogBytes: this.limits.maxLogBytes, maxLogBatches: this.limits.maxLogBatches });
    }
    return false;
  }

  /** The word this user is typing (shown in peers' light fields). */
  setWord(word: string): void {
    if (this.closed || word === this.word) return;
    this.word = word;
    this.provider?.awareness.setLocalState(localState(this.options.user, word));
    this.relayLink?.setPresence(localState(this.options.user, word));
  }

  peers(): PeerPresence[] {
    if (this.relayLink) return peersFromStates(this.relayLink.presence(), this.relayLink.relayDoc.clientID);
    return this.provider ? peersFromStates(this.provider.awareness.getStates(), this.doc.clientID) : [];
  }

  signaling(): SignalingStatus[] {
    if (this.relayLink && this.relayUrl) return [{ url: this.relayUrl, connected: this.relayLink.isConnected }];
    return (this.provider?.signalingConns ?? []).map((conn: { url: string; connected: boolean }) => ({ url: conn.url, connected: conn.connected }));
  }

  /** Applies everything received so far now (before saving the team memory). */
  drainTeam(): void {
    this.teamLayer.drain();
  }

  /** Resolves when everything received so far is in the team memory. */
  async whenTeamIdle(): Promise<void> {
    await this.relayLink?.whenIdle();
    return this.teamLayer.whenIdle();
  }

  /** Number of other writers' batches applied to the team memory. */
  get teamBatchCount(): number {
    return this.teamLayer.batchCount;
  }

  /** The writers whose documents hold an occurrence of `ngram` in the team memory (forgotten ones left out). */
  contributors(ngram: readonly string[]): string[] {
    return this.teamLayer.contributors(ngram);
  }

  /** Who taught what, from the team memory's documents (not the batches): kept after the session closes. */
  attribution(): Attribution {
    return this.teamLayer.attribution();
  }

  /** Writers whose batches the team layer has seen, counted or held. */
  teamWriters(): TeamWriter[] {
    return this.teamLayer.writers();
  }

  /** Takes `writer`'s documents out of the team memory; its batches, present and future, are held unapplied. */
  forgetWriter(writer: string): void {
    this.teamLayer.forget(writer);
  }

  /** Applies a forgotten writer's live batches again. */
  rememberWriter(writer: string): void {
    this.teamLayer.remember(writer);
  }

  /** The log as bytes, to save and pass back as `savedState` next time. */
  encodeState(): Uint8Array {
    return Y.encodeStateAsUpdate(this.doc);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    clearInterval(this.ticker);
    const provider = this.provider;
    if (provider) {
      provider.awareness.setLocalState(null);
      provider.disconnect();
      provider.destroy();
      await provider.key;
      await yieldToEventLoop();
    }
    await this.transport?.close();
    await this.relayLink?.close();
    this.unguard();
    this.log.destroy();
    this.doc.destroy();
    this.removeAllListeners();
  }

  private restore(saved: Uint8Array): void {
    let problem = savedLogProblem(saved, this.limits);
    if (!problem) {
      try {
        Y.applyUpdate(this.doc, saved);
      } catch (error) {
        problem = (error as Error).message;
      }
    }
    if (problem) this.emit('rejected', { writer: '?', batchId: '?', reason: `saved team log ignored: ${problem}` });
  }

  private tick(): void {
    const room = (this.provider as unknown as { room: { webrtcConns: Map<string, WatchedLink> } | null } | undefined)?.room;
    if (room) this.watchdog.check([...room.webrtcConns.values()]);
    const status = this.signaling();
    const state = JSON.stringify(status);
    if (state !== this.signalingState) {
      this.signalingState = state;
      this.emit('signaling', status);
    }
  }

  /** y-webrtc trusts decrypted signaling; only pass on what it can handle without throwing. */
  private acceptSignal(data: unknown): boolean {
    if (!data || typeof data !== 'object') return false;
    const message = data as { type?: unknown; from?: unknown; to?: unknown; signal?: unknown };
    if (typeof message.from !== 'string') return false;
    if (message.type === 'announce') return true;
    if (message.type !== 'signal' || typeof message.to !== 'string') return false;
    if (!message.signal || typeof message.signal !== 'object') return false;
    if ((message.signal as { type?: unknown }).type === 'answer') {
      const room = (this.provider as unknown as { room: { webrtcConns: Map<string, unknown> } | null } | undefined)?.room;
      return room?.webrtcConns.has(message.from) ?? false;
    }
    return true;
  }

  private onForeignKnock(): void {
    this.foreignKnocks++;
    const now = Date.now();
    if (now - this.lastForeignReport >= WRONG_PASSWORD_REPORT_MS) {
      this.lastForeignReport = now;
      this.emit('wrongPassword', this.foreignKnocks);
    }
  }
}
