// Decides whether a batch from a peer may touch the team memory. Everything is checked before
// anything is applied: a rejected batch changes nothing and says why. Works on the bulk form
// (typed arrays over the batch's string table): each distinct token is judged once, and no object
// is made per entry, which keeps a first sync of a million counts cheap.
import { decodeDeltasBulk, selectBulk, type BulkDeltaBatch } from '../memory/bulkDelta';
import { payloadOf, type LoggedBatch } from './batchFormat';
import type { ShareLimits } from './limits';
import { SecretValues } from './secretFilter';
import { tokenProblem } from './shareableToken';

/** What the validator needs to know about the team memory it guards. */
export interface TeamMemoryView {
  readonly order: number;
  wordCount(word: string): number;
  stats(): { vocabulary: number; ngrams: number };
}

/**
 * A batch's verdict. Accepted: the entries that may be applied, and `kept`, which entries of the
 * batch as given (for `validate`: as its payload decodes) they are, one byte each (1: kept), or
 * undefined when all are. The verdict depends on what the validator has learned and on the team
 * memory, both of which change; `kept` records it, so that the same entries can be re-made later
 * from the batch's bytes (`decode`, then selectBulk) without judging them again.
 */
export type ValidationResult = { ok: true; batch: BulkDeltaBatch; kept: Uint8Array | undefined } | { ok: false; reason: string };

export class BatchValidator {
  /** Secret values peers' batches gave away in context (`password = x`), dropped wherever they come. */
  private readonly secretValues = new SecretValues();
  /** Values that read as words (`password = hunter`), dropped from the batches of the writer that gave them away only. */
  private readonly secretWords = new Map<string, Set<string>>();

  constructor(
    private readonly limits: ShareLimits,
    private readonly team: TeamMemoryView,
    /** Entries whose tokens look secret are dropped (never an error: the rest of the batch is fine). */
    private readonly isSecretToken: (token: string) => boolean = () => false,
  ) {}

  validate(logged: LoggedBatch): ValidationResult {
    if (logged.bytes.byteLength > this.limits.maxBatchBytes) {
      return reject(`batch of ${logged.bytes.byteLength} bytes exceeds the ${this.limits.maxBatchBytes}-byte cap`);
    }
    let batch: BulkDeltaBatch;
    try {
      batch = this.decode(logged);
    } catch (error) {
      return reject(`undecodable batch: ${(error as Error).message}`);
    }
    return this.validateBulk(batch, logged.writer);
  }

  /**
   * A batch's payload in bulk form, as `validate` decodes it (the same bytes give the same arrays:
   * decoding is deterministic, and the limits only refuse). Throws MemoryFormatError.
   */
  decode(logged: LoggedBatch): BulkDeltaBatch {
    return decodeDeltasBulk(payloadOf(logged), {
      maxEntries: this.limits.maxEntriesPerBatch,
      maxTokenLength: this.limits.maxTokenLength,
      maxAbsDelta: this.limits.maxAbsDelta,
    });
  }

  /** Checks a batch in bulk form (n-gram lengths within the wire format's 1..12, as decoded) of `writer`. */
  validateBulk(batch: BulkDeltaBatch, writer = ''): ValidationResult {
    const { limits, team } = this;
    if (batch.count > limits.maxEntriesPerBatch) {
      return reject(`batch has ${batch.count} entries, more than ${limits.maxEntriesPerBatch}`);
    }
    const { starts, tokens, deltas, table } = batch;
    // The table is kept as long as the batch counts: it may hold only what the entries name.
    const unused = unusedTableEntries(batch);
    if (unused > 0) return reject(`batch's string table holds ${unused} tokens its entries never use`);
    const newWords = new Set<string>();
    // One verdict per table index, judged when first met (in entry order, as reasons are reported).
    const verdicts = new Int8Array(table.length).fill(UNJUDGED);
    const keep = new Uint8Array(batch.count);
    let kept = 0;
    const words = this.secretWordsOf(writer);
    const secretInContext = this.secretValues.markBulk(batch, words);
    for (let i = 0; i < batch.count; i++) {
      const problem = deltaProblem(deltas[i], limits);
      if (problem) return reject(problem);
      // A peer may count longer n-grams than this memory keeps: those entries are simply not kept.
      if (starts[i + 1] - starts[i] > team.order) continue;
      let secret = secretInContext[i] === 1;
      for (let k = starts[i]; k < starts[i + 1]; k++) {
        const t = tokens[k];
        let verdict = verdicts[t];
        if (verdict === UNJUDGED) {
          const judged = this.judgeToken(table[t], words);
          if (typeof judged === 'string') return reject(judged);
          verdict = verdicts[t] = judged;
        }
        if (verdict === SECRET) secret = true;
        else if (verdict === NEW && deltas[i] > 0) newWords.add(table[t]);
      }
      if (!secret) {
        keep[i] = 1;
        kept++;
      }
    }
    const stats = team.stats();
    if (stats.vocabulary + newWords.size > limits.maxTeamVocabulary) {
      return reject(`batch adds ${newWords.size} new words; the team memory is capped at ${limits.maxTeamVocabulary} words`);
    }
    if (stats.ngrams + kept > limits.maxTeamNgrams) {
      return reject(`batch would grow the team memory past ${limits.maxTeamNgrams} n-grams`);
    }
    if (kept === batch.count) return { ok: true, batch, kept: undefined };
    return { ok: true, batch: selectBulk(batch, keep), kept: keep };
  }

  private secretWordsOf(writer: string): Set<string> {
    let words = this.secretWords.get(writer);
    if (!words) {
      // Writers are bounded by the log; this bounds the sets kept for writers long gone too.
      if (this.secretWords.size >= MAX_WRITERS_WITH_WORDS) this.secretWords.delete(this.secretWords.keys().next().value as string);
      this.secretWords.set(writer, (words = new Set()));
    }
    return words;
  }

  private judgeToken(token: string, words: Set<string>): TokenVerdict {
    const problem = tokenProblem(token, this.limits.maxTokenLength);
    if (problem) return problem;
    if (this.isSecretToken(token) || this.secretValues.has(token) || words.has(token)) return SECRET;
    return this.team.wordCount(token) === 0 ? NEW : KNOWN;
  }
}

function unusedTableEntries({ table, tokens }: BulkDeltaBatch): number {
  const used = new Uint8Array(table.length);
  let distinct = 0;
  for (let k = 0; k < tokens.length; k++) {
    if (used[tokens[k]] === 0) {
      used[tokens[k]] = 1;
      distinct++;
    }
  }
  return table.length - distinct;
}

function deltaProblem(delta: number, limits: ShareLimits): string | undefined {
  if (!Number.isSafeInteger(delta) || delta === 0) return `bad count change ${String(delta)}`;
  if (Math.abs(delta) > limits.maxAbsDelta) return `absurd count change ${delta}`;
  return undefined;
}

const MAX_WRITERS_WITH_WORDS = 1024;
const UNJUDGED = -1;
const KNOWN = 0;
const NEW = 1; // not yet in the team memory
const SECRET = 2;
/** KNOWN, NEW, SECRET, or a reason to reject the whole batch. */
type TokenVerdict = typeof KNOWN | typeof NEW | typeof SECRET | string;

function reject(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}
