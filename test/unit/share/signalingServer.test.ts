import { strict as assert } from 'node:assert';
import WebSocket from 'ws';
import { startSignalingServer, type SignalingServer } from '../../../src/share/signalingServer';

function connect(url: string): Promise<{ socket: WebSocket; messages: unknown[] }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const messages: unknown[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(data.toString())));
    socket.once('open', () => resolve({ socket, messages }));
    socket.once('error', reject);
  });
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

describe('share/signalingServer', () => {
  let server: SignalingServer;
  afterEach(async () => server?.close());

  it('binds only the address asked for and relays y-webrtc publish messages to subscribers', async () => {
    server = await startSignalingServer({ host: '127.0.0.1', port: 0 });
    assert.equal(server.host, '127.0.0.1');
    assert.match(server.url, /^ws:\/\/127\.0\.0\.1:\d+$/);
    const a = await connect(server.url);
    const b = await connect(server.url);
    const c = await connect(server.url);
    a.socket.send(JSON.stringify({ type: 'subscribe', topics: ['room-1'] }));
    b.socket.send(JSON.stringify({ type: 'subscribe', topics: ['room-1'] }));
    c.socket.send(JSON.stringify({ type: 'subscribe', topics: ['room-2'] }));
    await settle();
    a.socket.send(JSON.stringify({ type: 'publish', topic: 'room-1', data: 'hello' }));
    c.socket.send(JSON.stringify({ type: 'ping' }));
    await settle();
    assert.deepEqual(b.messages, [{ type: 'publish', topic: 'room-1', data: 'hello', clients: 2 }]);
    assert.deepEqual(c.messages, [{ type: 'pong' }]);
    b.socket.send(JSON.stringify({ type: 'unsubscribe', topics: ['room-1'] }));
    await settle();
    a.socket.send(JSON.stringify({ type: 'publish', topic: 'room-1', data: 'again' }));
    await settle();
    assert.equal(b.messages.length, 1);
    for (const client of [a, b, c]) client.socket.close();
  });

  it('survives garbage and oversized messages', async () => {
    server = await startSignalingServer({ host: '127.0.0.1', port: 0, maxMessageBytes: 1024 });
    const a = await connect(server.url);
    a.socket.send('not json');
    a.socket.send(JSON.stringify([1, 2]));
    a.socket.send(JSON.stringify({ type: 'subscribe', topics: 'nope' }));
    const closed = new Promise((resolve) => a.socket.once('close', resolve));
    a.socket.send('x'.repeat(5000));
    await closed;
    const b = await connect(server.url);
    b.socket.send(JSON.stringify({ type: 'ping' }));
    await settle();
    assert.deepEqual(b.messages, [{ type: 'pong' }]);
    b.socket.close();
  });

  it('reports a port already in use', async () => {
    server = await startSignalingServer({ host: '127.0.0.1', port: 0 });
    await assert.rejects(startSignalingServer({ host: '127.0.0.1', port: server.port }), /EADDRINUSE/);
  });

  it('disconnects a subscriber that does not read instead of buffering for it without end', async () => {
    const cap = 512 * 1024;
    server = await startSignalingServer({ host: '127.0.0.1', port: 0, maxBufferedBytes: cap });
    const publisher = await connect(server.url);
    const stuck = await connect(server.url);
    const reader = await connect(server.url);
    for (const c of [stuck, reader]) c.socket.send(JSON.stringify({ type: 'subscribe', topics: ['room'] }));
    await settle();
    (stuck.socket as unknown as { _socket: { pause(): void } })._socket.pause(); // never reads again
    const closed = new Promise((resolve) => stuck.socket.once('close', resolve));
    const data = 'x'.repeat(200 * 1024);
    const total = 40 * 1024 * 1024;
    for (let sent = 0; sent < total; sent += data.length) {
      publisher.socket.send(JSON.stringify({ type: 'publish', topic: 'room', data }));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await waitFor(() => reader.messages.length * data.length >= total, 'the reader got everything');
    (stuck.socket as unknown as { _socket: { resume(): void } })._socket.resume();
    await closed;
    assert.ok(stuck.messages.length * data.length < total / 2, `the stuck client was sent ${stuck.messages.length} of ${reader.messages.length}`);
    assert.equal(server.clientCount(), 2);
    for (const c of [publisher, reader]) c.socket.close();
  });

  it('caps connections per address and in all', async () => {
    server = await startSignalingServer({ host: '127.0.0.1', port: 0, maxConnectionsPerAddress: 3, maxConnections: 5 });
    const first = await Promise.all([1, 2, 3].map(() => connect(server.url)));
    await assert.rejects(connect(server.url), /429/);
    first[0].socket.close();
    await waitFor(() => server.clientCount() === 2, 'the server saw the close');
    const again = await connect(server.url);
    assert.equal(server.clientCount(), 3);
    for (const c of [...first, again]) c.socket.close();
    await waitFor(() => server.clientCount() === 0, 'all closed');
    server.close();
    server = await startSignalingServer({ host: '127.0.0.1', port: 0, maxConnectionsPerAddress: 100, maxConnections: 2 });
    const two = await Promise.all([1, 2].map(() => connect(server.url)));
    await assert.rejects(connect(server.url), /503/);
    for (const c of two) c.socket.close();
  });

  it('caps the topics held in all', async () => {
    server = await startSignalingServer({ host: '127.0.0.1', port: 0, maxTopics: 5, maxTopicsPerClient: 100 });
    const a = await connect(server.url);
    const b = await connect(server.url);
    a.socket.send(JSON.stringify({ type: 'subscribe', topics: Array.from({ length: 50 }, (_, i) => `t${i}`) }));
    await settle();
    b.socket.send(JSON.stringify({ type: 'subscribe', topics: ['t3', 'late'] }));
    await settle();
    b.socket.send(JSON.stringify({ type: 'publish', topic: 't3', data: 'in' }));
    a.socket.send(JSON.stringify({ type: 'publish', topic: 'late', data: 'out' }));
    await settle();
    assert.deepEqual(b.messages, [{ type: 'publish', topic: 't3', data: 'in', clients: 2 }], 'an existing topic is joined, no new one made past the cap');
    for (const c of [a, b]) c.socket.close();
  });

  it('refuses pages from origins not allowed, and admits clients that send none', async () => {
    server = await startSignalingServer({ host: '127.0.0.1', port: 0, allowedOrigins: ['vscode-webview://ok'] });
    const open = (origin?: string) =>
      new Promise<void>((resolve, reject) => {
        const socket = new WebSocket(server.url, origin ? { origin } : {});
        socket.once('open', () => (socket.close(), resolve()));
        socket.once('error', reject);
      });
    await assert.rejects(open('https://evil.example'), /403/);
    await open('vscode-webview://ok');
    await open();
  });
});

async function waitFor(probe: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
