// The shared CRDT: an append-only log of signed batches in one Y.Array, each a writer's chunks of
// text (textBatch.ts): a chunk set to its tokens, or removed. Yjs merges concurrent appends without
// losing one (HARNESS.md, "Counting under a CRDT"). A chunk's current text is its record in the
// writer's live batch of highest seq (teamLayer.ts). Each writer compacts only its own batches, in
// one transaction, so concurrent appends by others survive; the batches that replace them say,
// signed, which ones they supersede (batchFormat.ts), and re-publish every chunk the writer still
// has: a full compaction writes a snapshot of the live chunks (no removal records: the floor it
// raises supersedes every earlier batch), a partial one folds the deltas into one delta that keeps
// their removal records and lists them dead. Batches of our writer id that this instance did not
// write are stale leftovers of an earlier run (our current contribution is re-published on start):
// every batch of this run supersedes them. A batch of ours that someone else deleted is put back,
// and so is another writer's batch that the team layer says was deleted without its writer
// superseding it (putBack): any peer holding it restores it, so a deletion rolls no writer back,
// for a later joiner or after a restart either, and the superseding batches stay in the log as
// the persisted record of what each writer superseded.
// The index of the log (batches by id, their count and bytes) follows each change's own items:
// an update costs what it adds or deletes, never a rescan of the whole log.
import * as Y from 'yjs';
import { encodeLoggedBatch, payloadOf, readLoggedBatch, signatureProblem, type BatchKind, type LoggedBatch } from './batchFormat';
import { decodeTextBatch, encodeTextBatch, estimatedRecordBytes, textBatchOf, type TextBatch, type TextRecord } from './textBatch';
import type { WriterKey } from './writerKey';

export const LOG_NAME = 'lightNetwork.deltaLog';
/** Most superseded batches a partial fold lists; past it the compaction is a full one (which raises the floor instead). */
const MAX_FOLD_DEAD = 20_000;
/** Longest a vanished batch waits for the updates the document could not integrate yet before it is reported. */
const DOUBT_MS = 2000;
/** Most records in one of our logged batches: far below the per-batch cap peers hold us to (maxRecordsPerBatch). */
export const RECORDS_PER_BATCH = 2_000;
/**
 * Most bytes of one of our logged batches (by estimatedRecordBytes, at least 3 bytes a token): at
 * most about 350k tokens, below maxTokensPerBatch and maxBatchBytes. Smaller batches repeat their
 * string tables: at 256 KiB a 1M-token log took 3.3 bytes a token instead of 2.5 and synced in
 * 1.1-1.6 s instead of 0.8 s. A single larger record goes alone.
 */
export const BYTES_PER_BATCH = 1024 * 1024;
/** What compaction may decode of our own batches: they are ours, so only their size is bounded. */
const OWN_LIMITS = { maxRecords: Number.MAX_SAFE_INTEGER, maxTokens: 1 << 30, maxTokenLength: Number.MAX_SAFE_INTEGER };

export interface LogChange {
  added: LoggedBatch[];
  removed: LoggedBatch[];
  /** Entries that are not batches at all (bad header), new since the last change. */
  malformed: string[];
}

export class DeltaLog {
  readonly array: Y.Array<Uint8Array>;
  /** The copy of each batch id that counts (the first genuine one when a replay put in several). */
  private readonly known = new Map<string, LoggedBatch>();
  /** Every copy of each batch id now in the log. */
  private readonly copies = new Map<string, LoggedBatch[]>();
  /** Entries now in the log that are not batches, with why. */
  private readonly malformed = new Map<object, string>();
  private entryCount = 0;
  private byteCount = 0;
  /** The batches this instance appended and has not compacted away. */
  private readonly written = new Map<string, OwnBatch>();
  /** Our next batch's seq: rises across restarts (time based), so this run's batches follow the last run's. */
  private nextSeq = Date.now() * 1000;
  /** Every batch of ours below this seq is superseded (at first: everything from earlier runs). */
  private floor = this.nextSeq;
  private republishing = false;
  /** Other writers' batches to put back, by id. */
  private readonly toPutBack = new Map<string, Uint8Array>();
  /**
   * Batches that vanished while the document held updates it could not integrate yet (their
   * dependencies missing), by id: reported as removed only once nothing is pending (or after
   * DOUBT_MS), since the batch superseding them may be among what waits. Reported at once, a
   * writer's compaction seen through a partial sync would look like a deletion, and be put back.
   */
  private readonly doubtful = new Map<string, LoggedBatch>();
  private doubtTimer: NodeJS.Timeout | undefined;
  private destroyed = false;
  readonly writer: string;
  private readonly parsed = new WeakMap<object, LoggedBatch | string>();
  private readonly verified = new WeakMap<object, boolean>();
  private readonly listeners = new Set<(change: LogChange) => void>();
  private readonly observer = (event: Y.YArrayEvent<Uint8Array>) => this.refresh(this.changedItems(event.transaction));

