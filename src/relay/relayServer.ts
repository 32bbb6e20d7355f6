// The team relay: a Hocuspocus server (3.4.x, Node 20) carrying sealed rooms, persisted per room
// under a data folder (SQLite through the database extension) and shared between instances through
// one Redis (the Redis extension). It reads nothing: a room is the sealed log of its peers
// (relayProtocol.ts). It admits a connection to a room only with the token whose hash names it,
// and holds every connection to the relay bounds (relayGuard.ts) before Hocuspocus applies a byte.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Server, type Extension } from '@hocuspocus/server';
import { Database } from '@hocuspocus/extension-database';
import type { WebSocket } from 'ws';
import type { Doc } from 'yjs';
import { withLimits } from '../share/limits';
import { RelayConnectionGuard, RoomTally } from './relayGuard';
import { documentNameOf, RELAY_LOG, relayLimitsFrom, type RelayLimits } from './relayProtocol';
import { RelayStore } from './relayStore';

export interface RelayServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** redis://host:port: several instances behind one Redis share their rooms live. */
  redis?: string;
  /** Folder the rooms are persisted in (created if missing); without it nothing outlives the process. */
  dataDir?: string;
  limits?: Partial<RelayLimits>;
  /** Messages a connection may send before it has authenticated (they wait in memory meanwhile). */
  maxMessagesBeforeAuth?: number;
  /** Persisting is gathered this long after a change (ms). */
  storeDelayMs?: number;
  log?: (line: string) => void;
}

export interface RelayServer {
  /** ws://host:port */
  url: string;
  port: number;
  /** Rooms loaded now and their connections. */
  stats(): { rooms: number; connections: number };
  close(): Promise<void>;
}

/** The close code of a connection whose message broke the relay's bounds. */
const REFUSED_CODE = 4403;

/** Hocuspocus refuses a connection with this when onAuthenticate throws it. */
class Refusal extends Error {
  readonly code = REFUSED_CODE;
  constructor(readonly reason: string) {
    super(reason);
  }
}

