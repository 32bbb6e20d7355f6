// The WebRTC implementation a share session hands simple-peer: peer connections and data channels
// whose native halves live in a child process (wrtcProcess.ts), so a crash of the native module
// (HARNESS.md: a SIGSEGV when a send meets a close the remote end started) ends that process, not
// the extension host that every extension of the user shares.
//
// Invariant: each object here mirrors its native twin's observable state (connection states,
// descriptions, a channel's readyState and buffered bytes) as of the last message from the child;
// every reply and event carries the state it left behind, so simple-peer reads what it would read
// in process. When the child dies, every connection it held reports 'closed' and every channel
// closes (simple-peer then destroys its peer and y-webrtc reconnects through signaling); calls in
// flight fail. The next connection starts a new child, after a pause that doubles with each crash
// in a row (up to a minute), so a module that cannot load does not spin.
// bufferedAmount counts bytes handed to the child and not yet to the native channel, plus what the
// native channel reported it held: the framing layer's high-water mark bounds both.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import {
  CLOSED_STATE,
  WRTC_PROCESS_ENV,
  type CandidateInit,
  type ConnectionMethod,
  type ConnectionState,
  type DescriptionInit,
  type FromWrtcProcess,
  type ToWrtcProcess,
} from '../protocol/wrtcMessages';
import type { WrtcImplementation } from './framedWrtc';

export interface RemoteWrtcOptions {
  /** Told when the WebRTC process ended without being asked to (its links closed and reconnect). */
  onExit?: (reason: string) => void;
  /** Told when a handler of a WebRTC event threw. */
  onError?: (reason: string) => void;
  /** The child's script (default: wrtcProcess next to this module, as .ts under tsx). */
  script?: string;
}

export interface RemoteWrtc extends WrtcImplementation {
  /** The WebRTC process's id while one runs. */
  readonly pid: number | undefined;
  /** Ends the WebRTC process (after the session closed its connections). */
  close(): Promise<void>;
}

type Handler = ((event: any) => void) | null;

const FIRST_PAUSE_MS = 500;
const MAX_PAUSE_MS = 60_000;
/** A process that lived this long before it died starts the pauses over. */
const STABLE_MS = 60_000;
const SHUTDOWN_MS = 2000;

function defaultScript(): string {
  return __filename.endsWith('.ts') ? path.join(__dirname, 'wrtcProcess.ts') : path.join(__dirname, 'wrtcProcess.js');
}

function plainDescription(value: any): DescriptionInit | undefined {
  return value ? { type: String(value.type), sdp: String(value.sdp ?? '') } : undefined;
}

function plainCandidate(value: any): CandidateInit | undefined {
  if (!value) return undefined;
  return { candidate: String(value.candidate ?? ''), sdpMid: value.sdpMid ?? null, sdpMLineIndex: value.sdpMLineIndex ?? null, usernameFragment: value.usernameFragment ?? null };
}

/** What simple-peer constructs from a received description: a copy, as in the standard API. */
class RemoteSessionDescription implements DescriptionInit {
  type: string;
  sdp: string;
  constructor(init: DescriptionInit) {
    this.type = init.type;
    this.sdp = init.sdp;
  }
}

class RemoteIceCandidate implements CandidateInit {
  candidate: string;
  sdpMid: string | null;
  sdpMLineIndex: number | null;
  usernameFragment: string | null;
  constructor(init: CandidateInit) {
    this.candidate = init.candidate;
    this.sdpMid = init.sdpMid ?? null;
    this.sdpMLineIndex = init.sdpMLineIndex ?? null;
    this.usernameFragment = init.usernameFragment ?? null;
  }
}

class RemoteChannel {
  onopen: Handler = null;
  onclose: Handler = null;
  onerror: Handler = null;
  onmessage: Handler = null;
  onbufferedamountlow: Handler = null;
  binaryType = 'arraybuffer';
  bufferedAmountLowThreshold = 0;
  id: number | null = null;
  /** Bytes handed to the child and not yet to the native channel. */
  inFlight = 0;
  /** The native channel's bufferedAmount when it last took a send. */
  nativeBuffered = 0;

  constructor(
    private readonly owner: Transport,
    readonly ch: number,
    readonly label: string,
    public readyState: string,
  ) {}

  get bufferedAmount(): number {
    return this.inFlight + this.nativeBuffered;
  }

