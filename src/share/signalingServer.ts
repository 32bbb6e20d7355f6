// A signaling server that speaks y-webrtc's protocol (subscribe / unsubscribe / publish / ping),
// bound to the address the user picks. y-webrtc's own bin/server.js listens on every interface;
// this one never does unless asked, and bounds what any client can make it hold: message sizes,
// connections per address and in all, topics per client and in all, and each client's unsent
// output (a subscriber that does not read is cut off rather than buffered for without end). It
// refuses browser pages from origins not allowed (a web page could otherwise use a server on the
// user's machine); Node clients, such as the extension's, send no Origin.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface SignalingServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Largest signaling message accepted (SDP offers are a few KiB). */
  maxMessageBytes?: number;
  maxTopicsPerClient?: number;
  /** Topics held at once, all clients together (default 10,000). */
  maxTopics?: number;
  /** Open connections from one address (default 32). */
  maxConnectionsPerAddress?: number;
  /** Open connections in all (default 1,024). */
  maxConnections?: number;
  /** Output waiting for one client; past it the client is disconnected (default 1 MiB). */
  maxBufferedBytes?: number;
  /** Origins (scheme://host[:port]) whose pages may connect; requests without Origin always may (default none). */
  allowedOrigins?: string[];
  pingIntervalMs?: number;
  log?: (message: string) => void;
}

export interface SignalingServer {
  readonly host: string;
  readonly port: number;
  /** ws://host:port, the address to put in the signaling setting. */
  readonly url: string;
  clientCount(): number;
  close(): Promise<void>;
}

export async function startSignalingServer(options: SignalingServerOptions): Promise<SignalingServer> {
  const maxTopics = options.maxTopicsPerClient ?? 64;
  const maxTopicsInAll = options.maxTopics ?? 10_000;
  const maxPerAddress = options.maxConnectionsPerAddress ?? 32;
  const maxConnections = options.maxConnections ?? 1024;
  const maxBufferedBytes = options.maxBufferedBytes ?? 1024 * 1024;
  const allowedOrigins = new Set(options.allowedOrigins ?? []);
  const pingIntervalMs = options.pingIntervalMs ?? 30_000;
  const log = options.log ?? (() => {});
  const topics = new Map<string, Set<WebSocket>>();
  const perAddress = new Map<string, number>();
  let connections = 0;

  const server = http.createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/plain' });
    response.end('Light Network signaling server\n');
  });
  const wss = new WebSocketServer({
    server,
    maxPayload: options.maxMessageBytes ?? 256 * 1024,
    // Refused before the upgrade, so a refused client costs no socket state here.
    verifyClient: ({ origin, req }: { origin?: string; req: http.IncomingMessage }, done: (ok: boolean, code?: number, message?: string) => void) => {
      if (origin !== undefined && !allowedOrigins.has(origin)) return done(false, 403, 'origin not allowed');
      if (connections >= maxConnections) return done(false, 503, 'too many connections');
      if ((perAddress.get(addressOf(req)) ?? 0) >= maxPerAddress) return done(false, 429, 'too many connections from this address');
      done(true);
    },
  });
  // ws re-emits the HTTP server's errors (EADDRINUSE…); listen() below reports them to the caller.
  wss.on('error', (error) => log(`signaling server error: ${error.message}`));

  wss.on('connection', (socket, request) => {
    const address = addressOf(request);
    connections++;
    perAddress.set(address, (perAddress.get(address) ?? 0) + 1);
    const subscribed = new Set<string>();
    let alive = true;
    const ping = setInterval(() => {
      if (!alive) return socket.terminate();
      alive = false;
      socket.ping();
    }, pingIntervalMs);
    socket.on('pong', () => (alive = true));
    socket.on('error', () => socket.terminate());
    socket.on('close', () => {
      connections--;
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left > 0) perAddress.set(address, left);
      else perAddress.delete(address);
      clearInterval(ping);
      for (const topic of subscribed) unsubscribe(topic, socket);
    });
    socket.on('message', (raw) => {
      alive = true;
      const message = parse(raw.toString());
      if (!message) return;
      switch (message.type) {
        case 'subscribe':
          for (const topic of topicList(message.topics)) {
            if (subscribed.size >= maxTopics) break;
            let subscribers = topics.get(topic);
            if (!subscribers) {
              if (topics.size >= maxTopicsInAll) break;
              topics.set(topic, (subscribers = new Set()));
            }
            subscribed.add(topic);
            subscribers.add(socket);
          }
          break;
        case 'unsubscribe':
          for (const topic of topicList(message.topics)) {
            subscribed.delete(topic);
            unsubscribe(topic, socket);
          }
          break;
        case 'publish': {
          if (typeof message.topic !== 'string') return;
          const receivers = topics.get(message.topic);
          if (!receivers) return;
          const out = JSON.stringify({ ...message, clients: receivers.size });
          for (const receiver of receivers) send(receiver, out);
          break;
        }
        case 'ping':
          send(socket, JSON.stringify({ type: 'pong' }));
          break;
      }
    });
  });

  function send(socket: WebSocket, text: string): void {
    if (socket.readyState !== socket.OPEN) return;
    // Backpressure: a client that does not read what it is sent is disconnected, not buffered for.
    if (socket.bufferedAmount + text.length > maxBufferedBytes) {
      log('signaling client disconnected: it does not read what it is sent');
      socket.terminate();
      return;
    }
    try {
      socket.send(text);
    } catch {
      socket.terminate();
    }
  }

  function unsubscribe(topic: string, socket: WebSocket): void {
    const subscribers = topics.get(topic);
    if (!subscribers) return;
    subscribers.delete(socket);
    if (subscribers.size === 0) topics.delete(topic);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `ws://${hostForUrl}:${address.port}`;
  log(`signaling server listening on ${url}`);

  return {
    host: address.address,
    port: address.port,
    url,
    clientCount: () => wss.clients.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function topicList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((topic): topic is string => typeof topic === 'string' && topic.length <= 256) : [];
}

function addressOf(request: http.IncomingMessage): string {
  return request.socket.remoteAddress ?? '?';
}
