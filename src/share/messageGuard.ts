// Inspects every whole message a peer sends over WebRTC before y-webrtc applies it, one guard per
// link. Y.applyUpdate is not atomic on bad bytes and Yjs has no caps (HARNESS.md), so every
// message is bounded in items as well as bytes, and an update is admitted only when its bytes
// (read before Yjs decodes anything, updateScan.ts) hold nothing but log appends and deletions,
// every appended batch is well-formed and signed by its writer (checked in slices, off the turn
// the message arrived in), and the log stays within its caps. Each link spends from rate budgets:
// items it sends, and requests (sync step 1, presence queries) whose answer can be the whole log.
// Presence: a link sets only its own peer's state, never ours; what it says of other clients is cut
// out of the message, so one link holds one entry of our presence map whatever it sends. Its own
// client is the first one (other than us) named after the peer's sync request: y-webrtc sends that
// request and then every state it knows, its own first, in one go when the link connects. Before
// it, a link carries only what the peer relays of others (it relays every change to every link,
// even one still connecting), which is cut; binding to the first client named at all once tied a
// link to a third peer, whose state the peer had relayed, and its own never showed.
// A message that breaks a rule is dropped whole and reported; the document is not touched. A
// dropped update leaves us out of step with that peer, so its link is closed too. One exception:
// until a link has sent its answer to our sync request (sync step 2), an update of its that needs
// items we lack is dropped quietly and the link kept. The peer sent it before it read our request,
// so its answer, which follows on the same ordered channel, holds those items and the update
// itself; waiting for them instead would hold that answer up behind the update, and the link
// would close having never synced (seen under a flood, where a joiner's links kept closing).
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { readLoggedBatch, signatureProblem, type LoggedBatch } from './batchFormat';
import { LOG_NAME } from './deltaLog';
import type { ShareLimits } from './limits';
import { RateBudget } from './rateBudget';
import { MISSING_ITEMS, scanUpdate, SKIPS_ITEMS } from './updateScan';

// y-webrtc's message types and y-protocols' sync steps.
const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_QUERY_AWARENESS = 3;
const SYNC_STEP1 = 0;
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;
/** Signatures checked per turn of the event loop (about 70 µs each). */
const VERIFY_SLICE = 64;
/** See GuardOptions.dependencyWaitMs; how often the waiting update is screened again. */
const DEPENDENCY_WAIT_MS = 3_000;
const DEPENDENCY_POLL_MS = 25;

/** What the guard needs to know of our copy of the log. */
export interface LogView {
  /** Our Yjs clock for `client`: its items below this are known already. */
  clockOf(client: number): number;
  /** Batches and their bytes in the log now. */
  size(): { batches: number; bytes: number };
}

/** Why a message was dropped and whether its link must close; or the message to deliver instead of it. */
export type Verdict = { reason: string; close: boolean; quiet?: boolean } | { replace: Uint8Array } | undefined;
export type Inspector = (message: Uint8Array) => Verdict | Promise<Verdict>;

export interface GuardOptions {
  log?: LogView;
  /**
   * How long an update that needs items we do not hold yet waits for them (ms, default 3000): in a
   * mesh, one peer's append can arrive before the item it follows, which another peer sends. The
   * link's later messages wait behind it; past this it is dropped and the link closed (a new link
   * syncs what is missing).
   */
  dependencyWaitMs?: number;
  /** Our own presence client id (doc.clientID): no peer may set its state. */
  ownClientId?: number;
  now?: () => number;
}

/** Makes the inspector of one link (each has its own budgets). */
export function createMessageGuard(limits: ShareLimits, options: GuardOptions = {}): () => Inspector {
  return () => new LinkGuard(limits, options).inspect;
}

class LinkGuard {
  private readonly items: RateBudget;
  private readonly requests: RateBudget;
  /** The presence client this link speaks for: the first named after the peer's sync request. */
  private client: number | undefined;
  /** The peer has sent its sync request (sync step 1); its own presence follows it. */
  private requested = false;
  /** The peer has sent its answer to our sync request (sync step 2). */
  private answered = false;

  constructor(
    private readonly limits: ShareLimits,
    private readonly options: GuardOptions,
  ) {
    this.items = new RateBudget(limits.maxItemsPerMessage, limits.peerItemsPerSecond, options.now);
    const requestBurst = Math.max(1, Math.ceil(limits.peerRequestsPerMinute / 2));
    this.requests = new RateBudget(requestBurst, limits.peerRequestsPerMinute / 60, options.now);
  }

  readonly inspect = (message: Uint8Array): Verdict | Promise<Verdict> => {
    try {
      const decoder = decoding.createDecoder(message);
      const type = decoding.readVarUint(decoder);
      switch (type) {
        case MESSAGE_SYNC:
          return this.sync(decoder);
        case MESSAGE_AWARENESS:
          return this.presence(decoding.readVarUint8Array(decoder));
        case MESSAGE_QUERY_AWARENESS:
          return this.request();
        default:
          return drop(`unexpected message type ${type}`, true);
      }
    } catch (error) {
      return drop(`undecodable message: ${(error as Error).message}`, true);
    }
  };

  private sync(decoder: decoding.Decoder): Verdict | Promise<Verdict> {
    const step = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    if (step === SYNC_STEP1) {
      this.requested = true;
      return drop(stateVectorProblem(payload, this.limits.maxItemsPerMessage)) ?? this.request();
    }
    if (step !== SYNC_STEP2 && step !== SYNC_UPDATE) return drop(`unknown sync step ${step}`, true);
    if (step === SYNC_STEP2) this.answered = true;
    const screened = screenUpdate(payload, this.limits, this.options.log);
    if (screened === MISSING_ITEMS || screened === SKIPS_ITEMS) {
      if (!this.answered) return { reason: `${screened}; dropped before the peer's sync answer, which carries it`, close: false, quiet: true };
      return this.afterDependencies(payload);
    }
    return this.admit(screened);
  }