  constructor(
    readonly doc: Y.Doc,
    private readonly key: WriterKey,
  ) {
    this.writer = key.id;
    this.array = doc.getArray<Uint8Array>(LOG_NAME);
    this.array.observe(this.observer);
  }

  /** Listens to batches appearing and disappearing; `replay` first reports what is already there. */
  onChange(listener: (change: LogChange) => void, replay = true): () => void {
    this.listeners.add(listener);
    if (replay) listener({ added: [...this.known.values()], removed: [], malformed: [...this.malformed.values()] });
    return () => this.listeners.delete(listener);
  }

  /**
   * Appends a batch of this writer in one transaction, split into logged batches of at most
   * RECORDS_PER_BATCH records and about BYTES_PER_BATCH bytes. A chunk named twice keeps its last record.
   */
  append(batch: TextBatch, kind: BatchKind = 'delta'): void {
    this.appendWithin(batch, kind, Infinity);
  }

  /**
   * Appends as `append` does if the batch's encoding takes at most `maxBytes` in at most
   * `maxBatches` log entries, and returns the bytes it took; appends nothing and returns undefined
   * when it would take more.
   */
  appendWithin(batch: TextBatch, kind: BatchKind, maxBytes: number, maxBatches = Infinity): number | undefined {
    if (batch.records.length === 0) return 0;
    const encoded = this.encodeOwn(latestByKey(batch.records), kind);
    const bytes = encoded.reduce((sum, entry) => sum + entry.byteLength, 0);
    if (bytes > maxBytes || encoded.length > maxBatches) {
      for (const entry of encoded) this.written.delete(readLoggedBatch(entry).id);
      this.nextSeq -= encoded.length; // nobody saw them: the seqs are free again
      return undefined;
    }
    this.doc.transact(() => this.array.push(encoded), this);
    return bytes;
  }

  /** Records (distinct keys) as logged batches; `dead` goes on the first, and an empty list still makes one batch. */
  private encodeOwn(records: TextRecord[], kind: BatchKind, dead: string[] = []): Uint8Array[] {
    const out: Uint8Array[] = [];
    let part: TextRecord[] = [];
    let bytes = 0;
    const flush = () => {
      out.push(this.encodeOne({ records: part }, kind, out.length === 0 ? dead : []));
      part = [];
      bytes = 0;
    };
    for (const record of records) {
      const size = estimatedRecordBytes(record);
      if (part.length > 0 && (part.length >= RECORDS_PER_BATCH || bytes + size > BYTES_PER_BATCH)) flush();
      part.push(record);
      bytes += size;
    }
    if (part.length > 0 || out.length === 0) flush();
    return out;
  }

  private encodeOne(batch: TextBatch, kind: BatchKind, dead: string[]): Uint8Array {
    const seq = this.nextSeq++;
    const bytes = encodeLoggedBatch(this.key, kind, encodeTextBatch(batch), { seq, floor: this.floor, dead });
    let tokens = 0;
    for (const record of batch.records) tokens += record.tokens.length;
    this.written.set(readLoggedBatch(bytes).id, { kind, records: batch.records.length, tokens, seq, bytes });
    return bytes;
  }

  /** Batches currently in the log (valid headers only). */
  batches(): LoggedBatch[] {
    return [...this.known.values()];
  }

  /** Entries in the log now (batches or not) and their bytes: what the log's caps bound. */
  size(): { batches: number; bytes: number } {
    return { batches: this.entryCount, bytes: this.byteCount };
  }

  /** This instance's batches in the log, by kind, with their records and tokens (compaction triggers). */
  ownStats(): OwnStats {
    const stats = { deltaBatches: 0, deltaRecords: 0, deltaTokens: 0, snapshotBatches: 0, snapshotRecords: 0, snapshotTokens: 0 };
    for (const { kind, records, tokens } of this.written.values()) {
      if (kind === 'delta') {
        stats.deltaBatches++;
        stats.deltaRecords += records;
        stats.deltaTokens += tokens;
      } else {
        stats.snapshotBatches++;
        stats.snapshotRecords += records;
        stats.snapshotTokens += tokens;
      }
    }
    return stats;
  }

