// Caps on what peers may send. Every number here bounds memory or CPU that an untrusted peer could
// otherwise make us spend; the defaults fit a team memory of 20M tokens (peers' text).
export interface ShareLimits {
  /** Largest reassembled data-channel message (the first sync carries the whole log). */
  maxMessageBytes: number;
  /** Largest single batch in the log. */
  maxBatchBytes: number;
  /** Most records (chunks of a writer's text, set or removed) in one batch. */
  maxRecordsPerBatch: number;
  /**
   * Most tokens (cuts included) in one batch, all records together. Validating a batch is one step
   * of the team layer's slices (about 0.3 s a million tokens, secrets read in context), so this
   * bounds the longest stall a peer's batch can cause: about 0.34 s at the cap; our own batches
   * (BYTES_PER_BATCH: at most about 350k tokens) stay below it.
   */
  maxTokensPerBatch: number;
  /** Longest token, in UTF-16 units: a peer's token becomes ghost text, and a long one hides the line. */
  maxTokenLength: number;
  /** Most distinct words the team layer may hold: a flood of new words is rejected. */
  maxTeamVocabulary: number;
  /** Most tokens of peers' text the team memory may hold (about 10-12 bytes each once indexed). */
  maxTeamTokens: number;
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
  /**
   * Most log bytes our own snapshot may take (snapshotBudget.ts): a larger memory shares its most
   * documents in order until it is full. A quarter of the log by default, so four writers' full snapshots fit.
   */
  maxSnapshotBytes: number;
}

export const DEFAULT_LIMITS: ShareLimits = {
  maxMessageBytes: 64 * 1024 * 1024,
  maxBatchBytes: 4 * 1024 * 1024,
  maxRecordsPerBatch: 20_000,
  // A token takes at least a byte on the wire: a 4 MiB batch holds no more than this anyway.
  maxTokensPerBatch: 1024 * 1024,
  maxTokenLength: 64,
  maxTeamVocabulary: 2_000_000,
  maxTeamTokens: 20_000_000,
  maxPresenceBytes: 64 * 1024,
  maxItemsPerMessage: 20_000,
  maxLogBatches: 20_000,
  maxLogBytes: 64 * 1024 * 1024,
  peerItemsPerSecond: 500,
  peerRequestsPerMinute: 6,
  maxSendQueueBytes: 96 * 1024 * 1024,
  maxSnapshotBytes: 16 * 1024 * 1024,
};

export function withLimits(overrides?: Partial<ShareLimits>): ShareLimits {
  const limits = { ...DEFAULT_LIMITS, ...overrides };
  // Our snapshot is a quarter of the log unless set, and never more than the log holds.
  if (overrides?.maxSnapshotBytes === undefined && overrides?.maxLogBytes !== undefined) limits.maxSnapshotBytes = Math.floor(overrides.maxLogBytes / 4);
  limits.maxSnapshotBytes = Math.min(limits.maxSnapshotBytes, limits.maxLogBytes);
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`share limit ${name} must be a positive number`);
  }
  return limits;
}

const MiB = 1024 * 1024;

/**
 * A cap a team may tune in settings, in the setting's unit (`unit` of the option each is), with
 * hard bounds: a setting beyond them is clamped, so no setting lifts a cap to where a peer could
 * make us allocate or compute without bound. The ceilings are a few times the defaults.
 */
interface Tunable<K extends string> {
  key: K;
  unit: number;
  min: number;
  max: number;
}

