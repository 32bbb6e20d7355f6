// Every message between the light panel's host side and its webview, typed once for both sides.
// The field itself travels as one packed Uint8Array (see src/lightfield/packing.ts): VS Code moves
// typed arrays inside webview messages as binary, not as JSON numbers.
import { isForgettableWord, MAX_WORD_LENGTH } from './forgettableWord';
import type { Prediction } from '../memory/types';

// The shapes the host's features and the webview share, defined once here.

/** A next word and its probability, as the memory predicts it. */
export type PredictionMessage = Prediction;

/** A collaborator in a shared session, as the user sees them. */
export interface PeerPresence {
  id: string;
  name: string;
  /** CSS colour, '#rrggbb'. */
  color: string;
  /** The word the peer is typing now ('' when idle). */
  word: string;
  /** The writer id the peer announces (a well-formed id, or absent; only a claim). */
  writer?: string;
}

export type PeerMessage = PeerPresence;

/** Why the memory changed; the light field grows visibly on 'training' and 'team'. */
export type MemoryChangeSource = 'training' | 'edit' | 'file' | 'team' | 'forget' | 'reset' | 'load';

/** Why the field changed: the memory, or the panel opening; training and team growth make the backlight swell. */
export type FieldChangeSource = MemoryChangeSource | 'open';

export interface FieldSettings {
  /** VS Code's `workbench.reduceMotion`: 'auto' follows the OS (prefers-reduced-motion). */
  reduceMotion: 'on' | 'off' | 'auto';
  /** The neuron-count setting, shown in the legend. */
  neuronLimit: number;
}

export type HostToWebview =
  | { type: 'settings'; settings: FieldSettings }
  /** A new snapshot of the field; `changedAt` is the host's Date.now() when the memory change was seen. */
  | { type: 'field'; bytes: Uint8Array; source: FieldChangeSource; changedAt: number }
  /** Light enters at `word` (typed, clicked or searched) and flows to what the memory expects next. */
  | { type: 'ignite'; word: string; predictions: PredictionMessage[]; origin: 'typing' | 'click' | 'search' }
  | { type: 'peers'; peers: PeerMessage[] }
  /** Lights the path of a phrase's words, as if the user searched it (Ask the Memory, while the panel is open). */
  | { type: 'lightPath'; phrase: string }
  /** Reply to `describe`; `collaborators`: who taught the team memory the word (names made visible, plain text). */
  | { type: 'description'; requestId: number; word: string; count: number; successors: PredictionMessage[]; collaborators?: string[] }
  /** Building the field failed: shown in the panel instead of a silent empty field. */
  | { type: 'error'; message: string };

export type WebviewToHost =
  /** The webview has loaded (again) and wants the field. */
  | { type: 'ready' }
  | { type: 'ignite'; word: string; origin: 'click' | 'search' }
  | { type: 'describe'; requestId: number; word: string }
  /** Asks the host to confirm with the user, then forget the word everywhere. */
  | { type: 'forget'; word: string }
  /** A field version reached the screen: lets tests and the bench time change-to-frame. */
  | { type: 'rendered'; version: number; changedAt: number; neurons: number; rays: number }
  /** WebGL could not start (or was lost); the panel shows the same message. */
  | { type: 'webglUnavailable'; reason: string };

/** What the webview keeps with vscode.setState, so a reload restores the view where it was. */
export interface LightPanelState {
  camera: { x: number; y: number; zoom: number };
  search: string;
}

/** Longest phrase the host sends to be lit (the webview cuts what it is given to this as well). */
export const MAX_PHRASE_LENGTH = 2000;

/** The view type of the panel, shared by the host (serializer) and tests. */
export const LIGHT_PANEL_VIEW_TYPE = 'lightNetwork.lightField';

/** Longest reason a webview may give for WebGL being unavailable (it is logged). */
const MAX_REASON_LENGTH = 1000;

/**
 * Whether a message from the webview is one of ours, with every field of the right type and within
 * bounds. The webview runs the field's code on data from the memory: what it sends is checked as
 * untrusted input before the host acts on it (a word must be a word: see isForgettableWord).
 */
export function isWebviewToHost(value: unknown): value is WebviewToHost {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return true;
    case 'ignite':
      return isShortWord(m.word) && (m.origin === 'click' || m.origin === 'search');
    case 'describe':
      return isShortWord(m.word) && Number.isSafeInteger(m.requestId);
    case 'forget':
      return isForgettableWord(m.word);
    case 'rendered':
      return [m.version, m.changedAt, m.neurons, m.rays].every((n) => typeof n === 'number' && Number.isFinite(n));
    case 'webglUnavailable':
      return typeof m.reason === 'string' && m.reason.length <= MAX_REASON_LENGTH;
    default:
      return false;
  }
}

/** Any token of the field (punctuation included) may be lit or described, if it is not too long. */
function isShortWord(word: unknown): word is string {
  return typeof word === 'string' && word.length > 0 && word.length <= MAX_WORD_LENGTH;
}
