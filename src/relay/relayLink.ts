// A session's path through a team relay: the Hocuspocus provider carrying a second Yjs document,
// the relay document, whose one array holds the session log's updates sealed with the room key.
// Every local update of the log is sealed and appended; every entry others append is unsealed and
// judged exactly as a mesh peer's message is (messageGuard.ts: shape, caps, signatures) before it
// touches the log, so the relay (not trusted either) and Redis only ever hold sealed bytes.
// After each sync, and whenever entries vanish from the relay (a relay restarted without its
// data, a member deleting), the link puts back, sealed, whatever of our log the relay no longer
// covers: nothing is lost, and Yjs item ids keep anything from being counted twice.
// The relay's log only grows (each publish is an entry; the session log's own compaction is one
// more), so once it holds more than `compactAfterEntries`, a member replaces every entry it has
// applied with our whole log, sealed (one entry per Yjs client, each within the item cap), in one
// transaction: entries others append meanwhile are untouched, and two members compacting at once
// leave two copies, which Yjs merges without counting anything twice.
import { EventEmitter } from 'node:events';
import { HocuspocusProvider, type HocuspocusProviderConfiguration } from '@hocuspocus/provider';
import * as Y from 'yjs';
import WebSocket, { type MessageEvent } from 'ws';
import type { ShareLimits } from '../share/limits';
import { screenUpdate, verifyInSlices, type LogView } from '../share/messageGuard';
import { RateBudget } from '../share/rateBudget';
import { RelayConnectionGuard } from './relayGuard';
import { RELAY_LOG, relayLimitsFrom, relayRoom, seal, SEALED_PRESENCE_FIELD, sealPresence, unseal, unsealPresence, type RelayLimits, type RelayRoom } from './relayProtocol';

export interface RelayLinkOptions {
  /** ws://host:port of any relay instance of the team. */
  url: string;
  room: string;
  password: string;
  /** The session's log document. */
  doc: Y.Doc;
  limits: ShareLimits;
  relayLimits?: Partial<RelayLimits>;
  /** Our copy of the log, for the caps and for what is known already. */
  log: LogView;
  /** Reconnect delays (ms); the provider backs off between them. */
  reconnect?: { min: number; max: number };
  /** The relay log is compacted once it holds more entries than this (default 512). */
  compactAfterEntries?: number;
}

export interface RelayLinkEvents {
  /** Connected to the relay or not (it reconnects by itself). */
  status: [boolean];
  synced: [];
  /** Presence states changed. */
  presence: [];
  /** Something from the relay was refused, or the relay refused us. */
  problem: [string];
}

/** Plaintext update meta: the Yjs clock ranges an entry holds, per client. */
type Coverage = { from: Map<number, number>; to: Map<number, number> };
type Arrival = { entry: Uint8Array; author: number; key: string };

function itemKey(client: number, clock: number): string {
  return `${client}:${clock}`;
}

export class RelayLink extends EventEmitter<RelayLinkEvents> {
  readonly relayDoc = new Y.Doc();
  private readonly sealedLog = this.relayDoc.getArray<Uint8Array>(RELAY_LOG);
  private readonly room: RelayRoom;
  private readonly relayLimits: RelayLimits;
  private provider: HocuspocusProvider | undefined;
  /** What each entry of the relay's log holds that we could read, by its Yjs item id (Yjs copies the bytes). */
  private readonly coverage = new Map<string, Coverage>();
  /** Sealed entries in arrival order, each with its id and author (the relay document client that appended it). */
  private readonly incoming: Arrival[] = [];
  /** Entries whose updates need items another entry brings first (judged again after each apply). */
  private waiting: Arrival[] = [];
  private readonly budgets = new Map<number, RateBudget>();
  private working: Promise<void> = Promise.resolve();
  private busy = false;
  private reconcileWanted = false;
  private compactTimer: NodeJS.Timeout | undefined;
  private reconcileTimer: NodeJS.Timeout | undefined;
  private connected = false;
  private closed = false;
  private readonly onLocalUpdate = (update: Uint8Array, origin: unknown): void => this.sendLocal(update, origin);