  send(data: unknown): void {
    if (this.readyState !== 'open') throw new Error(`InvalidStateError: the data channel is ${this.readyState}`);
    const bytes = ownBytes(data);
    this.inFlight += bytes.byteLength;
    this.owner.post({ op: 'send', ch: this.ch, data: bytes });
  }

  close(): void {
    if (this.readyState === 'closing' || this.readyState === 'closed') return;
    this.readyState = 'closing';
    this.owner.post({ op: 'closeChannel', ch: this.ch });
  }

  /** The child handed `bytes` to the native channel, which then held `buffered`. */
  sent(bytes: number, buffered: number): void {
    const before = this.bufferedAmount;
    this.inFlight = Math.max(0, this.inFlight - bytes);
    this.nativeBuffered = buffered;
    if (before > this.bufferedAmountLowThreshold && this.bufferedAmount <= this.bufferedAmountLowThreshold) {
      this.onbufferedamountlow?.({ type: 'bufferedamountlow' });
    }
  }

  closed(): void {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    this.inFlight = 0;
    this.nativeBuffered = 0;
    this.onclose?.({ type: 'close' });
  }
}

/** A copy that owns its whole buffer: IPC serializes a view's entire underlying buffer. */
function ownBytes(data: unknown): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data.slice(0));
  if (ArrayBuffer.isView(data)) {
    const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    return view.byteOffset === 0 && view.byteLength === view.buffer.byteLength ? view : view.slice();
  }
  if (typeof data === 'string') return new TextEncoder().encode(data);
  throw new TypeError('data channel messages must be bytes');
}

class RemotePeerConnection {
  onconnectionstatechange: Handler = null;
  oniceconnectionstatechange: Handler = null;
  onicegatheringstatechange: Handler = null;
  onsignalingstatechange: Handler = null;
  onicecandidate: Handler = null;
  ondatachannel: Handler = null;
  ontrack: Handler = null;
  connectionState = 'new';
  iceConnectionState = 'new';
  iceGatheringState = 'new';
  signalingState = 'stable';
  localDescription: DescriptionInit | null = null;
  remoteDescription: DescriptionInit | null = null;
  readonly pc: number;
  /** Why this connection cannot work (no WebRTC process), if so. */
  private readonly failure: string | undefined;

  constructor(
    private readonly owner: Transport,
    config?: unknown,
  ) {
    this.pc = owner.nextConnection();
    this.failure = owner.open(this, config);
  }

  createOffer(options?: unknown): Promise<DescriptionInit> {
    return this.call('createOffer', [options ?? {}]) as Promise<DescriptionInit>;
  }
  createAnswer(options?: unknown): Promise<DescriptionInit> {
    return this.call('createAnswer', [options ?? {}]) as Promise<DescriptionInit>;
  }
  setLocalDescription(description?: unknown): Promise<void> {
    return this.call('setLocalDescription', [plainDescription(description)]) as Promise<void>;
  }
  setRemoteDescription(description: unknown): Promise<void> {
    return this.call('setRemoteDescription', [plainDescription(description)]) as Promise<void>;
  }
  addIceCandidate(candidate?: unknown): Promise<void> {
    return this.call('addIceCandidate', [plainCandidate(candidate)]) as Promise<void>;
  }
  /** The standard promise form (simple-peer reads it by the method's arity). */
  getStats(): Promise<object[]> {
    return this.call('getStats', []) as Promise<object[]>;
  }

  createDataChannel(label: string, init?: unknown): RemoteChannel {
    return this.owner.createChannel(this, String(label), init, this.failure === undefined && this.signalingState !== 'closed');
  }

  close(): void {
    if (this.signalingState === 'closed') return;
    this.update(CLOSED_STATE);
    this.owner.closeConnection(this);
  }

  update(state: ConnectionState): void {
    this.connectionState = state.connectionState;
    this.iceConnectionState = state.iceConnectionState;
    this.iceGatheringState = state.iceGatheringState;
    this.signalingState = state.signalingState;
    this.localDescription = state.localDescription && new RemoteSessionDescription(state.localDescription);
    this.remoteDescription = state.remoteDescription && new RemoteSessionDescription(state.remoteDescription);
  }

