// What peers and the relay say to each other, in one place: how a room's relay name, token and
// key come from the invite, how a log update and a presence state are sealed, and how a
// Hocuspocus frame is read for the bounds checks at both ends.
//
// The relay learns nothing: it sees only the hash of a token (its document name), the token
// itself, and sealed bytes. Name and token come from the room password through HKDF with their
// own labels, and so does the AES-256-GCM key, so knowing a token tells nothing of the key.
// The relay admits a token only to the document named by its hash: no room state to keep, any
// instance can check it, and without the invite no token fits a room.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import * as decoding from 'lib0/decoding';
import type { ShareLimits } from '../share/limits';
import { scanUpdate } from '../share/updateScan';

/** The relay document's one shared type: an append-only array of sealed log updates. */
export const RELAY_LOG = 'lightNetwork.sealedLog';
/** The awareness field a peer's sealed presence state travels in. */
export const SEALED_PRESENCE_FIELD = 'sealed';

const SEAL_VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Version byte, nonce, tag: the smallest sealed entry holds no plaintext at all. */
export const SEAL_OVERHEAD = 1 + NONCE_BYTES + TAG_BYTES;

// Hocuspocus's message types (@hocuspocus/common MessageType) and y-protocols' sync steps.
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;
export const MESSAGE_SYNC_REPLY = 4;
export const MESSAGE_STATELESS = 5;
export const MESSAGE_BROADCAST_STATELESS = 6;
export const MESSAGE_CLOSE = 7;
export const MESSAGE_SYNC_STATUS = 8;
export const SYNC_STEP1 = 0;
export const SYNC_STEP2 = 1;
export const SYNC_UPDATE = 2;

/** What a peer needs to reach a room through a relay, all derived from the invite. */
export interface RelayRoom {
  /** The relay's document name: the token's hash (base64url). */
  documentName: string;
  /** Shown to the relay on connect (Hocuspocus onAuthenticate). */
  token: string;
  /** AES-256-GCM key of every sealed entry and presence state: never leaves the peers. */
  key: Buffer;
  /** Bound into every seal, so an entry cannot be moved to another room. */
  aad: Buffer;
}

export function relayRoom(room: string, password: string): RelayRoom {
  const derive = (label: string): Buffer => Buffer.from(hkdfSync('sha256', password, room, label, 32));
  const token = derive('light-network relay token v1').toString('base64url');
  return { documentName: documentNameOf(token), token, key: derive('light-network relay seal v1'), aad: Buffer.from(room, 'utf8') };
}

