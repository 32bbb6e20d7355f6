// The `lightNetwork.share.*` settings, read fresh each time they are needed. The caps a team may
// tune (limits.ts) are clamped to hard bounds whatever the settings say.
import * as os from 'node:os';
import * as vscode from 'vscode';
import { SHARE_LIMIT_SETTINGS, SIGNALING_LIMIT_SETTINGS, tunedShareLimits, tuneLimits, type ShareLimits, type SignalingLimits } from '../../share/limits';

export interface ShareSettings {
  signaling: string[];
  /** The team relay Share Session may use ('' when none is set). */
  relay: string;
  iceServers: { urls: string | string[]; username?: string; credential?: string }[];
  userName: string;
  userColor: string;
  /** Colours to show given collaborators in, by name (overrides the colour they chose). */
  collaboratorColors: Record<string, string>;
  keepTeamMemoryOnLeave: boolean;
  serverHost: string;
  serverPort: number;
  /** The share caps the settings set (bounded). */
  limits: Partial<ShareLimits>;
  /** The signaling server's caps the settings set (bounded), and the page origins it admits. */
  signalingLimits: Partial<SignalingLimits>;
  allowedOrigins: string[];
  /** One line per limit setting that was clamped or ignored. */
  limitNotes: string[];
}

export function shareSettings(): ShareSettings {
  const config = vscode.workspace.getConfiguration('lightNetwork.share');
  // Only the caps the user set: an unset one keeps the code's default, or follows the caps it
  // derives from (our snapshot is a quarter of the log unless set).
  const setByUser = (name: string) => {
    const values = config.inspect(name);
    return values?.workspaceFolderValue ?? values?.workspaceValue ?? values?.globalValue;
  };
  const share = tunedShareLimits(Object.fromEntries(Object.keys(SHARE_LIMIT_SETTINGS).map((name) => [name, setByUser(name)])));
  const signaling = tuneLimits(SIGNALING_LIMIT_SETTINGS, Object.fromEntries(Object.keys(SIGNALING_LIMIT_SETTINGS).map((name) => [name, config.get(`signalingServer.${name}`)])));
  return {
    signaling: config.get<string[]>('signaling', ['ws://127.0.0.1:4444']).filter((url) => typeof url === 'string' && url.trim() !== ''),
    relay: String(config.get<string>('relay', '') ?? '').trim(),
    iceServers: config.get<unknown[]>('iceServers', []).filter(isIceServer),
    userName: config.get<string>('userName', '').trim() || safeUserName(),
    userColor: config.get<string>('userColor', '#e0a030'),
    collaboratorColors: config.get<Record<string, string>>('collaboratorColors', {}),
    keepTeamMemoryOnLeave: config.get<boolean>('keepTeamMemoryOnLeave', true),
    serverHost: config.get<string>('signalingServer.host', '127.0.0.1'),
    serverPort: config.get<number>('signalingServer.port', 4444),
    limits: share.values,
    signalingLimits: signaling.values,
    allowedOrigins: config.get<unknown[]>('signalingServer.allowedOrigins', []).filter((origin): origin is string => typeof origin === 'string' && origin.trim() !== ''),
    limitNotes: [...share.notes, ...signaling.notes.map((note) => `signalingServer.${note}`)],
  };
}

function safeUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'anonymous';
  }
}

/** An RTCIceServer-like entry; anything else would make the native WebRTC module throw. */
function isIceServer(value: unknown): value is ShareSettings['iceServers'][number] {
  if (!value || typeof value !== 'object') return false;
  const { urls, username, credential } = value as Record<string, unknown>;
  const urlsOk = typeof urls === 'string' || (Array.isArray(urls) && urls.length > 0 && urls.every((u) => typeof u === 'string'));
  return urlsOk && (username === undefined || typeof username === 'string') && (credential === undefined || typeof credential === 'string');
}
