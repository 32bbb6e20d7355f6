// Invite codes: everything a joiner needs (random room, password, signaling addresses or the
// team relay's address) in one pasteable string. Room names are random because the signaling server sees them; the password
// keys y-webrtc's encryption of signaling, so only holders of the code can connect.
import { randomBytes } from 'node:crypto';

const PREFIX = 'lnet1.';
const ROOM_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
const MAX_SIGNALING_URLS = 8;

export interface Invite {
  room: string;
  password: string;
  /** Signaling server addresses (ws:// or wss://); empty when the session uses a relay. */
  signaling: string[];
  /** The team relay (ws:// or wss://) the session shares through, if it does not use the mesh. */
  relay?: string;
}

export class InviteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InviteError';
  }
}

export function createInvite(signaling: string[], relay?: string): Invite {
  const invite: Invite = {
    room: `ln-${randomBytes(18).toString('base64url')}`,
    password: randomBytes(24).toString('base64url'),
    signaling,
    ...(relay ? { relay } : {}),
  };
  validateInvite(invite);
  return invite;
}

export function encodeInvite(invite: Invite): string {
  validateInvite(invite);
  const json = JSON.stringify({ r: invite.room, p: invite.password, s: invite.signaling, ...(invite.relay ? { v: invite.relay } : {}) });
  return PREFIX + Buffer.from(json, 'utf8').toString('base64url');
}

export function decodeInvite(code: string): Invite {
  const trimmed = code.trim();
  if (!trimmed.startsWith(PREFIX)) throw new InviteError('not a Light Network invite code (it should start with "lnet1.")');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(trimmed.slice(PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    throw new InviteError('the invite code is damaged (copy it again, whole)');
  }
  const fields = (parsed ?? {}) as { r?: unknown; p?: unknown; s?: unknown; v?: unknown };
  const invite = { room: fields.r, password: fields.p, signaling: fields.s ?? [], ...(fields.v !== undefined ? { relay: fields.v } : {}) } as Invite;
  validateInvite(invite);
  return invite;
}

export function validateSignalingUrl(url: string, what = 'signaling'): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InviteError(`"${url}" is not a ${what} address (expected ws://host:port)`);
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
    throw new InviteError(`${what} address "${url}" must start with ws:// or wss://`);
  }
}

/** A team relay's address: ws://host:port or wss://… */
export function validateRelayUrl(url: string): void {
  validateSignalingUrl(url, 'relay');
}

function validateInvite(invite: Invite): void {
  if (typeof invite.room !== 'string' || !ROOM_PATTERN.test(invite.room)) throw new InviteError('the invite code holds no valid room');
  if (typeof invite.password !== 'string' || invite.password.length < 16 || invite.password.length > 128) {
    throw new InviteError('the invite code holds no valid password');
  }
  if (invite.relay !== undefined) {
    if (typeof invite.relay !== 'string' || invite.relay.length > 2048) throw new InviteError('the invite code holds a bad relay address');
    validateRelayUrl(invite.relay);
  }
  const needsSignaling = invite.relay === undefined;
  if (!Array.isArray(invite.signaling) || (needsSignaling && invite.signaling.length === 0) || invite.signaling.length > MAX_SIGNALING_URLS) {
    throw new InviteError('the invite code names no signaling server');
  }
  for (const url of invite.signaling) {
    if (typeof url !== 'string') throw new InviteError('the invite code holds a bad signaling address');
    validateSignalingUrl(url);
  }
}
