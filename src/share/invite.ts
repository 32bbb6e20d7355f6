// Invite codes: everything a joiner needs (random room, password, signaling addresses) in one
// pasteable string. Room names are random because the signaling server sees them; the password
// keys y-webrtc's encryption of signaling, so only holders of the code can connect.
import { randomBytes } from 'node:crypto';

const PREFIX = 'lnet1.';
const ROOM_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
const MAX_SIGNALING_URLS = 8;

export interface Invite {
  room: string;
  password: string;
  /** Signaling server addresses (ws:// or wss://). */
  signaling: string[];
}

export class InviteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InviteError';
  }
}

export function createInvite(signaling: string[]): Invite {
  const invite = {
    room: `ln-${randomBytes(18).toString('base64url')}`,
    password: randomBytes(24).toString('base64url'),
    signaling,
  };
  validateInvite(invite);
  return invite;
}

export function encodeInvite(invite: Invite): string {
  validateInvite(invite);
  const json = JSON.stringify({ r: invite.room, p: invite.password, s: invite.signaling });
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
  const fields = (parsed ?? {}) as { r?: unknown; p?: unknown; s?: unknown };
  const invite = { room: fields.r, password: fields.p, signaling: fields.s } as Invite;
  validateInvite(invite);
  return invite;
}

export function validateSignalingUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InviteError(`"${url}" is not a signaling address (expected ws://host:port)`);
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
    throw new InviteError(`signaling address "${url}" must start with ws:// or wss://`);
  }
}

function validateInvite(invite: Invite): void {
  if (typeof invite.room !== 'string' || !ROOM_PATTERN.test(invite.room)) throw new InviteError('the invite code holds no valid room');
  if (typeof invite.password !== 'string' || invite.password.length < 16 || invite.password.length > 128) {
    throw new InviteError('the invite code holds no valid password');
  }
  if (!Array.isArray(invite.signaling) || invite.signaling.length === 0 || invite.signaling.length > MAX_SIGNALING_URLS) {
    throw new InviteError('the invite code names no signaling server');
  }
  for (const url of invite.signaling) {
    if (typeof url !== 'string') throw new InviteError('the invite code holds a bad signaling address');
    validateSignalingUrl(url);
  }
}
