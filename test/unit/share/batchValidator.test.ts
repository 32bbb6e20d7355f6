import { strict as assert } from 'node:assert';
import { Memory, encodeDeltas, tokenize } from '../../../src/memory';
import { bulkFromBatch, bulkToBatch } from '../../../src/memory/bulkDelta';
import { NEWLINE, type DeltaBatch, type NgramDelta } from '../../../src/memory/types';
import { BatchValidator, type TeamMemoryView } from '../../../src/share/batchValidator';
import { withLimits, type ShareLimits } from '../../../src/share/limits';
import { tokenProblem } from '../../../src/share/shareableToken';
import { encodeLoggedBatch, readLoggedBatch } from '../../../src/share/batchFormat';
import { newWriterKey } from '../../../src/share/writerKey';
import { ByteWriter, checksum32 } from '../../../src/memory/binary';

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
        const problem = tokenProblem(token, limits.maxTokenLength);
        if (problem) verdict = problem;
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

/** A delta payload in the wire format with the given string table and entries (token indices). */
function rawPayload(table: string[], entries: { tokens: number[]; delta: number }[]): Uint8Array {
  const w = new ByteWriter();
  for (const b of [0x4c, 0x4e, 0x44, 0x42, 1]) w.u8(b);
  w.varint(table.length);
  for (const t of table) w.string(t);
  w.varint(entries.length);
  for (const e of entries) {
    w.varint(e.tokens.length);
    for (const t of e.tokens) w.varint(t);
    w.zigzag(e.delta);
  }
  w.u32(checksum32(w.finish()));
  return w.finish();
}

const writer = newWriterKey();
const signed = (payload: Uint8Array) => readLoggedBatch(encodeLoggedBatch(writer, 'delta', payload, { seq: 1, floor: 0, dead: [] }));

describe('share/batchValidator: nothing deceptive reaches the editor (issue 10, item 1)', () => {
  const limits = withLimits();
  const deceptive = {
    'bidi override (Trojan Source)': 'admin\u202e',
    'bidi isolate': '\u2066x',
    'zero-width space inside a word': 'pass\u200bword',
    'zero-width joiner alone': '\u200d',
    'soft hyphen': 'to\u00adken',
    'tag characters': 'a\u{e0041}',
    'Hangul filler (an invisible letter)': '\u3164',
    'variation selector': 'x\ufe0f',
    'bell control': '\u0007',
    'private use': '\ue000',
    'line separator': 'a\u2028b',
    'two tokens in one': 'foo.bar',
    'a space inside': 'two words',
    'longer than the cap': 'x'.repeat(limits.maxTokenLength + 1),
    'the 256 characters the issue saw': 'y'.repeat(256),
  };

  for (const [what, token] of Object.entries(deceptive)) {
    it(`refuses a batch carrying a token with ${what}`, () => {
      const team = new Memory({ order: 3 });
      const validator = new BatchValidator(limits, team);
      const result = validator.validate(signed(encodeDeltas({ entries: [{ ngram: ['const', token], delta: 5 }] })));
      assert.equal(result.ok, false, `admitted ${JSON.stringify(token)}`);
      assert.equal(tokenProblem(token, limits.maxTokenLength) !== undefined, true);
    });
  }

  it('refuses lone surrogates (UTF-8 on the wire turns them into U+FFFD, which is visible)', () => {
    assert.ok(tokenProblem('a\ud800', 64));
  });

  it('admits what the tokenizer makes of ordinary text in any script', () => {
    const team = new Memory({ order: 3 });
    const validator = new BatchValidator(limits, team);
    const text = 'const naïve = Straße(日本語, 3.14) // 😀 कि x\n$el _id';
    const tokens = tokenize(text);
    const result = validator.validate(signed(encodeDeltas({ entries: tokens.map((token) => ({ ngram: [token], delta: 1 })) })));
    assert.ok(result.ok, !result.ok ? result.reason : '');
    assert.equal(result.batch.count, tokens.length);
  });
});

describe('share/batchValidator: a string table holds only what its entries use (issue 10, item 9)', () => {
  it('refuses a signed batch whose table carries tokens no entry names, and keeps nothing of it', () => {
    const limits = withLimits();
    const team = new Memory({ order: 3 });
    const validator = new BatchValidator(limits, team);
    const unused = Array.from({ length: 200_000 }, (_, i) => `t${i}`);
    const logged = signed(rawPayload(['used', ...unused], [{ tokens: [0], delta: 1 }]));
    assert.ok(logged.bytes.byteLength < limits.maxBatchBytes, 'within the byte cap: only the table check stops it');
    const result = validator.validate(logged);
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.reason : '', /200000 tokens its entries never use/);
    assert.equal(team.stats().vocabulary, 0);
  });

  it('admits a table that every entry shares', () => {
    const validator = new BatchValidator(withLimits(), new Memory({ order: 3 }));
    const result = validator.validate(signed(rawPayload(['a', 'b'], [{ tokens: [0, 1], delta: 2 }, { tokens: [1], delta: 1 }])));
    assert.ok(result.ok);
  });
});