  /**
   * Folds this instance's batches by chunk key (a chunk's record of highest seq wins), in one
   * transaction, and deletes stale batches of our writer id. `full` folds everything into snapshot
   * batches of the live chunks (removal records dropped: the raised floor supersedes every earlier
   * batch, so nothing of them stays); otherwise only the delta batches are folded into one delta
   * (cheap: the snapshot, usually the bulk, is left alone), removal records kept and the folded
   * batches listed dead. Other writers' batches (even concurrent ones) are untouched.
   */
  compact(full = true): void {
    // What we wrote, from our own bytes (never the log's copies: someone may have put a forged one
    // with our id there), whether or not it is in the log now: one that someone deleted and we
    // have not put back yet still holds our newest record of its chunks.
    const folded = new Map<string, OwnBatch>();
    const kept: OwnBatch[] = [];
    for (const [id, own] of this.written) {
      if (!full && own.kind === 'snapshot') kept.push(own);
      else folded.set(id, own);
    }
    // Their copies in the log go, and batches of our id we did not write (stale: an earlier run's).
    const doomed: number[] = [];
    this.array.toArray().forEach((bytes, index) => {
      const batch = this.header(bytes);
      if (typeof batch !== 'string' && batch.writer === this.writer && (folded.has(batch.id) || !this.written.has(batch.id))) doomed.push(index);
    });
    if (folded.size === 0 && doomed.length === 0) return;
    let dead = [...folded.keys()].map((id) => id.slice(id.lastIndexOf('/') + 1));
    if (!full) {
      // The fold also lists what the batches it folds listed: a peer that saw an earlier fold but
      // not the one that superseded it (a partial sync) must still learn that it is superseded.
      // The list only grows between full compactions, which raise the floor instead.
      const listed = new Set(dead);
      for (const { bytes } of folded.values()) for (const nonce of readLoggedBatch(bytes).dead) listed.add(nonce);
      if (listed.size > MAX_FOLD_DEAD) return this.compact(true);
      dead = [...listed];
    }
    for (const id of folded.keys()) this.written.delete(id);
    const latest = new Map<string, { seq: number; record: TextRecord }>();
    for (const { seq, bytes } of folded.values()) {
      for (const record of textBatchOf(decodeTextBatch(payloadOf(readLoggedBatch(bytes)), OWN_LIMITS)).records) {
        const before = latest.get(record.key);
        if (!before || before.seq < seq) latest.set(record.key, { seq, record });
      }
    }
    // A snapshot batch left alone that is newer than a folded delta (a change published while the
    // snapshot was being written) holds the newer record: the fold, of a higher seq, must not
    // bring the older one back over it. Usually there is none (the snapshot comes first).
    const oldest = Math.min(...[...folded.values()].map((own) => own.seq));
    for (const { seq, bytes } of kept) {
      if (seq < oldest) continue;
      for (const key of decodeTextBatch(payloadOf(readLoggedBatch(bytes)), OWN_LIMITS).keys) {
        const before = latest.get(key);
        if (before && before.seq < seq) latest.delete(key);
      }
    }
    let records = [...latest.values()].sort((x, y) => x.seq - y.seq).map((x) => x.record);
    // A full compaction supersedes everything of ours so far; folding names the batches it folds.
    if (full) {
      this.floor = this.nextSeq;
      records = records.filter((record) => record.tokens.length > 0);
    }
    const encoded =
      full && records.length === 0 ? [this.encodeOne({ records: [] }, 'delta', [])] : this.encodeOwn(records, full ? 'snapshot' : 'delta', full ? [] : dead);
    this.doc.transact(() => {
      for (let i = doomed.length - 1; i >= 0; i--) this.array.delete(doomed[i], 1);
      this.array.push(encoded);
    }, this);
  }

