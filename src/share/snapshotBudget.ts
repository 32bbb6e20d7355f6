// A writer's snapshot sized to its share of the team log. A writer shares the token streams of its
// memory's documents (chunks of files), about 2-4 bytes per token in the log: a 16 MiB share (a
// quarter of the default 64 MiB log) holds several million tokens, but a large workspace's memory
// does not fit whole. A log over the cap is refused by every peer (the first sync carries it whole),
// and the session then shares nothing at all; so a snapshot takes documents in the order its source
// gives them until the budget is full, each document whole or not at all (a document cut in the
// middle would teach peers n-grams that end where it was cut).
//
// Records are gathered into groups of about SNAPSHOT_GROUP_BYTES, estimated from their tokens
// (textBatch.ts: estimatedRecordBytes, an upper bound of the encoding): each logged batch costs a
// header and a signature, and the log holds a bounded number of them. The log measures what it
// appends, and the publisher stops at the budget whatever the estimate said.
import { estimatedRecordBytes, type TextRecord } from './textBatch';

/** Estimated bytes of records gathered before they are appended as one group (the log splits it further at its per-batch caps). */
export const SNAPSHOT_GROUP_BYTES = 512 * 1024;

/** A memory's documents, walked as publishing needs (once). */
export interface TextSnapshotSource {
  /** Documents and tokens the memory holds: what the report says was shared of. */
  documents: number;
  tokens: number;
  /** Every document's tokens ('' = a cut: a forgotten word), a slice at a time; each call walks the memory afresh. */
  chunks(): AsyncIterable<Array<{ id: string; tokens: readonly string[] }>>;
}

/** What publishing a snapshot shared. */
export interface SnapshotReport {
  /** Documents published, of the documents the memory holds. */
  documents: number;
  totalDocuments: number;
  /** Tokens of the documents published (secrets withheld included), of the tokens the memory holds. */
  tokens: number;
  totalTokens: number;
  /** Log bytes the snapshot took, and what it may take (limits.maxSnapshotBytes). */
  bytes: number;
  budgetBytes: number;
  /** The budget (or the log's room) ran out before the walk did: the rest was left out. */
  cut: boolean;
}

/** Records gathered for one append, with the source tokens they stand for. */
export class SnapshotGroup {
  records: TextRecord[] = [];
  /** Tokens of each record's document as the source gave it (the report counts these). */
  sourceTokens: number[] = [];
  estimatedBytes = 0;

  add(record: TextRecord, sourceTokens: number): void {
    this.records.push(record);
    this.sourceTokens.push(sourceTokens);
    this.estimatedBytes += estimatedRecordBytes(record);
  }

  get full(): boolean {
    return this.estimatedBytes >= SNAPSHOT_GROUP_BYTES;
  }

  get size(): number {
    return this.records.length;
  }

  /** Keeps the first `n` records. */
  truncate(n: number): void {
    this.records = this.records.slice(0, n);
    this.sourceTokens = this.sourceTokens.slice(0, n);
    this.estimatedBytes = this.records.reduce((sum, record) => sum + estimatedRecordBytes(record), 0);
  }

  clear(): void {
    this.records = [];
    this.sourceTokens = [];
    this.estimatedBytes = 0;
  }
}