  /** The WebRTC process is gone: report closed, as a native connection whose transport failed would. */
  lost(): void {
    if (this.signalingState === 'closed') return;
    this.update(CLOSED_STATE);
    this.oniceconnectionstatechange?.({ type: 'iceconnectionstatechange' });
    this.onconnectionstatechange?.({ type: 'connectionstatechange' });
  }

  private call(method: ConnectionMethod, args: unknown[]): Promise<unknown> {
    if (this.failure !== undefined) return Promise.reject(new Error(this.failure));
    if (this.signalingState === 'closed') return Promise.reject(new Error('InvalidStateError: the peer connection is closed'));
    return this.owner.call(this, method, args);
  }
}

interface PendingCall {
  connection: RemotePeerConnection;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** The child process and everything that lives in it, seen from the session. */
class Transport {
  private child: ChildProcess | undefined;
  private startedAt = 0;
  /** What the child said on failing to load, for the report of its exit. */
  private loadError: string | undefined;
  private crashes = 0;
  private pausedUntil = 0;
  private lastExit = '';
  private closing = false;
  private readonly connections = new Map<number, RemotePeerConnection>();
  private readonly channels = new Map<number, RemoteChannel>();
  private readonly calls = new Map<number, PendingCall>();
  private connectionCount = 0;
  private callCount = 0;
  /** The session's channels get even ids (the child numbers the ones remote peers open odd). */
  private channelCount = 0;

  constructor(private readonly options: RemoteWrtcOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  nextConnection(): number {
    return ++this.connectionCount;
  }

  /** Registers a connection with a running child (started if needed); returns why it cannot, if so. */
  open(connection: RemotePeerConnection, config: unknown): string | undefined {
    const problem = this.ensureChild();
    if (problem) return problem;
    this.connections.set(connection.pc, connection);
    this.post({ op: 'create', pc: connection.pc, config: structuredClone(config ?? {}) });
    return undefined;
  }

  call(connection: RemotePeerConnection, method: ConnectionMethod, args: unknown[]): Promise<unknown> {
    const call = ++this.callCount;
    return new Promise((resolve, reject) => {
      this.calls.set(call, { connection, resolve, reject });
      this.post({ op: 'call', pc: connection.pc, call, method, args });
    });
  }

  createChannel(connection: RemotePeerConnection, label: string, init: unknown, live: boolean): RemoteChannel {
    this.channelCount += 2;
    const channel = new RemoteChannel(this, this.channelCount, label, live ? 'connecting' : 'closed');
    if (live) {
      this.channels.set(channel.ch, channel);
      this.post({ op: 'createChannel', pc: connection.pc, ch: channel.ch, label, init: structuredClone(init ?? {}) });
    }
    return channel;
  }

  closeConnection(connection: RemotePeerConnection): void {
    this.connections.delete(connection.pc);
    this.post({ op: 'close', pc: connection.pc });
  }

  post(message: ToWrtcProcess): void {
    const child = this.child;
    // A child that is gone has closed (or is about to close) everything this message is about.
    if (child?.connected) child.send(message, (error) => error && undefined);
  }

  async close(): Promise<void> {
    this.closing = true;
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      this.post({ op: 'shutdown' });
      const timer = setTimeout(() => child.kill('SIGKILL'), SHUTDOWN_MS);
      await exited;
      clearTimeout(timer);
    }
    this.loseEverything('the share session closed');
  }

