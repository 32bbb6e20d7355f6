// Presence over Yjs awareness: each peer's name, colour, current word and writer id (which names
// the batches it signs, so the user can tell whose counts a team suggestion comes from). Peer-supplied
// fields are untrusted: they are clipped, a colour that is not #rrggbb is replaced by one derived
// from the id, and a writer id is only a claim (a peer may announce another's): names shown for a
// writer are the names announced with it.
import { isValidWriterId } from './batchFormat';

import type { PeerPresence } from '../protocol/lightMessages';

export type { PeerPresence };

export interface LocalUser {
  name: string;
  color: string;
  /** Our writer id, announced with the name. */
  writer?: string;
}

const MAX_NAME = 40;
const MAX_WORD = 64;
const COLOR = /^#[0-9a-fA-F]{6}$/;
const PALETTE = ['#e0a030', '#40b0e0', '#d05080', '#60c060', '#a070e0', '#e07040', '#30c0a0', '#c0c040'];

export function colorFor(id: string): string {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) >>> 0;
  return PALETTE[hash % PALETTE.length];
}

/** The awareness state we publish. */
export function localState(user: LocalUser, word: string): { user: LocalUser; word: string } {
  const shown: LocalUser = { name: clip(user.name, MAX_NAME) || 'anonymous', color: COLOR.test(user.color) ? user.color : '#e0a030' };
  if (user.writer !== undefined && isValidWriterId(user.writer)) shown.writer = user.writer;
  return { user: shown, word: clip(word, MAX_WORD) };
}

/** Collaborators from awareness states (our own client id excluded), sorted by name. */
export function peersFromStates(states: Map<number, unknown>, ownClientId: number): PeerPresence[] {
  const peers: PeerPresence[] = [];
  for (const [clientId, raw] of states) {
    if (clientId === ownClientId || !raw || typeof raw !== 'object') continue;
    const state = raw as { user?: { name?: unknown; color?: unknown; writer?: unknown }; word?: unknown };
    const id = String(clientId);
    const name = typeof state.user?.name === 'string' ? clip(state.user.name, MAX_NAME) : '';
    const color = typeof state.user?.color === 'string' && COLOR.test(state.user.color) ? state.user.color : colorFor(id);
    const word = typeof state.word === 'string' ? clip(state.word, MAX_WORD) : '';
    const peer: PeerPresence = { id, name: name || `peer ${id.slice(-4)}`, color, word };
    const writer = state.user?.writer;
    if (typeof writer === 'string' && isValidWriterId(writer)) peer.writer = writer;
    peers.push(peer);
  }
  return peers.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

function clip(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, ' ').trim().slice(0, max);
}
