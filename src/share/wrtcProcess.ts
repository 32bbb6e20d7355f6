// The process that runs the native WebRTC module (@roamhq/wrtc) for one share session, started by
// remoteWrtc.ts. The module can crash the process that loads it: its signaling thread frees a data
// channel that the remote end closed while a send on the main thread is still using it (a SIGSEGV
// in RTCDataChannel::Send, seen in about one test run in ten). Here such a crash ends this process
// only; the session sees its links close, starts another and reconnects.
// It keeps no state of its own beyond the native objects, forwards every event as it happens, and
// exits when the session says so or its IPC channel closes (the session's process is gone).
import { BURST_BYTES, DRAIN_POLL_MS, HIGH_WATER } from './framedWrtc';
import { CLOSED_STATE, WRTC_PROCESS_ENV, type ConnectionState, type FromWrtcProcess, type ToWrtcProcess } from '../protocol/wrtcMessages';

type Native = any;

const connections = new Map<number, Native>();
const channels = new Map<number, Native>();
/** The channels of each connection, closed and forgotten with it. */
const channelsOf = new Map<number, Set<number>>();
/** Channels a remote peer opened get odd ids (the session numbers its own with even ones). */
let nextRemoteChannel = 1;

function post(message: FromWrtcProcess): void {
  if (process.connected) process.send!(message);
}

function description(value: Native): { type: string; sdp: string } | null {
  return value && typeof value.type === 'string' ? { type: value.type, sdp: String(value.sdp ?? '') } : null;
}

function stateOf(pc: Native): ConnectionState {
  return {
    connectionState: pc.connectionState,
    iceConnectionState: pc.iceConnectionState,
    iceGatheringState: pc.iceGatheringState,
    signalingState: pc.signalingState,
    localDescription: description(pc.localDescription),
    remoteDescription: description(pc.remoteDescription),
  };
}

/** Sends the session made and the native channel has not taken yet. */
interface Outbox {
  raw: Native;
  queue: Uint8Array[];
  retry: NodeJS.Timeout | undefined;
  /** The native bufferedAmount the session was last told. */
  reported: number;
}
/** A change of the native buffer worth telling the session about while it drains. */
const REPORT_STEP = 64 * 1024;
const outboxes = new Map<number, Outbox>();

/**
 * Hands queued sends to the native channel as the framing layer would in process: at most
 * BURST_BYTES per turn and only while the native buffer is under HIGH_WATER. Sends arrive here in
 * batches (several IPC messages in one turn), and a burst of a few hundred KiB straight into a
 * channel can lose its tail for good.
 */
function pump(ch: number, outbox: Outbox): void {
  clearTimeout(outbox.retry);
  outbox.retry = undefined;
  const { raw, queue } = outbox;
  let burst = 0;
  while (queue.length > 0 && burst < BURST_BYTES) {
    if (raw.readyState === 'open' && raw.bufferedAmount >= HIGH_WATER) break;
    const data = queue.shift()!;
    burst += data.byteLength;
    try {
      if (raw.readyState !== 'open') throw new Error('closed');
      raw.send(data);
    } catch {
      // Closed between the session's send and this one: the close event follows (or came), and
      // what waits is dropped with the channel.
      raw.close();
    }
    outbox.reported = raw.readyState === 'open' ? raw.bufferedAmount : 0;
    post({ op: 'sent', ch, bytes: data.byteLength, buffered: outbox.reported });
  }
  if (queue.length === 0 && outbox.reported > 0 && raw.readyState === 'open') {
    // The session paces its sends by the buffer it was told of: tell it as the buffer drains.
    const now = raw.bufferedAmount;
    if (now === 0 || outbox.reported - now >= REPORT_STEP) {
      outbox.reported = now;
      post({ op: 'sent', ch, bytes: 0, buffered: now });
    }
  }
  if (queue.length > 0 || (outbox.reported > 0 && raw.readyState === 'open')) outbox.retry = setTimeout(() => pump(ch, outbox), DRAIN_POLL_MS);
}

/** Drops a channel's entry and what waits to be sent on it; returns the native channel. */
function forgetChannel(ch: number): Native {
  const raw = channels.get(ch);
  channels.delete(ch);
  const outbox = outboxes.get(ch);
  outboxes.delete(ch);
  if (outbox) {
    clearTimeout(outbox.retry);
    outbox.queue.length = 0;
  }
  return raw;
}

