// Every message between a share session (src/share/remoteWrtc.ts) and the process that runs the
// native WebRTC module for it (src/share/wrtcProcess.ts), typed once for both sides. They travel
// over Node's IPC channel with advanced serialization, so byte payloads stay binary.
// Ids: peer connections are numbered by the session; data channels by whoever created them (the
// session: even numbers, the WebRTC process, for channels a remote peer opened: odd numbers).

/** Set in the WebRTC process's environment: the script runs only where it is set. */
export const WRTC_PROCESS_ENV = 'LIGHT_NETWORK_WRTC_PROCESS';

/** A session description as both sides copy it (type and SDP only). */
export interface DescriptionInit {
  type: string;
  sdp: string;
}

/** An ICE candidate as both sides copy it. */
export interface CandidateInit {
  candidate: string;
  sdpMid: string | null;
  sdpMLineIndex: number | null;
  usernameFragment?: string | null;
}

/** A peer connection's observable state, sent with every event and reply so the session's mirror never lags. */
export interface ConnectionState {
  connectionState: string;
  iceConnectionState: string;
  iceGatheringState: string;
  signalingState: string;
  localDescription: DescriptionInit | null;
  remoteDescription: DescriptionInit | null;
}

/** A closed connection's state (what the session reports when the WebRTC process is gone). */
export const CLOSED_STATE: ConnectionState = {
  connectionState: 'closed',
  iceConnectionState: 'closed',
  iceGatheringState: 'complete',
  signalingState: 'closed',
  localDescription: null,
  remoteDescription: null,
};

/** The peer connection methods that return a promise, forwarded as they are. */
export type ConnectionMethod = 'createOffer' | 'createAnswer' | 'setLocalDescription' | 'setRemoteDescription' | 'addIceCandidate' | 'getStats';

export type ToWrtcProcess =
  | { op: 'create'; pc: number; config: unknown }
  | { op: 'call'; pc: number; call: number; method: ConnectionMethod; args: unknown[] }
  | { op: 'close'; pc: number }
  | { op: 'createChannel'; pc: number; ch: number; label: string; init: unknown }
  | { op: 'send'; ch: number; data: Uint8Array }
  | { op: 'closeChannel'; ch: number }
  | { op: 'shutdown' };

export type FromWrtcProcess =
  /** The native module loaded; `error` says why it did not (the process then exits). */
  | { op: 'ready'; error?: string }
  | { op: 'reply'; call: number; state: ConnectionState; value?: unknown; error?: string }
  | { op: 'state'; pc: number; state: ConnectionState; event: 'connectionstatechange' | 'iceconnectionstatechange' | 'icegatheringstatechange' | 'signalingstatechange' }
  | { op: 'candidate'; pc: number; state: ConnectionState; candidate: CandidateInit | null }
  | { op: 'channel'; pc: number; ch: number; label: string; id: number | null; readyState: string }
  | { op: 'channelOpen'; ch: number; id: number | null }
  | { op: 'channelClose'; ch: number }
  | { op: 'channelError'; ch: number; message: string }
  | { op: 'message'; ch: number; data: ArrayBuffer }
  /** A send was handed to the native channel (or failed: the channel then closes); `buffered` is its bufferedAmount after. */
  | { op: 'sent'; ch: number; bytes: number; buffered: number };
