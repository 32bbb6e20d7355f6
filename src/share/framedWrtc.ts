// Wraps a Node WebRTC implementation (@roamhq/wrtc) so that every data channel simple-peer opens
// frames big messages, respects the send buffer, caps what it reassembles and lets the session
// inspect each whole message before y-webrtc sees it. simple-peer takes the result as `wrtc`.
// Both directions are bounded per link: messages waiting for their inspection (which may take a
// few turns) and frames waiting to be sent; a peer that sends faster than it is checked, or does
// not read what we send, has its link closed (it reconnects and syncs afresh).
import { FrameAssembler, FrameError, splitIntoFrames } from './framing';
import type { Inspector } from './messageGuard';

/** The part of the `wrtc` object simple-peer uses. */
export interface WrtcImplementation {
  RTCPeerConnection: new (config?: unknown) => any;
  RTCSessionDescription: unknown;
  RTCIceCandidate: unknown;
}

export interface FramingOptions {
  maxMessageBytes: number;
  /** Most bytes queued for sending on one channel (default: twice maxMessageBytes). */
  maxSendQueueBytes?: number;
  /** Makes each channel's inspector, which may drop a whole received message (it then never reaches y-webrtc) and close the link. */
  inspector?: () => Inspector;
  /** Told about every dropped message and every channel closed for misbehaviour. */
  onReject?: (reason: string) => void;
}

export interface FramedWrtc extends WrtcImplementation {
  /** When the connection last received a frame (ms since epoch; 0 if never): the watchdog's progress signal. */
  lastActivity(peerConnection: object): number;
}

// Keep the native send buffer between these marks: below the 256 KiB message cap is not the issue
// here, an unbounded buffer is (it closes the channel). The WebRTC process paces its native sends
// by the same marks (wrtcProcess.ts).
export const HIGH_WATER = 1024 * 1024;
const LOW_WATER = 256 * 1024;
export const DRAIN_POLL_MS = 2;
export const BURST_BYTES = 256 * 1024;

type Handler = ((event: any) => void) | null;

class FramedChannel {
  onopen: Handler = null;
  onclose: Handler = null;
  onerror: Handler = null;
  onmessage: Handler = null;
  onbufferedamountlow: Handler = null;
  binaryType = 'arraybuffer';
  bufferedAmountLowThreshold = 0;
  private queue: Uint8Array[] = [];
  private queuedBytes = 0;
  private retry: NodeJS.Timeout | undefined;
  private readonly assembler: FrameAssembler;
  private readonly inspect: Inspector | undefined;
  /** Received messages in order, each delivered once its inspection settles. */
  private inbound: Promise<void> = Promise.resolve();
  private inboundBytes = 0;
  private closed = false;

  constructor(
    private readonly raw: any,
    private readonly options: FramingOptions,
    private readonly touch: () => void,
  ) {
    this.assembler = new FrameAssembler(options.maxMessageBytes);
    this.inspect = options.inspector?.();
    raw.binaryType = 'arraybuffer';
    raw.bufferedAmountLowThreshold = LOW_WATER;
    raw.onopen = (event: unknown) => {
      this.onopen?.(event);
      this.pump();
    };
    raw.onclose = (event: unknown) => {
      this.closed = true;
      clearTimeout(this.retry);
      this.queue = [];
      this.queuedBytes = 0;
      this.assembler.reset();
      this.onclose?.(event);
    };
    raw.onerror = (event: unknown) => this.onerror?.(event);
    raw.onbufferedamountlow = () => this.pump();
    raw.onmessage = (event: { data: unknown }) => this.receive(event.data);
  }

  get label(): string {
    return this.raw.label;
  }
  get readyState(): string {
    return this.raw.readyState;
  }
  get id(): number {
    return this.raw.id;
  }
  get bufferedAmount(): number {
    return this.raw.bufferedAmount + this.queuedBytes;
  }

