import { strict as assert } from 'node:assert';
import { Memory } from '../../../src/memory';
import { bulkFromBatch, bulkToBatch } from '../../../src/memory/bulkDelta';
import { NEWLINE, type DeltaBatch, type NgramDelta } from '../../../src/memory/types';
import { BatchValidator, type TeamMemoryView } from '../../../src/share/batchValidator';
import { withLimits, type ShareLimits } from '../../../src/share/limits';

/**
 * The validator as it was before the bulk path (entry objects, one Map lookup per token), kept
 * here as the reference the bulk validator must agree with.
 */
function referenceValidate(batch: DeltaBatch, limits: ShareLimits, team: TeamMemoryView, isSecret: (t: string) => boolean) {
  const newWords = new Set<string>();
  const verdicts = new Map<string, string | number>();
  const kept: NgramDelta[] = [];
  for (const entry of batch.entries) {
    if (!Number.isSafeInteger(entry.delta) || entry.delta === 0) return { ok: false, reason: `bad count change ${entry.delta}` };
    if (Math.abs(entry.delta) > limits.maxAbsDelta) return { ok: false, reason: `absurd count change ${entry.delta}` };
    if (entry.ngram.length > team.order) continue;
    let secret = false;
    for (const token of entry.ngram) {
      let verdict = verdicts.get(token);
      if (verdict === undefined) {
        if (token.length > limits.maxTokenLength) verdict = `token of ${token.length} characters`;
        else if (token !== NEWLINE && /\s|[\u0000-\u0008\u000b-\u001f\u007f]/.test(token)) verdict = 'token with whitespace or control characters';
        else verdict = isSecret(token) ? 2 : team.wordCount(token) === 0 ? 1 : 0;
        verdicts.set(token, verdict);
      }
      if (typeof verdict === 'string') return { ok: false, reason: verdict };
      if (verdict === 2) secret = true;
      else if (verdict === 1 && entry.delta > 0) newWords.add(token);
    }
    if (!secret) kept.push(entry);
  }
  const stats = team.stats();
  if (stats.vocabulary + newWords.size > limits.maxTeamVocabulary) {
    return { ok: false, reason: `batch adds ${newWords.size} new words; the team memory is capped at ${limits.maxTeamVocabulary} words` };
  }
  if (stats.ngrams + kept.length > limits.maxTeamNgrams) return { ok: false, reason: `batch would grow the team memory past ${limits.maxTeamNgrams} n-grams` };
  return { ok: true, batch: { entries: kept } };
}

function rng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const TOKENS = ['alpha', 'beta', 'gamma', NEWLINE, 'known', 'secret_x', 'two words', 'tab\tbed', 'x'.repeat(40), 'ok'];

function randomBatch(random: () => number, size: number, badRate: number): DeltaBatch {
  const entries: NgramDelta[] = [];
  for (let i = 0; i < size; i++) {
    const n = 1 + Math.floor(random() * 5);
    const ngram = Array.from({ length: n }, () => {
      const bad = random() < badRate;
      const pick = TOKENS[Math.floor(random() * TOKENS.length)];
      return bad || !/\s|x{40}/.test(pick) || pick === NEWLINE ? pick : `w${Math.floor(random() * 60)}`;
    });
    const delta = random() < badRate / 4 ? 500 : (1 + Math.floor(random() * 9)) * (random() < 0.2 ? -1 : 1);
    entries.push({ ngram, delta });
  }
  return { entries };
}

describe('share/batchValidator (bulk) against the entry-by-entry reference', () => {
  it('gives the same verdicts, reasons and kept entries on random batches', () => {
    const random = rng(5);
    const team = new Memory({ order: 3 });
    team.applyDelta({ entries: [{ ngram: ['known'], delta: 1 }] });
    const isSecret = (token: string) => token.startsWith('secret');
    const outcomes = new Set<string>();
    for (let round = 0; round < 400; round++) {
      const limits = withLimits({ maxTokenLength: 32, maxAbsDelta: 100, maxTeamVocabulary: 5 + Math.floor(random() * 30), maxTeamNgrams: 5 + Math.floor(random() * 30) });
      const validator = new BatchValidator(limits, team, isSecret);
      const batch = randomBatch(random, 1 + Math.floor(random() * 25), random() < 0.5 ? 0 : 0.05);
      const expected = referenceValidate(batch, limits, team, isSecret);
      const actual = validator.validateBulk(bulkFromBatch(batch));
      if (expected.ok) {
        assert.ok(actual.ok, `accepted by the reference, refused: ${!actual.ok && actual.reason}`);
        assert.deepEqual(bulkToBatch(actual.batch), expected.batch);
        outcomes.add('ok');
      } else {
        assert.deepEqual(actual, expected);
        outcomes.add(expected.reason!.replace(/[0-9]+/g, 'N'));
      }
    }
    assert.ok(outcomes.size >= 5, `varied outcomes: ${[...outcomes].join(' | ')}`);
  });
});