  private ensureChild(): string | undefined {
    if (this.closing) return 'the share session closed';
    if (this.child) return undefined;
    if (Date.now() < this.pausedUntil) return `WebRTC is paused after its process ${this.lastExit}`;
    const script = this.options.script ?? defaultScript();
    if (!existsSync(script)) return `the WebRTC process's script is missing: ${script}`;
    const child = fork(script, [], {
      execArgv: script.endsWith('.ts') ? ['--import', 'tsx'] : [],
      env: { ...process.env, [WRTC_PROCESS_ENV]: '1', ELECTRON_RUN_AS_NODE: '1' },
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child = child;
    this.startedAt = Date.now();
    this.loadError = undefined;
    child.on('message', (message: FromWrtcProcess) => {
      try {
        this.receive(message);
      } catch (error) {
        // A handler's throw would otherwise surface as an uncaught exception of this process.
        this.options.onError?.(`a WebRTC event failed: ${(error as Error).message}`);
      }
    });
    child.on('error', (error) => this.exited(child, `could not run (${error.message})`));
    child.on('exit', (code, signal) => this.exited(child, signal ? `was killed by ${signal}` : `exited with code ${code}`));
    return undefined;
  }

  private exited(child: ChildProcess, how: string): void {
    if (this.child !== child) return;
    this.child = undefined;
    if (this.closing) return;
    const reason = `the WebRTC process ${how}${this.loadError ? `: ${this.loadError}` : ''}`;
    this.lastExit = how;
    this.crashes = Date.now() - this.startedAt >= STABLE_MS ? 1 : this.crashes + 1;
    this.pausedUntil = Date.now() + Math.min(MAX_PAUSE_MS, FIRST_PAUSE_MS * 2 ** (this.crashes - 1));
    this.loseEverything(reason);
    this.options.onExit?.(reason);
  }

  private loseEverything(reason: string): void {
    const calls = [...this.calls.values()];
    const channels = [...this.channels.values()];
    const connections = [...this.connections.values()];
    this.calls.clear();
    this.channels.clear();
    this.connections.clear();
    for (const call of calls) call.reject(new Error(reason));
    for (const channel of channels) channel.closed();
    for (const connection of connections) connection.lost();
  }

  private receive(message: FromWrtcProcess): void {
    switch (message.op) {
      case 'ready':
        this.loadError = message.error;
        return;
      case 'reply': {
        const call = this.calls.get(message.call);
        if (!call) return;
        this.calls.delete(message.call);
        if (this.connections.has(call.connection.pc)) call.connection.update(message.state);
        if (message.error !== undefined) call.reject(new Error(message.error));
        else call.resolve(message.value);
        return;
      }
      case 'state': {
        const connection = this.connections.get(message.pc);
        if (!connection) return;
        connection.update(message.state);
        const handler = {
          connectionstatechange: connection.onconnectionstatechange,
          iceconnectionstatechange: connection.oniceconnectionstatechange,
          icegatheringstatechange: connection.onicegatheringstatechange,
          signalingstatechange: connection.onsignalingstatechange,
        }[message.event];
        handler?.({ type: message.event });
        return;
      }
      case 'candidate': {
        const connection = this.connections.get(message.pc);
        if (!connection) return;
        connection.update(message.state);
        connection.onicecandidate?.({ type: 'icecandidate', candidate: message.candidate && new RemoteIceCandidate(message.candidate) });
        return;
      }
      case 'channel': {
        const connection = this.connections.get(message.pc);
        if (!connection) return this.post({ op: 'closeChannel', ch: message.ch });
        const channel = new RemoteChannel(this, message.ch, message.label, message.readyState);
        channel.id = message.id;
        this.channels.set(channel.ch, channel);
        connection.ondatachannel?.({ type: 'datachannel', channel });
        return;
      }
      case 'channelOpen': {
        const channel = this.channels.get(message.ch);
        if (!channel || channel.readyState === 'closing' || channel.readyState === 'closed') return;
        channel.readyState = 'open';
        channel.id = message.id;
        channel.onopen?.({ type: 'open' });
        return;
      }
      case 'channelClose': {
        const channel = this.channels.get(message.ch);
        this.channels.delete(message.ch);
        channel?.closed();
        return;
      }
      case 'channelError': {
        const error = new Error(message.message);
        this.channels.get(message.ch)?.onerror?.({ type: 'error', error, message: message.message });
        return;
      }
      case 'message': {
        // What was already on its way when the session closed the channel is not delivered, as
        // a native channel delivers nothing once closed.
        const channel = this.channels.get(message.ch);
        if (channel?.readyState === 'open') channel.onmessage?.({ type: 'message', data: message.data });
        return;
      }
      case 'sent':
        this.channels.get(message.ch)?.sent(message.bytes, message.buffered);
    }
  }
}

/** A WebRTC implementation for simple-peer whose native half runs in a child process, started on first use. */
export function remoteWrtc(options: RemoteWrtcOptions = {}): RemoteWrtc {
  const transport = new Transport(options);
  class PeerConnection extends RemotePeerConnection {
    constructor(config?: unknown) {
      super(transport, config);
    }
  }
  return {
    RTCPeerConnection: PeerConnection,
    RTCSessionDescription: RemoteSessionDescription,
    RTCIceCandidate: RemoteIceCandidate,
    get pid() {
      return transport.pid;
    },
    close: () => transport.close(),
  };
}
