// The WebSocket y-webrtc's signaling client uses (lib0 looks up `globalThis.WebSocket`, which Node
// 20 lacks). It screens what the signaling server relays before y-webrtc sees it: y-webrtc decrypts
// room messages in promise chains with no error handler, so one announcement from a peer with the
// wrong password is an unhandled rejection in every legitimate peer (HARNESS.md), and a malformed
// one can throw. Here each message of a guarded room is decrypted first; what fails is dropped and
// counted, and only well-formed messages are passed on, in their original order.
import * as decoding from 'lib0/decoding';
import * as string from 'lib0/string';
import NodeWebSocket from 'ws';

export interface GuardedRoom {
  key: Promise<CryptoKey>;
  /** Whether a decrypted signaling message is well-formed enough for y-webrtc. */
  accept(data: unknown): boolean;
  /** A message for this room failed to decrypt: someone holds the room name but not the password. */
  onForeign(): void;
}

const rooms = new Map<string, GuardedRoom>();
let installs = 0;
let previousWebSocket: unknown;

/** y-webrtc's key: PBKDF2(password, salt = room name) → AES-GCM 256. */
export async function deriveRoomKey(password: string, room: string): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', string.encodeUtf8(password), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', salt: string.encodeUtf8(room), iterations: 100_000, hash: 'SHA-256' },
    material,
    { name: 'AES-GCM', length: 256 },
    true,
    ['encrypt', 'decrypt'],
  );
}

export function guardRoom(room: string, guard: GuardedRoom): () => void {
  rooms.set(room, guard);
  installs++;
  if (installs === 1) {
    previousWebSocket = (globalThis as { WebSocket?: unknown }).WebSocket;
    (globalThis as { WebSocket?: unknown }).WebSocket = GuardedWebSocket;
  }
  return () => {
    if (rooms.get(room) === guard) rooms.delete(room);
    installs--;
    if (installs === 0) (globalThis as { WebSocket?: unknown }).WebSocket = previousWebSocket;
  };
}

type Handler = ((event: any) => void) | null;

/** Just what lib0/websocket uses of the browser WebSocket. */
class GuardedWebSocket {
  onopen: Handler = null;
  onclose: Handler = null;
  onerror: Handler = null;
  onmessage: Handler = null;
  binaryType = 'arraybuffer';
  private readonly socket: NodeWebSocket;
  private queue: Promise<void> = Promise.resolve();

  constructor(url: string) {
    this.socket = new NodeWebSocket(url, { maxPayload: 1024 * 1024 });
    this.socket.on('open', () => this.onopen?.({ type: 'open' }));
    this.socket.on('close', () => this.onclose?.({ type: 'close' }));
    this.socket.on('error', (error) => this.onerror?.(error));
    this.socket.on('message', (raw) => {
      const text = raw.toString();
      this.queue = this.queue.then(() => this.screen(text)).catch(() => undefined);
    });
  }

  get readyState(): number {
    return this.socket.readyState;
  }

  send(data: string): void {
    if (this.socket.readyState === NodeWebSocket.OPEN) this.socket.send(data);
  }

  close(): void {
    this.socket.close();
  }

  private async screen(text: string): Promise<void> {
    const message = parseObject(text);
    if (!message) return;
    if (message.type === 'publish' && typeof message.topic === 'string') {
      const room = rooms.get(message.topic);
      if (room) {
        const data = await decryptSignal(message.data, await room.key);
        if (data === undefined) return room.onForeign();
        if (!room.accept(data)) return;
      }
    }
    this.onmessage?.({ data: text });
  }
}

async function decryptSignal(data: unknown, key: CryptoKey): Promise<unknown> {
  if (typeof data !== 'string') return undefined;
  try {
    const decoder = decoding.createDecoder(new Uint8Array(Buffer.from(data, 'base64')));
    if (decoding.readVarString(decoder) !== 'AES-GCM') return undefined;
    const iv = decoding.readVarUint8Array(decoder);
    const cipher = decoding.readVarUint8Array(decoder);
    const plain = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, key, cipher));
    return decoding.readAny(decoding.createDecoder(plain));
  } catch {
    return undefined;
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
