// The `lightNetwork.share.*` settings, read fresh each time they are needed.
import * as os from 'node:os';
import * as vscode from 'vscode';

export interface ShareSettings {
  signaling: string[];
  iceServers: { urls: string | string[]; username?: string; credential?: string }[];
  userName: string;
  userColor: string;
  /** Colours to show given collaborators in, by name (overrides the colour they chose). */
  collaboratorColors: Record<string, string>;
  keepTeamMemoryOnLeave: boolean;
  serverHost: string;
  serverPort: number;
  maxMessageMB: number;
}

export function shareSettings(): ShareSettings {
  const config = vscode.workspace.getConfiguration('lightNetwork.share');
  return {
    signaling: config.get<string[]>('signaling', ['ws://127.0.0.1:4444']).filter((url) => typeof url === 'string' && url.trim() !== ''),
    iceServers: config.get<unknown[]>('iceServers', []).filter(isIceServer),
    userName: config.get<string>('userName', '').trim() || safeUserName(),
    userColor: config.get<string>('userColor', '#e0a030'),
    collaboratorColors: config.get<Record<string, string>>('collaboratorColors', {}),
    keepTeamMemoryOnLeave: config.get<boolean>('keepTeamMemoryOnLeave', true),
    serverHost: config.get<string>('signalingServer.host', '127.0.0.1'),
    serverPort: config.get<number>('signalingServer.port', 4444),
    maxMessageMB: config.get<number>('maxMessageMB', 64),
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
