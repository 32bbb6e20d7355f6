// A signaling server that speaks y-webrtc's protocol (subscribe / unsubscribe / publish / ping),
// bound to the address the user picks. y-webrtc's own bin/server.js listens on every interface;
// this one never does unless asked, caps message sizes and topics, and drops silent clients.
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
  const pingIntervalMs = options.pingIntervalMs ?? 30_000;
  const log = options.log ?? (() => {});
  const topics = new Map<string, Set<WebSocket>>();

  const server = http.createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/plain' });
    response.end('Light Network signaling server\n');
  });
  const wss = new WebSocketServer({ server, maxPayload: options.maxMessageBytes ?? 256 * 1024 });
  // ws re-emits the HTTP server's errors (EADDRINUSE…); listen() below reports them to the caller.
  wss.on('error', (error) => log(`signaling server error: ${error.message}`));

  wss.on('connection', (socket) => {
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
            subscribed.add(topic);
            let subscribers = topics.get(topic);
            if (!subscribers) topics.set(topic, (subscribers = new Set()));
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

function send(socket: WebSocket, text: string): void {
  if (socket.readyState !== socket.OPEN) return;
  try {
    socket.send(text);
  } catch {
    socket.terminate();
  }
}