/** `lightNetwork.share.<setting>` → the share limit it sets. */
export const SHARE_LIMIT_SETTINGS: Record<string, Tunable<keyof ShareLimits>> = {
  maxMessageMB: { key: 'maxMessageBytes', unit: MiB, min: 1, max: 256 },
  maxLogMB: { key: 'maxLogBytes', unit: MiB, min: 1, max: 256 },
  maxLogBatches: { key: 'maxLogBatches', unit: 1, min: 100, max: 100_000 },
  maxTeamTokens: { key: 'maxTeamTokens', unit: 1, min: 1000, max: 60_000_000 },
  maxTeamVocabulary: { key: 'maxTeamVocabulary', unit: 1, min: 1000, max: 6_000_000 },
  peerItemsPerSecond: { key: 'peerItemsPerSecond', unit: 1, min: 10, max: 5000 },
  peerRequestsPerMinute: { key: 'peerRequestsPerMinute', unit: 1, min: 1, max: 60 },
  maxSendQueueMB: { key: 'maxSendQueueBytes', unit: MiB, min: 8, max: 512 },
  maxSnapshotMB: { key: 'maxSnapshotBytes', unit: MiB, min: 1, max: 256 },
};

export interface SignalingLimits {
  maxConnections: number;
  maxConnectionsPerAddress: number;
  maxTopics: number;
  maxBufferedBytes: number;
}

/** `lightNetwork.share.signalingServer.<setting>` → the signaling server option it sets. */
export const SIGNALING_LIMIT_SETTINGS: Record<string, Tunable<keyof SignalingLimits>> = {
  maxConnections: { key: 'maxConnections', unit: 1, min: 2, max: 20_000 },
  maxConnectionsPerAddress: { key: 'maxConnectionsPerAddress', unit: 1, min: 1, max: 1024 },
  maxTopics: { key: 'maxTopics', unit: 1, min: 10, max: 200_000 },
  maxBufferedKB: { key: 'maxBufferedBytes', unit: 1024, min: 64, max: 16_384 },
};

export interface Tuned<T> {
  values: Partial<T>;
  /** One line per setting that was clamped or ignored, for the log. */
  notes: string[];
}

/** The values of the settings present in `settings` (by setting name), clamped to their bounds. */
export function tuneLimits<K extends string>(table: Record<string, Tunable<K>>, settings: Record<string, unknown>): Tuned<Record<K, number>> {
  const values: Partial<Record<K, number>> = {};
  const notes: string[] = [];
  for (const [name, { key, unit, min, max }] of Object.entries(table)) {
    const raw = settings[name];
    if (raw === undefined || raw === null) continue;
    if (typeof raw !== 'number' || !Number.isFinite(raw)) {
      notes.push(`${name}: ${JSON.stringify(raw)} is not a number; the default is used`);
      continue;
    }
    const bounded = Math.min(max, Math.max(min, raw));
    if (bounded !== raw) notes.push(`${name}: ${raw} is outside ${min}..${max}; ${bounded} is used`);
    values[key] = Math.round(bounded * unit);
  }
  return { values, notes };
}

/**
 * The share limits the settings ask for, clamped, and kept consistent: a first sync carries the
 * whole log in one message and the answer to it waits in the send queue, so the message cap is at
 * least the log cap and the send queue at least the message cap; our own snapshot is part of the log.
 */
export function tunedShareLimits(settings: Record<string, unknown>): Tuned<ShareLimits> {
  const { values, notes } = tuneLimits(SHARE_LIMIT_SETTINGS, settings);
  const limits = { ...DEFAULT_LIMITS, ...values };
  if (limits.maxMessageBytes < limits.maxLogBytes) {
    values.maxMessageBytes = limits.maxLogBytes;
    notes.push(`maxMessageMB: raised to maxLogMB (${limits.maxLogBytes / MiB}), since a first sync carries the whole log`);
  }
  const message = values.maxMessageBytes ?? limits.maxMessageBytes;
  if (limits.maxSendQueueBytes < message) {
    values.maxSendQueueBytes = message;
    notes.push(`maxSendQueueMB: raised to the message cap (${message / MiB}), since the answer to a sync request waits there whole`);
  }
  const log = values.maxLogBytes ?? limits.maxLogBytes;
  if (values.maxSnapshotBytes !== undefined && values.maxSnapshotBytes > log) {
    values.maxSnapshotBytes = log;
    notes.push(`maxSnapshotMB: lowered to maxLogMB (${log / MiB}), since our snapshot is part of the log`);
  }
  return { values, notes };
}