  private admit(screened: ReturnType<typeof screenUpdate>): Verdict | Promise<Verdict> {
    if (typeof screened === 'string') return drop(screened, true);
    if (!this.items.take(screened.items)) return drop(`peer sends more than ${this.limits.peerItemsPerSecond} items a second`, true);
    return screened.batches.length === 0 ? undefined : verifyInSlices(screened.batches);
  }

  /** Screens the update again as our log grows, until what it needs is here or the wait is over. */
  private async afterDependencies(payload: Uint8Array): Promise<Verdict> {
    const deadline = performance.now() + (this.options.dependencyWaitMs ?? DEPENDENCY_WAIT_MS);
    for (;;) {
      const screened = screenUpdate(payload, this.limits, this.options.log);
      if ((screened !== MISSING_ITEMS && screened !== SKIPS_ITEMS) || performance.now() >= deadline) return this.admit(screened);
      await new Promise((resolve) => setTimeout(resolve, DEPENDENCY_POLL_MS));
    }
  }

  /** The message with only this link's own client's entry, or why it is dropped. */
  private presence(update: Uint8Array): Verdict {
    if (update.byteLength > this.limits.maxPresenceBytes) return drop(`presence message of ${update.byteLength} bytes`);
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    let own: Uint8Array | undefined;
    for (let i = 0; i < count; i++) {
      const start = decoder.pos;
      const client = decoding.readVarUint(decoder);
      decoding.readVarUint(decoder); // clock
      const state = decoding.readVarString(decoder);
      // Our own state comes back as an echo (y-webrtc relays every change to every link): never taken.
      if (client === this.options.ownClientId || !this.requested) continue;
      this.client ??= client;
      if (client !== this.client || own) continue;
      JSON.parse(state);
      own = update.subarray(start, decoder.pos);
    }
    // Honest peers pass on what they hear of others (y-webrtc relays every change): cut, not reported.
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
    encoding.writeVarUint(encoder, own ? own.byteLength + 1 : 1);
    encoding.writeVarUint(encoder, own ? 1 : 0);
    if (own) encoding.writeUint8Array(encoder, own);
    return { replace: encoding.toUint8Array(encoder) };
  }

  /** A request whose answer can be the whole log: answered at a bounded rate, the rest dropped. */
  private request(): Verdict {
    if (this.requests.take()) return undefined;
    return drop(`peer asks more than ${this.limits.peerRequestsPerMinute} times a minute; request not answered`);
  }
}

/**
 * The batches `update` appends that `log` does not hold yet, or why it may not be applied: judged
 * on its bytes, before Yjs decodes it; signatures are not checked here (see verifyInSlices).
 */
export function screenUpdate(update: Uint8Array, limits: ShareLimits, log?: LogView): { items: number; batches: LoggedBatch[] } | string {
  const shape = scanUpdate(update, LOG_NAME, limits.maxItemsPerMessage, log && ((client) => log.clockOf(client)));
  if (typeof shape === 'string') return shape;
  const batches: LoggedBatch[] = [];
  let bytes = 0;
  for (const binary of shape.binaries) {
    if (binary.bytes.byteLength > limits.maxBatchBytes) return `batch of ${binary.bytes.byteLength} bytes is over the cap`;
    if (log && binary.clock < log.clockOf(binary.client)) continue; // ours already: Yjs skips it
    try {
      batches.push(readLoggedBatch(binary.bytes));
    } catch (error) {
      return `log entry refused: ${(error as Error).message}`;
    }
    bytes += binary.bytes.byteLength;
  }
  if (log) {
    const size = log.size();
    if (size.batches + batches.length > limits.maxLogBatches) return `the log would hold more than ${limits.maxLogBatches} batches`;
    if (size.bytes + bytes > limits.maxLogBytes) return `the log would hold more than ${limits.maxLogBytes} bytes`;
  }
  return { items: shape.items, batches };
}

/**
 * Why a saved log may not be loaded, judged on its shape: log appends and deletions only, within
 * the item and batch caps. Its batches' headers and signatures are judged as the log is indexed
 * and applied (savedLog.ts tells old unsigned batches apart).
 */
export function checkUpdate(update: Uint8Array, limits: ShareLimits): string | undefined {
  const shape = scanUpdate(update, LOG_NAME, limits.maxItemsPerMessage);
  if (typeof shape === 'string') return shape;
  const big = shape.binaries.find((binary) => binary.bytes.byteLength > limits.maxBatchBytes);
  return big ? `batch of ${big.bytes.byteLength} bytes is over the cap` : undefined;
}

/** Checks every signature, VERIFY_SLICE per turn, so a big update never holds the event loop. */
export async function verifyInSlices(batches: LoggedBatch[]): Promise<Verdict> {
  for (let i = 0; i < batches.length; i++) {
    if (i > 0 && i % VERIFY_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
    const forged = signatureProblem(batches[i]);
    if (forged) return drop(forged, true);
  }
  return undefined;
}

function stateVectorProblem(payload: Uint8Array, maxClients: number): string | undefined {
  const decoder = decoding.createDecoder(payload);
  const clients = decoding.readVarUint(decoder);
  if (clients > maxClients) return `state vector of ${clients} clients`;
  for (let i = 0; i < clients; i++) {
    decoding.readVarUint(decoder);
    decoding.readVarUint(decoder);
  }
  return undefined;
}

function drop(reason: string | undefined, close = false): { reason: string; close: boolean } | undefined {
  return reason === undefined ? undefined : { reason, close };
}