  /**
   * Deletes batches of our writer id that this instance did not write (left over from a past run).
   * Peers honour the deletion because our batches supersede them: if we have written none yet, or
   * a stale one's seq is not below our floor (a clock that went back), an empty batch that
   * supersedes them goes in first, in the same transaction.
   */
  removeStale(): number {
    const stale: number[] = [];
    const uncovered: LoggedBatch[] = [];
    this.array.toArray().forEach((bytes, index) => {
      const batch = this.header(bytes);
      if (typeof batch === 'string' || batch.writer !== this.writer || this.written.has(batch.id)) return;
      stale.push(index);
      // Forged ones (anyone can copy our public key) go too, but must not move our seq.
      if (batch.seq >= this.floor && this.genuine(batch)) uncovered.push(batch);
    });
    if (stale.length > 0) {
      this.nextSeq = Math.max(this.nextSeq, ...uncovered.map((batch) => batch.seq + 1));
      const dead = uncovered.map((batch) => batch.nonce);
      const marker = this.written.size === 0 || dead.length > 0 ? [this.encodeOne({ records: [] }, 'delta', dead)] : [];
      this.doc.transact(() => {
        for (let i = stale.length - 1; i >= 0; i--) this.array.delete(stale[i], 1);
        this.array.push(marker);
      }, this);
    }
    return stale.length;
  }

  destroy(): void {
    this.destroyed = true;
    clearTimeout(this.doubtTimer);
    this.array.unobserve(this.observer);
    this.listeners.clear();
  }

  /**
   * The log's items a transaction added and deleted, found from its state vectors and delete set.
   * Not YEvent.changes: that walks the whole array on every change, and concatenates inserted
   * runs quadratically (one update of 40k items took 3.4 s).
   */
  private changedItems(transaction: Y.Transaction): { added: Y.Item[]; deleted: Y.Item[] } {
    const added: Y.Item[] = [];
    const deleted: Y.Item[] = [];
    const inLog = (struct: unknown): struct is Y.Item => struct instanceof Y.Item && struct.parent === this.array;
    for (const [client, after] of transaction.afterState) {
      const before = transaction.beforeState.get(client) ?? 0;
      if (after <= before) continue;
      const structs = this.doc.store.clients.get(client)!;
      for (let i = Y.findIndexSS(structs, before); i < structs.length && structs[i].id.clock < after; i++) {
        const struct = structs[i];
        if (inLog(struct) && !struct.deleted) added.push(struct);
      }
    }
    Y.iterateDeletedStructs(transaction, transaction.deleteSet, (struct) => {
      // Only what existed before: an item added and deleted in one transaction was never seen.
      if (inLog(struct) && struct.id.clock < (transaction.beforeState.get(struct.id.client) ?? 0)) deleted.push(struct);
    });
    return { added, deleted };
  }

  /** Updates the index from one change's items and tells the listeners what appeared and vanished. */
  private refresh(changes: { added: Y.Item[]; deleted: Y.Item[] }): void {
    const touched = new Set<string>();
    const malformed: string[] = [];
    for (const item of changes.added) {
      for (const bytes of item.content.getContent()) {
        const batch = this.index(bytes, 1);
        if (typeof batch === 'string') malformed.push(batch);
        else if (batch) touched.add(batch.id);
      }
    }
    // Deleted items still hold their content while observers run (Yjs collects it afterwards).
    for (const item of changes.deleted) {
      for (const bytes of item.content.getContent()) {
        const batch = this.index(bytes, -1);
        if (batch && typeof batch !== 'string') touched.add(batch.id);
      }
    }
    const added: LoggedBatch[] = [];
    const removed: LoggedBatch[] = [];
    for (const id of touched) {
      const before = this.known.get(id);
      const list = this.copies.get(id) ?? [];
      // A forged copy put in front cannot hide the real one: the first genuine copy counts.
      const chosen = list.length <= 1 ? list[0] : (list.find((copy) => this.genuine(copy)) ?? list[0]);
      if (chosen) this.known.set(id, chosen);
      else this.known.delete(id);
      if (!before && chosen) added.push(chosen);
      else if (before && !chosen) removed.push(before);
    }
    if (removed.some((batch) => this.written.has(batch.id))) this.republishDeleted();
    this.emit(added, this.settleRemoved(removed), malformed);
  }

  private emit(added: LoggedBatch[], removed: LoggedBatch[], malformed: string[]): void {
    if (added.length === 0 && removed.length === 0 && malformed.length === 0) return;
    for (const listener of this.listeners) listener({ added, removed, malformed });
  }

