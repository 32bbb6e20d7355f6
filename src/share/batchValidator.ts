// Decides whether a batch from a peer may touch the team memory. Everything is checked before
// anything is applied: a rejected batch changes nothing and says why.
import { decodeDeltas, MAX_ORDER } from '../memory';
import { NEWLINE, type DeltaBatch } from '../memory/types';
import { payloadOf, type LoggedBatch } from './batchFormat';
import type { ShareLimits } from './limits';

/** What the validator needs to know about the team memory it guards. */
export interface TeamMemoryView {
  readonly order: number;
  wordCount(word: string): number;
  stats(): { vocabulary: number; ngrams: number };
}

export type ValidationResult = { ok: true; batch: DeltaBatch } | { ok: false; reason: string };

const WHITESPACE = /\s/;
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

export class BatchValidator {
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
    let batch: DeltaBatch;
    try {
      batch = decodeDeltas(payloadOf(logged), {
        maxEntries: this.limits.maxEntriesPerBatch,
        maxTokenLength: this.limits.maxTokenLength,
        maxAbsDelta: this.limits.maxAbsDelta,
      });
    } catch (error) {
      return reject(`undecodable batch: ${(error as Error).message}`);
    }
    return this.validateEntries(batch);
  }

  /** Checks decoded entries (also used for batches that came through other paths). */
  validateEntries(batch: DeltaBatch): ValidationResult {
    const { limits, team } = this;
    if (batch.entries.length > limits.maxEntriesPerBatch) {
      return reject(`batch has ${batch.entries.length} entries, more than ${limits.maxEntriesPerBatch}`);
    }
    const newWords = new Set<string>();
    // Tokens repeat across a batch's n-grams: check each distinct token once.
    const tokenVerdicts = new Map<string, TokenVerdict>();
    const kept = [];
    for (const entry of batch.entries) {
      const problem = shapeProblem(entry.ngram, entry.delta, limits);
      if (problem) return reject(problem);
      // A peer may count longer n-grams than this memory keeps: those entries are simply not kept.
      if (entry.ngram.length > team.order) continue;
      let secret = false;
      for (const token of entry.ngram) {
        let verdict = tokenVerdicts.get(token);
        if (verdict === undefined) {
          verdict = this.judgeToken(token);
          tokenVerdicts.set(token, verdict);
        }
        if (typeof verdict === 'string') return reject(verdict);
        if (verdict === SECRET) secret = true;
        else if (verdict === NEW && entry.delta > 0) newWords.add(token);
      }
      if (!secret) kept.push(entry);
    }
    const stats = team.stats();
    if (stats.vocabulary + newWords.size > limits.maxTeamVocabulary) {
      return reject(`batch adds ${newWords.size} new words; the team memory is capped at ${limits.maxTeamVocabulary} words`);
    }
    if (stats.ngrams + kept.length > limits.maxTeamNgrams) {
      return reject(`batch would grow the team memory past ${limits.maxTeamNgrams} n-grams`);
    }
    return { ok: true, batch: { entries: kept } };
  }

  private judgeToken(token: string): TokenVerdict {
    const problem = tokenProblem(token, this.limits);
    if (problem) return problem;
    if (this.isSecretToken(token)) return SECRET;
    return this.team.wordCount(token) === 0 ? NEW : KNOWN;
  }
}

function shapeProblem(ngram: unknown, delta: unknown, limits: ShareLimits): string | undefined {
  if (!Array.isArray(ngram) || ngram.length === 0 || ngram.length > MAX_ORDER) {
    return `n-gram of length ${Array.isArray(ngram) ? ngram.length : '?'} (at most ${MAX_ORDER})`;
  }
  if (typeof delta !== 'number' || !Number.isSafeInteger(delta) || delta === 0) return `bad count change ${String(delta)}`;
  if (Math.abs(delta) > limits.maxAbsDelta) return `absurd count change ${delta}`;
  return undefined;
}

function tokenProblem(token: unknown, limits: ShareLimits): string | undefined {
  if (typeof token !== 'string' || token.length === 0) return 'empty token';
  if (token.length > limits.maxTokenLength) return `token of ${token.length} characters`;
  if (token !== NEWLINE && (WHITESPACE.test(token) || CONTROL.test(token))) return 'token with whitespace or control characters';
  return undefined;
}

const KNOWN = 0;
const NEW = 1; // not yet in the team memory
const SECRET = 2;
/** KNOWN, NEW, SECRET, or a reason to reject the whole batch. */
type TokenVerdict = typeof KNOWN | typeof NEW | typeof SECRET | string;

function reject(reason: string): ValidationResult {
  return { ok: false, reason };
}
