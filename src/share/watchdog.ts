// Recovers links that never finish syncing. When both ends drop a connection at once, Node WebRTC
// peers can stay stuck for good ("Called in wrong state: have-local-offer"); destroying any link
// that is neither synced nor receiving after a random 2-4 s made every one recover (HARNESS.md).
// The random deadline keeps both ends from retrying in lockstep.

/** The parts of y-webrtc's WebrtcConn the watchdog reads. */
export interface WatchedLink {
  synced: boolean;
  closed: boolean;
  peer: { destroy(): void; _pc?: object };
}

export interface WatchdogOptions {
  minMs: number;
  maxMs: number;
  /** Last time the link received data (0 if never): a link making progress is left alone. */
  lastActivity(link: WatchedLink): number;
  onReset(link: WatchedLink): void;
  random?: () => number;
  now?: () => number;
}

export class LinkWatchdog {
  private readonly deadlines = new WeakMap<WatchedLink, { since: number; patience: number }>();

  constructor(private readonly options: WatchdogOptions) {}

  /** Call periodically with the current links; returns how many were reset. */
  check(links: Iterable<WatchedLink>): number {
    const now = (this.options.now ?? Date.now)();
    const random = this.options.random ?? Math.random;
    let resets = 0;
    for (const link of links) {
      if (link.synced || link.closed) {
        this.deadlines.delete(link);
        continue;
      }
      let deadline = this.deadlines.get(link);
      if (!deadline) {
        deadline = { since: now, patience: this.options.minMs + random() * (this.options.maxMs - this.options.minMs) };
        this.deadlines.set(link, deadline);
      }
      const quietSince = Math.max(deadline.since, this.options.lastActivity(link));
      if (now - quietSince > deadline.patience) {
        this.deadlines.delete(link);
        resets++;
        this.options.onReset(link);
        link.peer.destroy();
      }
    }
    return resets;
  }
}