  send(data: unknown): void {
    if (this.closed) return;
    const bytes = toBytes(data);
    const cap = this.options.maxSendQueueBytes ?? 2 * this.options.maxMessageBytes;
    if (this.queuedBytes + bytes.byteLength > cap) {
      this.misbehaved(`peer does not read what we send (over ${cap} bytes waiting)`);
      return;
    }
    for (const frame of splitIntoFrames(bytes)) {
      this.queue.push(frame);
      this.queuedBytes += frame.byteLength;
    }
    this.pump();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retry);
    this.queue = [];
    this.queuedBytes = 0;
    this.raw.close();
  }

  private pump(): void {
    clearTimeout(this.retry);
    this.retry = undefined;
    // At most BURST_BYTES per turn: @roamhq/wrtc reports a bufferedAmount of 0 right after a send,
    // so the high-water mark alone never holds a burst back, and a burst of a few hundred KiB just
    // after a channel opened sometimes lost its tail for good (the link then sat until the watchdog
    // reset it, 4-9 s). Paced, the tail arrives.
    let burst = 0;
    while (this.queue.length > 0 && this.raw.readyState === 'open' && this.raw.bufferedAmount < HIGH_WATER && burst < BURST_BYTES) {
      const frame = this.queue.shift()!;
      this.queuedBytes -= frame.byteLength;
      burst += frame.byteLength;
      try {
        this.raw.send(frame);
      } catch {
        // The native channel can close between its readyState and the send (InvalidStateError);
        // thrown from this timer it would end the process. The link is gone: what waits goes too.
        this.close();
        return;
      }
    }
    // @roamhq/wrtc never fires bufferedamountlow: go on shortly while frames wait.
    if (this.queue.length > 0 && this.raw.readyState === 'open') this.retry = setTimeout(() => this.pump(), DRAIN_POLL_MS);
    if (this.queue.length === 0 && this.raw.bufferedAmount <= this.bufferedAmountLowThreshold) {
      this.onbufferedamountlow?.({ type: 'bufferedamountlow' });
    }
  }

  private receive(data: unknown): void {
    if (this.closed) return;
    this.touch();
    if (!(data instanceof ArrayBuffer)) {
      this.misbehaved('peer sent a non-binary frame');
      return;
    }
    let message: Uint8Array | undefined;
    try {
      message = this.assembler.push(new Uint8Array(data));
    } catch (error) {
      this.misbehaved(error instanceof FrameError ? error.message : String(error));
      return;
    }
    if (!message) return;
    const inspect = this.inspect;
    if (!inspect) return this.deliver(message);
    // Held until inspected, in order; what waits counts against the cap of one message beyond the one being checked.
    this.inboundBytes += message.byteLength;
    if (this.inboundBytes > 2 * this.options.maxMessageBytes) {
      this.misbehaved('peer sends faster than its messages can be checked');
      return;
    }
    this.inbound = this.inbound.then(async () => {
      let verdict: Awaited<ReturnType<Inspector>>;
      try {
        verdict = await inspect(message);
      } catch (error) {
        verdict = { reason: `message could not be checked: ${(error as Error).message}`, close: true };
      }
      this.inboundBytes -= message.byteLength;
      if (this.closed) return;
      if (!verdict) return this.deliver(message);
      if ('replace' in verdict) return this.deliver(verdict.replace);
      if (verdict.close) this.misbehaved(verdict.reason);
      else if (!verdict.quiet) this.options.onReject?.(verdict.reason);
    });
  }

  private deliver(message: Uint8Array): void {
    try {
      this.onmessage?.({ data: message.buffer });
    } catch (error) {
      // A throw here would surface as an uncaught exception from the native addon's event loop.
      this.options.onReject?.(`message from peer failed to apply: ${(error as Error).message}`);
    }
  }

  /** A framing violation means the stream can no longer be trusted: close this link. */
  private misbehaved(reason: string): void {
    this.options.onReject?.(`${reason}; link closed`);
    this.close();
  }
}

function toBytes(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (typeof data === 'string') return new TextEncoder().encode(data);
  throw new TypeError('data channel messages must be bytes');
}

export function framedWrtc(wrtc: WrtcImplementation, options: FramingOptions): FramedWrtc {
  const activity = new WeakMap<object, number>();

  function FramedPeerConnection(config?: unknown): object {
    const target = new wrtc.RTCPeerConnection(config);
    let onDataChannel: Handler = null;
    let proxy: object;
    const touch = () => activity.set(proxy, Date.now());
    const wrap = (raw: unknown) => new FramedChannel(raw, options, touch);
    target.ondatachannel = (event: { channel: unknown }) => onDataChannel?.({ channel: wrap(event.channel) });
    proxy = new Proxy(target, {
      get(obj, prop) {
        if (prop === 'createDataChannel') return (...args: unknown[]) => wrap(obj.createDataChannel(...args));
        if (prop === 'ondatachannel') return onDataChannel;
        const value = Reflect.get(obj, prop, obj);
        return typeof value === 'function' ? value.bind(obj) : value;
      },
      set(obj, prop, value) {
        if (prop === 'ondatachannel') {
          onDataChannel = value;
          return true;
        }
        return Reflect.set(obj, prop, value, obj);
      },
    });
    return proxy;
  }

  return {
    RTCPeerConnection: FramedPeerConnection as unknown as WrtcImplementation['RTCPeerConnection'],
    RTCSessionDescription: wrtc.RTCSessionDescription,
    RTCIceCandidate: wrtc.RTCIceCandidate,
    lastActivity: (peerConnection) => activity.get(peerConnection) ?? 0,
  };
}