/** The only document a token opens. */
export function documentNameOf(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

export function seal(room: RelayRoom, plain: Uint8Array): Uint8Array {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', room.key, nonce);
  cipher.setAAD(room.aad);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  // A plain Uint8Array: Yjs stores only exactly that as binary content (a Buffer is refused).
  return new Uint8Array(Buffer.concat([Buffer.of(SEAL_VERSION), nonce, body, cipher.getAuthTag()]));
}

/** The plaintext of a sealed entry, or undefined when it is not ours to read (another key, or tampered with). */
export function unseal(room: RelayRoom, sealed: Uint8Array): Uint8Array | undefined {
  if (sealed.byteLength < SEAL_OVERHEAD || sealed[0] !== SEAL_VERSION) return undefined;
  try {
    const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
    const decipher = createDecipheriv('aes-256-gcm', room.key, bytes.subarray(1, 1 + NONCE_BYTES));
    decipher.setAAD(room.aad);
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(1 + NONCE_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
  } catch {
    return undefined;
  }
}

export function sealPresence(room: RelayRoom, state: unknown): string {
  return Buffer.from(seal(room, Buffer.from(JSON.stringify(state), 'utf8'))).toString('base64');
}

export function unsealPresence(room: RelayRoom, sealed: unknown): unknown {
  if (typeof sealed !== 'string') return undefined;
  const plain = unseal(room, Buffer.from(sealed, 'base64'));
  if (!plain) return undefined;
  try {
    return JSON.parse(Buffer.from(plain).toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The bounds the relay and every peer hold a relay connection to (sizes in bytes). */
export interface RelayLimits {
  /** Largest WebSocket message (the first sync carries the whole sealed log). */
  maxMessageBytes: number;
  /** Largest sealed entry. */
  maxEntryBytes: number;
  /** Most Yjs structs and deletion ranges in one update. */
  maxItemsPerMessage: number;
  /** Items one connection may send per second after its burst. */
  itemsPerSecond: number;
  /** Bytes of updates one connection may send per second after its burst (of maxMessageBytes). */
  bytesPerSecond: number;
  /** Sync requests and presence queries per minute (each answer can be the whole log). */
  requestsPerMinute: number;
  /** Largest presence message. */
  maxPresenceBytes: number;
  /** Most bytes a room's sealed log may hold at the relay. */
  maxRoomBytes: number;
  /** Most entries a room's sealed log may hold at the relay. */
  maxRoomEntries: number;
}

/** Derived from the share limits, so a relay admits what a mesh peer would, plus the seal. */
export function relayLimitsFrom(share: ShareLimits, overrides: Partial<RelayLimits> = {}): RelayLimits {
  // A room holds the log's batches sealed, plus what peers put back after losses (a bit of each
  // twice at worst); the first sync sends the whole room in one message.
  const maxRoomBytes = overrides.maxRoomBytes ?? share.maxLogBytes * 2;
  const maxRoomEntries = overrides.maxRoomEntries ?? share.maxLogBatches * 2;
  const limits: RelayLimits = {
    maxMessageBytes: maxRoomBytes + 1024 * 1024,
    // One entry is one Yjs update of the log: a batch, or everything a peer puts back at once.
    maxEntryBytes: share.maxMessageBytes,
    // Entries plus deletion ranges of a whole room.
    maxItemsPerMessage: maxRoomEntries * 2,
    itemsPerSecond: share.peerItemsPerSecond,
    bytesPerSecond: 4 * 1024 * 1024,
    requestsPerMinute: share.peerRequestsPerMinute * 2,
    maxPresenceBytes: share.maxPresenceBytes,
    maxRoomBytes,
    maxRoomEntries,
    ...overrides,
  };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`relay limit ${name} must be a positive number`);
  }
  return limits;
}

/** A Hocuspocus frame, read far enough to judge it. */
export type RelayFrame =
  | { kind: 'sync-request'; documentName: string; clients: number }
  | { kind: 'update'; documentName: string; update: Uint8Array }
  | { kind: 'presence'; documentName: string; bytes: number }
  | { kind: 'presence-query'; documentName: string }
  | { kind: 'other'; documentName: string; type: number };

export function readFrame(message: Uint8Array): RelayFrame {
  const decoder = decoding.createDecoder(message);
  const documentName = decoding.readVarString(decoder);
  const type = decoding.readVarUint(decoder);
  if (type === MESSAGE_SYNC || type === MESSAGE_SYNC_REPLY) {
    const step = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    if (step === SYNC_STEP1) return { kind: 'sync-request', documentName, clients: decoding.readVarUint(decoding.createDecoder(payload)) };
    if (step === SYNC_STEP2 || step === SYNC_UPDATE) return { kind: 'update', documentName, update: payload };
    throw new Error(`unknown sync step ${step}`);
  }
  if (type === MESSAGE_AWARENESS) return { kind: 'presence', documentName, bytes: decoding.readVarUint8Array(decoder).byteLength };
  if (type === MESSAGE_QUERY_AWARENESS) return { kind: 'presence-query', documentName };
  return { kind: 'other', documentName, type };
}

/** The sealed entries an update appends, or why it is refused: only appends to the sealed log and deletions. */
export function screenSealedUpdate(update: Uint8Array, limits: RelayLimits): { items: number; entries: Uint8Array[] } | string {
  const shape = scanUpdate(update, RELAY_LOG, limits.maxItemsPerMessage);
  if (typeof shape === 'string') return shape;
  for (const binary of shape.binaries) {
    if (binary.bytes.byteLength > limits.maxEntryBytes) return `sealed entry of ${binary.bytes.byteLength} bytes is over the cap`;
    if (binary.bytes.byteLength < SEAL_OVERHEAD || binary.bytes[0] !== SEAL_VERSION) return 'an entry that is not sealed';
  }
  return { items: shape.items, entries: shape.binaries.map((binary) => binary.bytes) };
}
