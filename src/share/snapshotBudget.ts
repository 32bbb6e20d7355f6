// A writer's snapshot sized to its share of the team log. A large workspace's memory does not fit
// whole: code has about 3.7 n-grams per token and each takes about 13 bytes in the log, so a 64 MiB
// log holds the n-grams of about 1.3M tokens. A log over the cap is refused by every peer (the first
// sync carries it whole), and the session then shares nothing at all. So a snapshot over the budget
// keeps the n-grams seen at least `threshold` times, the smallest threshold whose n-grams fit: every
// shorter n-gram inside a kept one is seen at least as often, so what is kept is closed under
// shortening, as a memory's counts are. What room is left goes to n-grams seen threshold - 1 times,
// in the order they come (so a memory whose counts are all alike still shares what fits).
//
// Sizes are estimates from each entry's tokens (deltaCodec.ts: per entry its length and delta, per
// token an index into its batch's table of words, and each word's text once in that table, charged
// here an eighth of it per use). On real code (the Linux kernel's first 1.2M tokens, 4.3M n-grams)
// the encoding took 82% of the estimate in all, 113% on the worst batch: the log measures what it
// appends, and the publisher stops at the budget whatever the estimate said.
import type { DeltaBatch, NgramDelta } from '../memory/types';

/** An entry's length and delta. */
const ENTRY_BYTES = 3;
/** A token's index in its batch's table (its text's share is charged by its length). */
const TOKEN_BYTES = 2;
/** Counts at or above this share one bucket: no threshold worth choosing is that high. */
const BUCKETS = 4096;

/** The log bytes an entry is estimated to take (see above). */
export function estimatedEntryBytes(entry: NgramDelta): number {
  let bytes = ENTRY_BYTES;
  for (const token of entry.ngram) bytes += TOKEN_BYTES + (token.length >> 3);
  return bytes;
}

/** The most a memory of `ngrams` n-grams of at most `order` tokens of at most `tokenLength` characters can be estimated to take. */
export function largestEstimate(ngrams: number, order: number, tokenLength: number): number {
  return ngrams * (ENTRY_BYTES + order * (TOKEN_BYTES + (tokenLength >> 3)));
}

export interface SnapshotPlan {
  /** Entries with a count below this are left out (1: all of them are shared), but for the fill. */
  threshold: number;
  /** Estimated bytes left for entries seen threshold - 1 times, taken as they come. */
  fillBytes: number;
  /** Entries seen, and those the threshold keeps. */
  total: number;
  kept: number;
  /** Estimated log bytes of the kept entries. */
  estimatedBytes: number;
}

/** Sizes a snapshot from its entries, seen once each, and picks the threshold that fits a budget. */
export class SnapshotSizer {
  private readonly entries = new Float64Array(BUCKETS + 1);
  private readonly bytes = new Float64Array(BUCKETS + 1);
  private total = 0;

  add(entry: NgramDelta): void {
    if (entry.delta <= 0) return; // a snapshot holds counts; nothing else is published
    const bucket = Math.min(entry.delta, BUCKETS);
    this.entries[bucket]++;
    this.bytes[bucket] += estimatedEntryBytes(entry);
    this.total++;
  }

  /** The smallest threshold whose entries fit `budgetBytes` (above every count when none fit). */
  plan(budgetBytes: number): SnapshotPlan {
    let kept = 0;
    let bytes = 0;
    let threshold = BUCKETS + 1;
    for (let bucket = BUCKETS; bucket >= 1; bucket--) {
      if (bytes + this.bytes[bucket] > budgetBytes) break;
      bytes += this.bytes[bucket];
      kept += this.entries[bucket];
      threshold = bucket;
    }
    return { threshold, fillBytes: threshold > 1 ? budgetBytes - bytes : 0, total: this.total, kept, estimatedBytes: bytes };
  }
}

/** A memory's whole contribution, walked as often as publishing needs (twice when it must be cut). */
export interface SnapshotSource {
  /** N-grams the memory holds and its order: enough to tell, without a walk, that the whole fits. */
  ngrams: number;
  order: number;
  /** Every n-gram with its count, in batches; each call walks the memory afresh. */
  chunks(): AsyncIterable<DeltaBatch>;
}

/** What publishing a snapshot shared. */
export interface SnapshotReport {
  /** N-grams the memory holds (counted when it had to be sized; the source's figure otherwise). */
  total: number;
  /** N-grams published (secret-looking ones are never). */
  published: number;
  /** N-grams seen fewer times than this were left out, and some seen one time fewer (1: none were). */
  threshold: number;
  /** Log bytes the snapshot took, and what it may take (limits.maxSnapshotBytes). */
  bytes: number;
  budgetBytes: number;
  /** The budget ran out before the walk did (the estimate fell short): the rest was left out. */
  cut: boolean;
}
