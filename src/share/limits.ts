// Caps on what peers may send. Every number here bounds memory or CPU that an untrusted peer could
// otherwise make us spend; the defaults fit a 1M n-gram team memory with room to spare.
export interface ShareLimits {
  /** Largest reassembled data-channel message (the first sync carries the whole log). */
  maxMessageBytes: number;
  /** Largest single batch in the log. */
  maxBatchBytes: number;
  /** Most (n-gram, delta) entries in one batch. */
  maxEntriesPerBatch: number;
  /** Longest token, in UTF-16 units: a peer's token becomes ghost text, and a long one hides the line. */
  maxTokenLength: number;
  /** Largest |delta| of one entry: counts beyond this are absurd, not data. */
  maxAbsDelta: number;
  /** Most distinct words the team layer may hold: a flood of new words is rejected. */
  maxTeamVocabulary: number;
  /** Most n-grams the team layer may hold. */
  maxTeamNgrams: number;
  /** Most (writer, n-gram) pairs the team layer's writer ledger may track (about 30 bytes each). */
  maxLedgerEntries: number;
  /** Largest awareness (presence) message. */
  maxPresenceBytes: number;
  /** Most Yjs structs and deletion ranges in one message (checked on its bytes, before Yjs decodes it). */
  maxItemsPerMessage: number;
  /** Most batches the shared log may hold (a first sync sends the whole log in one message). */
  maxLogBatches: number;
  /** Most bytes of batches the shared log may hold. */
  maxLogBytes: number;
  /** Items one link may send per second after its first sync (which may use maxItemsPerMessage at once). */
  peerItemsPerSecond: number;
  /** Sync requests and presence queries one link may make per minute (each answer can be the whole log). */
  peerRequestsPerMinute: number;
  /** Most bytes waiting to be sent on one link: a peer that does not read past this is cut off. */
  maxSendQueueBytes: number;
}

export const DEFAULT_LIMITS: ShareLimits = {
  maxMessageBytes: 64 * 1024 * 1024,
  maxBatchBytes: 4 * 1024 * 1024,
  maxEntriesPerBatch: 100_000,
  maxTokenLength: 64,
  maxAbsDelta: 100_000_000,
  maxTeamVocabulary: 2_000_000,
  maxTeamNgrams: 20_000_000,
  maxLedgerEntries: 20_000_000,
  maxPresenceBytes: 64 * 1024,
  maxItemsPerMessage: 20_000,
  maxLogBatches: 20_000,
  maxLogBytes: 64 * 1024 * 1024,
  peerItemsPerSecond: 500,
  peerRequestsPerMinute: 6,
  maxSendQueueBytes: 96 * 1024 * 1024,
};

export function withLimits(overrides?: Partial<ShareLimits>): ShareLimits {
  const limits = { ...DEFAULT_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`share limit ${name} must be a positive number`);
  }
  return limits;
}
