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
});