export async function startRelayServer(options: RelayServerOptions): Promise<RelayServer> {
  const log = options.log ?? (() => {});
  const limits = relayLimitsFrom(withLimits(), options.limits);
  const store = options.dataDir ? new RelayStore(options.dataDir) : undefined;
  const tallies = new WeakMap<Doc, RoomTally>();
  const guards = new WeakMap<object, { guard: RelayConnectionGuard; refused: boolean }>();
  /** The room's size, kept current by an observer so every update is judged against it without a walk. */
  const tallyOf = (document: Doc): RoomTally => {
    let tally = tallies.get(document);
    if (tally) return tally;
    tallies.set(document, (tally = new RoomTally()));
    const size = tally.held;
    const array = document.getArray<Uint8Array>(RELAY_LOG);
    for (const entry of array.toArray()) (size.entries++, (size.bytes += entry.byteLength));
    array.observe((event) => {
      for (const item of event.changes.added) for (const entry of item.content.getContent() as Uint8Array[]) (size.entries++, (size.bytes += entry.byteLength));
      for (const item of event.changes.deleted) for (const entry of item.content.getContent() as Uint8Array[]) (size.entries--, (size.bytes -= entry?.byteLength ?? 0));
    });
    return tally;
  };
  const extensions: Extension[] = [
    {
      async onAuthenticate({ token, documentName }) {
        // Only the token hashing to the room's name opens it: a client without the invite is refused.
        if (typeof token !== 'string' || documentNameOf(token) !== documentName) throw new Refusal('not a member of this room');
      },
      async afterLoadDocument({ document }) {
        tallyOf(document);
      },
      // The extension hook, not Connection.beforeHandleMessage: Hocuspocus handles the messages
      // that waited for authentication before its `connected` hook runs, and only the hook sees them.
      beforeHandleMessage({ connection, document, documentName, update }) {
        let state = guards.get(connection);
        if (!state) guards.set(connection, (state = { guard: new RelayConnectionGuard(limits, documentName, { rated: true, room: tallyOf(document) }), refused: false }));
        // A refused message is never handled, nor anything after it: Hocuspocus applies what this
        // promise lets through, and prints a stack for every rejection, so it stays pending.
        if (state.refused) return new Promise<void>(() => {});
        const verdict = state.guard.inspect(update);
        if (!verdict) return Promise.resolve();
        state.refused = true;
        log(`refused a message in room ${documentName.slice(0, 8)}…: ${verdict.reason}; connection closed`);
        connection.close({ code: REFUSED_CODE, reason: verdict.reason });
        return new Promise<void>(() => {});
      },
    },
  ];
  if (store) {
    extensions.push(
      new Database({
        fetch: async ({ documentName }) => store.fetch(documentName),
        store: async ({ documentName, state }) => store.store(documentName, state),
      }),
    );
  }
  if (options.redis) extensions.push(await redisExtension(options.redis, log));

  const server = new Server(
    {
      name: `light-network-relay-${randomBytes(4).toString('hex')}`,
      address: options.host,
      port: options.port,
      quiet: true,
      stopOnSignals: false,
      debounce: options.storeDelayMs ?? 1000,
      maxDebounce: 10_000,
      // A restart or a crash loses at most the debounce; a client reconnecting repeatedly cannot
      // make us store on every connect.
      unloadImmediately: false,
      extensions,
    },
    { maxPayload: limits.maxMessageBytes },
  );
  // The provider sends its token, a sync request and its presence, then waits for the answer
  // before sending anything queued: a few small messages.
  limitUnauthenticated(server, options.maxMessagesBeforeAuth ?? 16, 1024 * 1024);
  try {
    await server.listen();
  } catch (error) {
    store?.close();
    throw error;
  }
  const { port } = server.address;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `ws://${host}:${port}`,
    port,
    stats: () => ({ rooms: server.hocuspocus.getDocumentsCount(), connections: server.hocuspocus.getConnectionsCount() }),
    async close() {
      await server.destroy();
      // destroy() stores and unloads the rooms but leaves the sockets open (ws does not close a
      // server's clients): end them, so peers see the relay gone and retry, as after a crash.
      for (const socket of server.webSocketServer.clients) socket.terminate();
      store?.close();
    },
  };
}

/**
 * Hocuspocus keeps a connection's messages in memory until it authenticates: a client that never
 * does is cut off after a few messages or 1 MiB, so what waits is bounded.
 */
function limitUnauthenticated(server: Server, maxMessages: number, maxBytes: number): void {
  server.webSocketServer.on('connection', (socket: WebSocket, _request: IncomingMessage) => {
    let seen = 0;
    let bytes = 0;
    const count = (data: Buffer): void => {
      bytes += data.byteLength;
      if (++seen <= maxMessages && bytes <= maxBytes) return;
      socket.off('message', count);
      // Past the count, an authenticated connection is Hocuspocus's (and the guard's) alone.
      if (![...server.hocuspocus.documents.values()].some((document) => document.connections.has(socket))) socket.terminate();
    };
    socket.on('message', count);
  });
}

async function redisExtension(url: string, log: (line: string) => void): Promise<Extension> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`"${url}" is not a Redis address (expected redis://host:port)`);
  }
  if (parsed.protocol !== 'redis:') throw new Error(`Redis address "${url}" must start with redis://`);
  const { Redis } = await import('@hocuspocus/extension-redis');
  const { default: IORedis } = await import('ioredis');
  let reported = '';
  const createClient = () => {
    const client = new IORedis(url, { maxRetriesPerRequest: null, retryStrategy: (times) => Math.min(times * 200, 2000) });
    // A dead Redis is said once per outage, and ioredis keeps reconnecting.
    client.on('error', (error: Error) => {
      if (reported === error.message) return;
      reported = error.message;
      log(`redis ${parsed.host}: ${error.message} (retrying)`);
    });
    client.on('ready', () => {
      if (reported) log(`redis ${parsed.host}: connected again`);
      reported = '';
    });
    return client;
  };
  return new Redis({ createClient, prefix: 'light-network-relay' }) as unknown as Extension;
}
