// Decides what of a batch from a peer may reach the team memory. Everything is checked before
// anything is applied: a rejected batch changes nothing and says why. Works on the bulk form
// (typed arrays over the batch's string table, textBatch.ts): each distinct token is judged once,
// and no string is made per token, which keeps a first sync of millions of tokens cheap.
// A token that may not cross the share (shareableToken.ts) rejects the whole batch: the writer's
// own filter drops such tokens, so one here is a hostile or broken writer. A secret does not: the
// writer's filter may simply have missed it, so it becomes a cut (secretFilter.ts) and the rest of
// the text is kept.
import { payloadOf, type LoggedBatch } from './batchFormat';
import type { ShareLimits } from './limits';
import { SecretValues } from './secretFilter';
import { tokenProblem } from './shareableToken';
import { decodeTextBatch, type BulkTextBatch } from './textBatch';
import type { TeamMemoryView } from './teamMemory';

export type { TeamMemoryView };

export type ValidationResult =
  | {
      ok: true;
      /** The batch with its secrets cut (token 0); the words they were blanked in its table. */
      batch: BulkTextBatch;
      /** Tokens cut here (secrets the writer's filter missed). */
      cut: number;
    }
  | { ok: false; reason: string };

export class BatchValidator {
  /** Secret values peers' text gave away in context (`password = x`), cut wherever they come. */
  private readonly secretValues = new SecretValues();
  /** Values that read as words (`password = hunter`), cut from the text of the writer that gave them away only. */
  private readonly secretWords = new Map<string, Set<string>>();

  constructor(
    private readonly limits: ShareLimits,
    private readonly team: TeamMemoryView,
    /** Tokens that are a secret by themselves become cuts (never an error: the rest of the batch is fine). */
    private readonly isSecretToken: (token: string) => boolean = () => false,
  ) {}

  validate(logged: LoggedBatch): ValidationResult {
    if (logged.bytes.byteLength > this.limits.maxBatchBytes) {
      return reject(`batch of ${logged.bytes.byteLength} bytes exceeds the ${this.limits.maxBatchBytes}-byte cap`);
    }
    let batch: BulkTextBatch;
    try {
      batch = decodeTextBatch(payloadOf(logged), {
        maxRecords: this.limits.maxRecordsPerBatch,
        maxTokens: this.limits.maxTokensPerBatch,
        maxTokenLength: this.limits.maxTokenLength,
      });
    } catch (error) {
      return reject(`undecodable batch: ${(error as Error).message}`);
    }
    return this.validateBulk(batch, logged.writer);
  }

  /** Checks a decoded batch of `writer` (decodeTextBatch's checks passed) and cuts its secrets. */
  validateBulk(batch: BulkTextBatch, writer = ''): ValidationResult {
    const { limits, team } = this;
    if (batch.count > limits.maxRecordsPerBatch) return reject(`batch has ${batch.count} records, more than ${limits.maxRecordsPerBatch}`);
    if (batch.tokens.length > limits.maxTokensPerBatch) return reject(`batch has ${batch.tokens.length} tokens, more than ${limits.maxTokensPerBatch}`);
    const { table, tokens, starts } = batch;
    // Every word of the table is used by a record (decodeTextBatch checks): judging the table
    // judges each distinct token once.
    for (const word of table) {
      const problem = tokenProblem(word, limits.maxTokenLength);
      if (problem) return reject(problem);
    }
    const words = this.secretWordsOf(writer);
    // Secrets in context first, over every record: a value given away late in the batch is cut
    // where it comes earlier too.
    let cuts: Uint8Array | undefined;
    // Whether each word opens a context, by table index + 1 (0, a cut, opens none).
    const opens = new Uint8Array(table.length + 1);
    for (let t = 0; t < table.length; t++) opens[t + 1] = this.secretValues.opensContext(table[t]) ? 1 : 0;
    for (let r = 0; r < batch.count; r++) {
      const base = starts[r];
      const stream = {
        length: starts[r + 1] - base,
        at: (k: number) => (tokens[base + k] === 0 ? '' : table[tokens[base + k] - 1]),
        opens: (k: number) => opens[tokens[base + k]] === 1,
      };
      this.secretValues.markStream(stream, team.order, words, (k) => ((cuts ??= new Uint8Array(tokens.length))[base + k] = 1));
    }
    // Then each word once: a secret by itself or a marked value is blanked, a new one counted.
    let secretWords: Uint8Array | undefined;
    let newWords = 0;
    for (let t = 0; t < table.length; t++) {
      const word = table[t];
      if (this.isSecretToken(word) || this.secretValues.has(word) || words.has(word)) (secretWords ??= new Uint8Array(table.length + 1))[t + 1] = 1;
      else if (team.wordCount(word) === 0) newWords++;
    }
    const stats = team.stats();
    if (stats.vocabulary + newWords > limits.maxTeamVocabulary) {
      return reject(`batch adds ${newWords} new words; the team memory is capped at ${limits.maxTeamVocabulary} words`);
    }
    if (!cuts && !secretWords) return { ok: true, batch, cut: 0 };
    const kept = tokens.slice();
    let cut = 0;
    for (let k = 0; k < kept.length; k++) {
      if (kept[k] !== 0 && (cuts?.[k] === 1 || secretWords?.[kept[k]] === 1)) {
        kept[k] = 0;
        cut++;
      }
    }
    // The secrets leave the table too: nothing downstream can read them back.
    const blanked = secretWords ? table.map((word, t) => (secretWords[t + 1] === 1 ? '' : word)) : table;
    return { ok: true, batch: { ...batch, table: blanked, tokens: kept }, cut };
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
}

const MAX_WRITERS_WITH_WORDS = 1024;

function reject(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}
