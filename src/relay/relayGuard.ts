// The bounds one relay connection is held to, on its bytes before Hocuspocus or Yjs decode it: at
// the relay for what a client sends, and at every peer for what the relay sends (the relay is not
// trusted either). An update may only append sealed entries to the sealed log and delete; each
// message is bounded in bytes and items, each connection spends from rate budgets (items, bytes,
// and requests whose answer can be the whole log), and the room's log stays within its caps.
// What is sealed inside is judged by the peers alone (the relay cannot read it): signatures,
// writers' rights and the share limits, exactly as on the mesh (relayLink.ts).
import { RateBudget } from '../share/rateBudget';
import { readFrame, screenSealedUpdate, type RelayLimits } from './relayProtocol';

export interface RoomSize {
  entries: number;
  bytes: number;
}

/**
 * A room's size at the relay: what its document holds (kept by an observer) plus what was
 * admitted and not applied yet. Several messages can arrive in one read of a socket, and each is
 * judged before the one before it is applied: without the second part, all of them would be
 * judged against the same size and together pass the cap.
 */
export class RoomTally {
  readonly held: RoomSize = { entries: 0, bytes: 0 };
  private readonly admitted: RoomSize = { entries: 0, bytes: 0 };

  size(): RoomSize {
    return { entries: this.held.entries + this.admitted.entries, bytes: this.held.bytes + this.admitted.bytes };
  }

  /** Counts admitted entries until they are applied (Hocuspocus applies an admitted message in the same turn). */
  admit(entries: number, bytes: number): void {
    this.admitted.entries += entries;
    this.admitted.bytes += bytes;
    setImmediate(() => {
      this.admitted.entries -= entries;
      this.admitted.bytes -= bytes;
    });
  }
}

/** Why a message is refused (the connection is closed: a dropped update leaves the two out of step). */
export type RelayVerdict = { reason: string } | undefined;

export class RelayConnectionGuard {
  private readonly items: RateBudget;
  private readonly bytes: RateBudget;
  private readonly requests: RateBudget;

  private readonly room: RoomTally | undefined;
  private readonly rated: boolean;

  constructor(
    private readonly limits: RelayLimits,
    private readonly documentName: string,
    options: {
      /** The room's sealed log (only the relay knows it). */
      room?: RoomTally;
      /**
       * Spend from rate budgets (the relay, per client). A peer's one connection carries every
       * other peer's updates: the relay has held each sender to its rate already.
       */
      rated: boolean;
      now?: () => number;
    },
  ) {
    const now = options.now;
    this.room = options.room;
    this.rated = options.rated;
    this.items = new RateBudget(limits.maxItemsPerMessage, limits.itemsPerSecond, now);
    this.bytes = new RateBudget(limits.maxMessageBytes, limits.bytesPerSecond, now);
    const burst = Math.max(2, Math.ceil(limits.requestsPerMinute / 2));
    this.requests = new RateBudget(burst, limits.requestsPerMinute / 60, now);
  }

  inspect(message: Uint8Array): RelayVerdict {
    if (message.byteLength > this.limits.maxMessageBytes) return { reason: `message of ${message.byteLength} bytes` };
    let frame;
    try {
      frame = readFrame(message);
    } catch (error) {
      return { reason: `undecodable message: ${(error as Error).message}` };
    }
    if (frame.documentName !== this.documentName) return { reason: 'message for another room' };
    switch (frame.kind) {
      case 'sync-request':
        if (frame.clients > this.limits.maxItemsPerMessage) return { reason: `state vector of ${frame.clients} clients` };
        return this.request() ? undefined : { reason: `more than ${this.limits.requestsPerMinute} sync requests a minute` };
      case 'presence-query':
        return this.request() ? undefined : { reason: `more than ${this.limits.requestsPerMinute} presence queries a minute` };
      case 'presence':
        return frame.bytes > this.limits.maxPresenceBytes ? { reason: `presence message of ${frame.bytes} bytes` } : undefined;
      case 'update':
        return this.update(frame.update);
      case 'other':
        return undefined; // auth, stateless, close, sync status: Hocuspocus's own small messages
    }
  }

  private request(): boolean {
    return !this.rated || this.requests.take();
  }

  private update(update: Uint8Array): RelayVerdict {
    const screened = screenSealedUpdate(update, this.limits);
    if (typeof screened === 'string') return { reason: screened };
    if (this.rated && !this.items.take(screened.items)) return { reason: `more than ${this.limits.itemsPerSecond} items a second` };
    const added = screened.entries.reduce((sum, entry) => sum + entry.byteLength, 0);
    if (this.rated && !this.bytes.take(update.byteLength)) return { reason: `more than ${this.limits.bytesPerSecond} bytes a second` };
    if (this.room && screened.entries.length > 0) {
      const size = this.room.size();
      if (size.entries + screened.entries.length > this.limits.maxRoomEntries) return { reason: `the room would hold more than ${this.limits.maxRoomEntries} entries` };
      if (size.bytes + added > this.limits.maxRoomBytes) return { reason: `the room would hold more than ${this.limits.maxRoomBytes} bytes` };
      this.room.admit(screened.entries.length, added);
    }
    return undefined;
  }
}