  constructor(private readonly options: RelayLinkOptions) {
    super();
    this.room = relayRoom(options.room, options.password);
    this.relayLimits = relayLimitsFrom(options.limits, options.relayLimits);
  }

  start(): this {
    const guard = new RelayConnectionGuard(this.relayLimits, this.room.documentName, { rated: false });
    const reconnect = this.options.reconnect ?? { min: 500, max: 5000 };
    this.sealedLog.observe((event) => {
      if (event.transaction.local) return; // our own entries: coverage noted when sealed
      for (const item of event.changes.added) {
        const entries = item.content.getContent() as Uint8Array[];
        entries.forEach((entry, i) => this.incoming.push({ entry, author: item.id.client, key: itemKey(item.id.client, item.id.clock + i) }));
      }
      for (const item of event.changes.deleted) {
        for (let i = 0; i < item.length; i++) this.coverage.delete(itemKey(item.id.client, item.id.clock + i));
      }
      if (event.changes.deleted.size > 0) this.scheduleReconcile();
      this.work();
    });
    this.options.doc.on('update', this.onLocalUpdate);
    const provider = new GuardedProvider(
      {
        url: this.options.url,
        name: this.room.documentName,
        document: this.relayDoc,
        token: this.room.token,
        WebSocketPolyfill: cappedWebSocket(this.relayLimits.maxMessageBytes),
        delay: reconnect.min,
        minDelay: reconnect.min,
        maxDelay: reconnect.max,
        factor: 1.5,
      } as HocuspocusProviderConfiguration,
      (message) => guard.inspect(message)?.reason,
      (reason) => this.emit('problem', `relay message dropped: ${reason}`),
    );
    this.provider = provider;
    // Said once per change, and at the first failed attempt too: a dead relay is reported, then retried.
    let said: boolean | undefined;
    const say = (connected: boolean): void => {
      this.connected = connected;
      if (said !== connected) this.emit('status', (said = connected));
    };
    provider.on('status', ({ status }: { status: string }) => status === 'connected' && say(true));
    // The provider reconnects by itself, backing off between reconnect.min and reconnect.max.
    provider.on('close', () => say(false));
    provider.on('authenticationFailed', ({ reason }: { reason: string }) => this.emit('problem', `the relay refused this room: ${reason}`));
    provider.on('synced', ({ state }: { state: boolean }) => {
      if (!state) return;
      this.scheduleReconcile();
      this.work();
      this.emit('synced');
    });
    provider.awareness?.on('change', () => this.emit('presence'));
    return this;
  }

  get isConnected(): boolean {
    return this.connected;
  }

  /** Our presence, sealed: the relay relays it without reading it. */
  setPresence(state: unknown): void {
    this.provider?.awareness?.setLocalState(state === null ? null : { [SEALED_PRESENCE_FIELD]: sealPresence(this.room, state) });
  }

  /** Others' presence states, unsealed (those that are not sealed with the room key are left out). */
  presence(): Map<number, unknown> {
    const states = new Map<number, unknown>();
    for (const [client, state] of this.provider?.awareness?.getStates() ?? []) {
      if (client === this.relayDoc.clientID) continue;
      const plain = unsealPresence(this.room, (state as Record<string, unknown>)[SEALED_PRESENCE_FIELD]);
      if (plain !== undefined) states.set(client, plain);
    }
    return states;
  }