  /** The removed batches to report now: held back while updates wait for their dependencies (see doubtful). */
  private settleRemoved(removed: LoggedBatch[]): LoggedBatch[] {
    const store = this.doc.store as unknown as { pendingStructs: unknown; pendingDs: unknown };
    if (store.pendingStructs || store.pendingDs) {
      for (const batch of removed) this.doubtful.set(batch.id, batch);
      if (this.doubtful.size > 0 && !this.doubtTimer) {
        this.doubtTimer = setTimeout(() => {
          this.doubtTimer = undefined;
          if (!this.destroyed) this.emit([], this.takeDoubtful([]), []);
        }, DOUBT_MS);
        this.doubtTimer.unref?.();
      }
      return [];
    }
    return this.takeDoubtful(removed);
  }

  /** `removed` and the doubtful batches still absent from the log. */
  private takeDoubtful(removed: LoggedBatch[]): LoggedBatch[] {
    if (this.doubtful.size === 0) return removed;
    clearTimeout(this.doubtTimer);
    this.doubtTimer = undefined;
    const out = [...removed];
    for (const [id, batch] of this.doubtful) if (!this.known.has(id) && !removed.includes(batch)) out.push(batch);
    this.doubtful.clear();
    return out;
  }

  /** Counts one entry in (+1) or out (-1) of the index; returns its batch, or why it is none. */
  private index(bytes: unknown, sign: 1 | -1): LoggedBatch | string | undefined {
    if (bytes instanceof Uint8Array) this.byteCount += sign * bytes.byteLength;
    this.entryCount += sign;
    const batch = this.header(bytes);
    if (typeof batch === 'string') {
      if (typeof bytes !== 'object' || bytes === null) return sign > 0 ? batch : undefined;
      if (sign > 0) this.malformed.set(bytes, batch);
      else this.malformed.delete(bytes);
      return sign > 0 ? batch : undefined;
    }
    const list = this.copies.get(batch.id) ?? [];
    if (sign > 0) list.push(batch);
    else if (list.includes(batch)) list.splice(list.indexOf(batch), 1);
    if (list.length > 0) this.copies.set(batch.id, list);
    else this.copies.delete(batch.id);
    return batch;
  }

  /** Puts back the same bytes of another writer's batch that was deleted without that writer superseding it. */
  putBack(batch: LoggedBatch): void {
    if (batch.writer === this.writer) return; // ours are republished from what we wrote
    this.toPutBack.set(batch.id, batch.bytes);
    this.republishDeleted();
  }

  /** Someone else deleted batches of ours that we never superseded (or putBack asked): put the same bytes back. */
  private republishDeleted(): void {
    if (this.republishing) return;
    this.republishing = true;
    setImmediate(() => {
      this.republishing = false;
      if (this.destroyed) return;
      const present = this.known;
      const missing = [...this.written].filter(([id]) => !present.has(id)).map(([, own]) => own.bytes);
      for (const [id, bytes] of this.toPutBack) if (!present.has(id)) missing.push(bytes);
      this.toPutBack.clear();
      if (missing.length > 0) this.doc.transact(() => this.array.push(missing), this);
    });
  }

  private genuine(batch: LoggedBatch): boolean {
    let ok = this.verified.get(batch.bytes);
    if (ok === undefined) this.verified.set(batch.bytes, (ok = signatureProblem(batch) === undefined));
    return ok;
  }

  private header(bytes: unknown): LoggedBatch | string {
    if (typeof bytes !== 'object' || bytes === null) return 'log entry is not a byte string';
    let result = this.parsed.get(bytes);
    if (result === undefined) {
      try {
        result = readLoggedBatch(bytes as Uint8Array);
      } catch (error) {
        result = (error as Error).message;
      }
      this.parsed.set(bytes, result);
    }
    return result;
  }
}

export interface OwnStats {
  deltaBatches: number;
  deltaRecords: number;
  deltaTokens: number;
  snapshotBatches: number;
  snapshotRecords: number;
  snapshotTokens: number;
}

/** The records with one per key, its last (a later record of a chunk replaces an earlier one). */
function latestByKey(records: TextRecord[]): TextRecord[] {
  const byKey = new Map<string, TextRecord>();
  for (const record of records) {
    byKey.delete(record.key);
    byKey.set(record.key, record);
  }
  return byKey.size === records.length ? records : [...byKey.values()];
}

interface OwnBatch {
  kind: BatchKind;
  records: number;
  tokens: number;
  seq: number;
  /** Kept to put back if someone else deletes it. */
  bytes: Uint8Array;
}