function wireChannel(pc: number, ch: number, raw: Native): void {
  channels.set(ch, raw);
  if (!channelsOf.has(pc)) channelsOf.set(pc, new Set());
  channelsOf.get(pc)!.add(ch);
  outboxes.set(ch, { raw, queue: [], retry: undefined, reported: 0 });
  raw.binaryType = 'arraybuffer';
  raw.onopen = () => post({ op: 'channelOpen', ch, id: raw.id ?? null });
  raw.onclose = () => {
    forgetChannel(ch);
    channelsOf.get(pc)?.delete(ch);
    post({ op: 'channelClose', ch });
  };
  raw.onerror = (event: Native) => post({ op: 'channelError', ch, message: String(event?.error?.message ?? event?.message ?? 'data channel error') });
  raw.onmessage = (event: { data: unknown }) => {
    const data = event.data;
    if (data instanceof ArrayBuffer) post({ op: 'message', ch, data });
    else if (ArrayBuffer.isView(data)) post({ op: 'message', ch, data: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer });
    // A text message: the session's framing refuses it anyway; pass it on as bytes it will refuse.
    else post({ op: 'message', ch, data: new TextEncoder().encode(String(data)).buffer as ArrayBuffer });
  };
}

function create(wrtc: Native, pc: number, config: unknown): void {
  const native = new wrtc.RTCPeerConnection(config);
  connections.set(pc, native);
  const onState = (event: Extract<FromWrtcProcess, { op: 'state' }>['event']) => () => {
    if (connections.get(pc) === native) post({ op: 'state', pc, state: stateOf(native), event });
  };
  native.onconnectionstatechange = onState('connectionstatechange');
  native.oniceconnectionstatechange = onState('iceconnectionstatechange');
  native.onicegatheringstatechange = onState('icegatheringstatechange');
  native.onsignalingstatechange = onState('signalingstatechange');
  native.onicecandidate = (event: { candidate: Native }) => {
    if (connections.get(pc) !== native) return;
    const c = event.candidate;
    const candidate = c ? { candidate: String(c.candidate), sdpMid: c.sdpMid ?? null, sdpMLineIndex: c.sdpMLineIndex ?? null, usernameFragment: c.usernameFragment ?? null } : null;
    post({ op: 'candidate', pc, state: stateOf(native), candidate });
  };
  native.ondatachannel = (event: { channel: Native }) => {
    if (connections.get(pc) !== native) return;
    const ch = nextRemoteChannel;
    nextRemoteChannel += 2;
    wireChannel(pc, ch, event.channel);
    post({ op: 'channel', pc, ch, label: event.channel.label, id: event.channel.id ?? null, readyState: event.channel.readyState });
  };
}

async function call(native: Native, method: string, args: unknown[]): Promise<unknown> {
  if (method === 'getStats') {
    const reports: object[] = [];
    (await native.getStats()).forEach((report: object) => reports.push({ ...report }));
    return reports;
  }
  const value = await native[method](...args);
  return description(value) ?? undefined;
}

function handle(wrtc: Native, message: ToWrtcProcess): void {
  switch (message.op) {
    case 'create':
      create(wrtc, message.pc, message.config);
      return;
    case 'call': {
      const native = connections.get(message.pc);
      if (!native) {
        post({ op: 'reply', call: message.call, state: CLOSED_STATE, error: 'the peer connection is closed' });
        return;
      }
      call(native, message.method, message.args).then(
        (value) => post({ op: 'reply', call: message.call, state: stateOf(native), value }),
        (error: Error) => post({ op: 'reply', call: message.call, state: stateOf(native), error: String(error?.message ?? error) }),
      );
      return;
    }
    case 'close': {
      const native = connections.get(message.pc);
      connections.delete(message.pc);
      for (const ch of channelsOf.get(message.pc) ?? []) forgetChannel(ch)?.close();
      channelsOf.delete(message.pc);
      native?.close();
      return;
    }
    case 'createChannel': {
      const native = connections.get(message.pc);
      if (!native) return post({ op: 'channelClose', ch: message.ch });
      wireChannel(message.pc, message.ch, native.createDataChannel(message.label, message.init ?? undefined));
      return;
    }
    case 'send': {
      const outbox = outboxes.get(message.ch);
      if (!outbox) return post({ op: 'sent', ch: message.ch, bytes: message.data.byteLength, buffered: 0 });
      outbox.queue.push(message.data);
      pump(message.ch, outbox);
      return;
    }
    case 'closeChannel':
      channels.get(message.ch)?.close();
      return;
    case 'shutdown':
      shutdown();
  }
}

function shutdown(): void {
  for (const native of connections.values()) native.close();
  connections.clear();
  channels.clear();
  process.exit(0);
}

function main(): void {
  let wrtc: Native;
  try {
    // A native addon, kept out of the bundle and loaded from node_modules.
    wrtc = require('@roamhq/wrtc');
  } catch (error) {
    post({ op: 'ready', error: `the WebRTC module did not load: ${(error as Error).message}` });
    process.exit(1);
  }
  process.on('message', (message: ToWrtcProcess) => handle(wrtc, message));
  process.on('disconnect', shutdown);
  post({ op: 'ready' });
}

// Only as the child remoteWrtc.ts starts (which sets this), never when some other module imports it.
if (process.env[WRTC_PROCESS_ENV] === '1' && process.send) main();