  /** Resolves when every entry received so far has been judged (and applied or refused). */
  async whenIdle(): Promise<void> {
    while (this.busy) await this.working;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.compactTimer);
    clearTimeout(this.reconcileTimer);
    this.options.doc.off('update', this.onLocalUpdate);
    const provider = this.provider;
    if (provider) {
      provider.awareness?.setLocalState(null);
      provider.destroy();
    }
    await this.working;
    this.relayDoc.destroy();
    this.removeAllListeners();
  }

  private sendLocal(update: Uint8Array, origin: unknown): void {
    if (origin === this || this.closed) return;
    this.append(update);
  }

  private append(plain: Uint8Array): void {
    const entry = seal(this.room, plain);
    this.coverage.set(itemKey(this.relayDoc.clientID, Y.getState(this.relayDoc.store, this.relayDoc.clientID)), Y.parseUpdateMeta(plain));
    this.relayDoc.transact(() => this.sealedLog.push([entry]), this);
  }

  private work(): void {
    if (this.busy || this.closed) return;
    this.busy = true;
    this.working = this.drain();
  }

  /**
   * Works through what arrived. Entries can arrive while the last look is being wound up (the
   * provider reports "synced" and applies the update in one go, and our drain ends a few
   * microtasks later): whatever came meanwhile starts the next drain.
   */
  private async drain(): Promise<void> {
    try {
      await this.drainSteps();
    } finally {
      this.busy = false;
      if (this.incoming.length > 0 || this.reconcileWanted) this.work();
    }
  }

  private async drainSteps(): Promise<void> {
    for (;;) {
      if (this.closed) return;
      const next = this.incoming.shift();
      if (next) {
        await this.take(next);
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      if (this.reconcileWanted) {
        this.reconcileWanted = false;
        this.reconcile();
      }
      if (this.incoming.length === 0) {
        this.considerCompacting();
        return;
      }
    }
  }

  /** Judges one sealed entry and applies it to the log when it passes. */
  private async take(arrival: Arrival): Promise<void> {
    const { entry, author } = arrival;
    const plain = unseal(this.room, entry);
    if (!plain) return void this.emit('problem', 'an entry not sealed with this room key was ignored');
    const screened = screenUpdate(plain, this.options.limits, this.options.log);
    if (typeof screened === 'string') {
      // Entries may reach us out of order (after a relay lost some, or a peer put back): wait for the rest.
      if (/do not have|wait forever/.test(screened)) {
        // It holds its items for the relay's log all the same (after a compaction, parts wait for
        // each other): counted as covering them, so nothing is put back twice meanwhile.
        this.coverage.set(arrival.key, Y.parseUpdateMeta(plain));
        return void this.waiting.push(arrival);
      }
      return void this.emit('problem', `entry refused: ${screened}`);
    }
    // The relay holds each connection to its rate; here each author (whatever connection it used) to a mesh link's.
    let budget = this.budgets.get(author);
    if (!budget) this.budgets.set(author, (budget = new RateBudget(this.options.limits.maxItemsPerMessage, this.options.limits.peerItemsPerSecond)));
    while (!budget.take(Math.min(screened.items, this.options.limits.maxItemsPerMessage))) {
      if (this.closed) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const verdict = await verifyInSlices(screened.batches);
    if (verdict && 'reason' in verdict) return void this.emit('problem', `entry refused: ${verdict.reason}`);
    this.apply(plain, arrival.key);
    this.retryWaiting();
  }

  private apply(plain: Uint8Array, key: string): void {
    if (this.closed) return;
    Y.applyUpdate(this.options.doc, plain, this);
    this.coverage.set(key, Y.parseUpdateMeta(plain));
  }

  /** Entries that waited for items another entry brings: judged again now that one was applied. */
  private retryWaiting(): void {
    if (this.waiting.length === 0) return;
    this.incoming.unshift(...this.waiting);
    this.waiting = [];
  }

  /**
   * Looks for what the relay no longer covers after a random wait: when entries vanish, every
   * member sees it at once, and without the wait each would put back its whole log (fifty copies
   * for fifty members); with it, usually one does and the others then find everything covered.
   */
  private scheduleReconcile(): void {
    if (this.reconcileTimer || this.closed) return;
    this.reconcileTimer = setTimeout(() => {
      this.reconcileTimer = undefined;
      this.reconcileWanted = true;
      this.work();
    }, 100 + Math.random() * 1500);
  }

  /**
   * Schedules a compaction when the relay log is long, after a random wait (so that of members
   * seeing the same log, usually one acts and the others then see it short).
   */
  private considerCompacting(): void {
    const limit = this.options.compactAfterEntries ?? 512;
    if (this.compactTimer || this.closed || this.sealedLog.length <= limit) return;
    this.compactTimer = setTimeout(() => {
      this.compactTimer = undefined;
      if (this.closed || this.busy || this.waiting.length > 0 || this.incoming.length > 0 || !this.connected) return;
      if (this.sealedLog.length <= limit) return;
      this.compact();
    }, 200 + Math.random() * 2000);
  }

  /** Replaces every entry of the relay log with our log, sealed, per Yjs client. */
  private compact(): void {
    const doc = this.options.doc;
    const ours = Y.decodeStateVector(Y.encodeStateVector(doc));
    const parts: Uint8Array[] = [];
    for (const client of ours.keys()) {
      // Everything of the others known already: this part holds one client's items (and the delete set).
      const others = new Map(ours);
      others.set(client, 0);
      parts.push(Y.encodeStateAsUpdate(doc, Y.encodeStateVector(others)));
    }
    const sealed = parts.map((plain) => ({ plain, entry: seal(this.room, plain) }));
    const first = Y.getState(this.relayDoc.store, this.relayDoc.clientID);
    this.relayDoc.transact(() => {
      this.sealedLog.delete(0, this.sealedLog.length);
      this.sealedLog.push(sealed.map((part) => part.entry));
    }, this);
    this.coverage.clear();
    sealed.forEach((part, i) => this.coverage.set(itemKey(this.relayDoc.clientID, first + i), Y.parseUpdateMeta(part.plain)));
  }

  /**
   * Puts back, sealed, what of our log the relay's entries no longer cover: per Yjs client, the
   * clock from which no entry holds its items on. Entries not readable (not sealed with our key)
   * cover nothing.
   */
  private reconcile(): void {
    if (this.closed) return;
    const ranges = new Map<number, [number, number][]>();
    for (const meta of this.coverage.values()) {
      for (const [client, from] of meta.from) {
        let list = ranges.get(client);
        if (!list) ranges.set(client, (list = []));
        list.push([from, meta.to.get(client) ?? from]);
      }
    }
    const ours = Y.decodeStateVector(Y.encodeStateVector(this.options.doc));
    const covered = new Map<number, number>();
    let missing = false;
    for (const [client, clock] of ours) {
      let reach = 0;
      for (const [from, to] of (ranges.get(client) ?? []).sort((a, b) => a[0] - b[0])) {
        if (from > reach) break;
        reach = Math.max(reach, to);
      }
      covered.set(client, Math.min(reach, clock));
      if (reach < clock) missing = true;
    }
    if (missing) this.append(Y.encodeStateAsUpdate(this.options.doc, Y.encodeStateVector(covered)));
  }
}

/** The provider, with every message from the relay judged before Hocuspocus and Yjs read it. */
class GuardedProvider extends HocuspocusProvider {
  private screen: ((message: Uint8Array) => string | undefined) | undefined;
  private onDropped: ((reason: string) => void) | undefined;

  constructor(
    configuration: HocuspocusProviderConfiguration,
    screen: (message: Uint8Array) => string | undefined,
    onDropped: (reason: string) => void,
  ) {
    super(configuration);
    this.screen = screen;
    this.onDropped = onDropped;
  }

  override onMessage(event: MessageEvent): void {
    const raw = event.data as ArrayBuffer | Buffer;
    const data = raw instanceof ArrayBuffer ? new Uint8Array(raw) : new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
    const reason = this.screen?.(data);
    if (reason) {
      this.onDropped?.(reason);
      // A dropped update leaves us out of step: start over with a fresh connection and sync.
      (this.configuration.websocketProvider as unknown as { webSocket: WebSocket | null }).webSocket?.close();
      return;
    }
    super.onMessage(event);
  }
}

/** The ws client, refusing any message larger than the relay limits allow. */
function cappedWebSocket(maxPayload: number): typeof WebSocket {
  return class CappedWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { maxPayload });
    }
  } as typeof WebSocket;
}
