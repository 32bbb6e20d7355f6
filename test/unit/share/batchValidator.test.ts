import { strict as assert } from 'node:assert';
import * as encoding from 'lib0/encoding';
import { tokenize } from '../../../src/memory';
import { NEWLINE } from '../../../src/memory/types';
import { BatchValidator, type TeamMemoryView } from '../../../src/share/batchValidator';
import { encodeLoggedBatch, readLoggedBatch } from '../../../src/share/batchFormat';
import { withLimits, type ShareLimits } from '../../../src/share/limits';
import { SecretValues } from '../../../src/share/secretFilter';
import { tokenProblem } from '../../../src/share/shareableToken';
import { TeamMemory } from '../../../src/share/teamMemory';
import { decodeTextBatch, encodeTextBatch, textBatchOf, type TextBatch } from '../../../src/share/textBatch';
import { newWriterKey } from '../../../src/share/writerKey';
import { keyNamed, rec, words } from './logPeers';

/**
 * The validator on records of strings, one token at a time: the reference the bulk validator
 * (one verdict per table word, typed arrays) must agree with.
 */
function referenceValidate(batch: TextBatch, limits: ShareLimits, team: TeamMemoryView, isSecret: (t: string) => boolean) {
  for (const { tokens } of batch.records) {
    for (const token of tokens) {
      if (token === '') continue;
      const problem = tokenProblem(token, limits.maxTokenLength);
      if (problem) return { ok: false as const, reason: problem };
    }
  }
  const values = new SecretValues();
  const valueWords = new Set<string>();
  const cut = batch.records.map(({ tokens }) => {
    const marks = new Set<number>();
    values.markStream({ length: tokens.length, at: (k) => tokens[k] }, team.order, valueWords, (k) => marks.add(k));
    return marks;
  });
  const secret = (token: string) => isSecret(token) || values.has(token) || valueWords.has(token);
  const newWords = new Set<string>();
  for (const { tokens } of batch.records) for (const token of tokens) if (token !== '' && !secret(token) && team.wordCount(token) === 0) newWords.add(token);
  if (team.stats().vocabulary + newWords.size > limits.maxTeamVocabulary) {
    return { ok: false as const, reason: `batch adds ${newWords.size} new words; the team memory is capped at ${limits.maxTeamVocabulary} words` };
  }
  const records = batch.records.map(({ key, tokens }, r) => ({ key, tokens: tokens.map((token, k) => (token === '' || cut[r].has(k) || secret(token) ? '' : token)) }));
  return { ok: true as const, batch: { records } };
}

function rng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const TOKENS = ['alpha', 'beta', NEWLINE, 'known', 'secret_x', 'password', '=', '"', 'Qx7kP2mZ9wLr', 'hunter', 'two words', 'x'.repeat(40), 'ok', ''];

function randomBatch(random: () => number, size: number, badRate: number): TextBatch {
  return {
    records: Array.from({ length: size }, (_, r) => ({
      key: keyNamed(`r${r}`),
      tokens: Array.from({ length: Math.floor(random() * 12) }, () => {
        const pick = TOKENS[Math.floor(random() * TOKENS.length)];
        const bad = /\s|x{40}/.test(pick) && pick !== NEWLINE;
        return !bad || random() < badRate ? pick : `w${Math.floor(random() * 60)}`;
      }),
    })),
  };
}

const writer = newWriterKey();
const signed = (payload: Uint8Array) => readLoggedBatch(encodeLoggedBatch(writer, 'delta', payload, { seq: 1, floor: 0, dead: [] }));
const bulk = (batch: TextBatch) => decodeTextBatch(encodeTextBatch(batch), { maxRecords: 1e6, maxTokens: 1e7, maxTokenLength: 1e4 });

async function teamKnowing(text: string): Promise<TeamMemory> {
  const team = new TeamMemory({ order: 3 });
  team.setDocument('w/0', words(text));
  await team.whenIdle();
  return team;
}

describe('share/batchValidator (bulk) against the token-by-token reference', () => {
  it('gives the same verdicts, reasons and kept text on random batches', async () => {
    const random = rng(5);
    const team = await teamKnowing('known');
    const isSecret = (token: string) => token.startsWith('secret');
    const outcomes = new Set<string>();
    for (let round = 0; round < 400; round++) {
      const limits = withLimits({ maxTokenLength: 32, maxTeamVocabulary: 5 + Math.floor(random() * 40) });
      const validator = new BatchValidator(limits, team, isSecret);
      const batch = randomBatch(random, 1 + Math.floor(random() * 6), random() < 0.5 ? 0 : 0.05);
      const expected = referenceValidate(batch, limits, team, isSecret);
      const actual = validator.validateBulk(bulk(batch));
      if (expected.ok) {
        assert.ok(actual.ok, `accepted by the reference, refused: ${!actual.ok && actual.reason}`);
        assert.deepEqual(textBatchOf(actual.batch), expected.batch);
        outcomes.add(actual.cut > 0 ? 'ok, cut' : 'ok');
      } else {
        assert.deepEqual(actual, expected);
        outcomes.add(expected.reason.replace(/[0-9]+/g, 'N'));
      }
    }
    assert.ok(outcomes.size >= 4, `varied outcomes: ${[...outcomes].join(' | ')}`);
  });
});

describe('share/batchValidator: secrets become cuts', () => {
  it('cuts a secret value wherever the batch holds it, blanks it in the table, and keeps the rest', async () => {
    const validator = new BatchValidator(withLimits(), await teamKnowing('x'), () => false);
    const result = validator.validateBulk(bulk({ records: [rec('a', 'echo Qx7kP2mZ9wLr'), rec('b', 'password = " Qx7kP2mZ9wLr " ;')] }));
    assert.ok(result.ok);
    assert.equal(result.cut, 2);
    assert.deepEqual(textBatchOf(result.batch).records.map((r) => r.tokens.join(' ')), ['echo ', 'password = "  " ;']);
    assert.ok(!result.batch.table.includes('Qx7kP2mZ9wLr'));
  });

  it('cuts a value that reads as a word only in the text of the writer that gave it away', async () => {
    const validator = new BatchValidator(withLimits(), await teamKnowing('x'));
    const given = validator.validateBulk(bulk({ records: [rec('a', 'password = hunter')] }), 'w-a');
    assert.ok(given.ok && given.cut === 1);
    const same = validator.validateBulk(bulk({ records: [rec('b', 'the hunter said')] }), 'w-a');
    assert.ok(same.ok);
    assert.deepEqual(textBatchOf(same.batch).records[0].tokens, ['the', '', 'said']);
    const other = validator.validateBulk(bulk({ records: [rec('c', 'the hunter said')] }), 'w-b');
    assert.ok(other.ok);
    assert.deepEqual(textBatchOf(other.batch).records[0].tokens, ['the', 'hunter', 'said']);
  });
});

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
    it(`refuses a batch carrying a token with ${what}`, async () => {
      const validator = new BatchValidator(limits, await teamKnowing('x'));
      const result = validator.validate(signed(encodeTextBatch({ records: [{ key: keyNamed('a'), tokens: ['const', token] }] })));
      assert.equal(result.ok, false, `admitted ${JSON.stringify(token)}`);
      assert.equal(tokenProblem(token, limits.maxTokenLength) !== undefined, true);
    });
  }

  it('refuses lone surrogates (UTF-8 on the wire turns them into U+FFFD, which is visible)', () => {
    assert.ok(tokenProblem('a\ud800', 64));
  });

  it('admits what the tokenizer makes of ordinary text in any script', async () => {
    const validator = new BatchValidator(limits, await teamKnowing('x'));
    const text = 'const naïve = Straße(日本語, 3.14) // 😀 कि x\n$el _id';
    const tokens = tokenize(text);
    const result = validator.validate(signed(encodeTextBatch({ records: [{ key: keyNamed('a'), tokens }] })));
    assert.ok(result.ok, !result.ok ? result.reason : '');
    assert.deepEqual(textBatchOf(result.batch).records[0].tokens, tokens);
  });
});

describe('share/batchValidator: a string table holds only what its records use (issue 10, item 9)', () => {
  /** A text payload with the given table and one record (token indices + 1). */
  function rawPayload(table: string[], tokens: number[]): Uint8Array {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, table.length);
    for (const word of table) encoding.writeVarString(e, word);
    encoding.writeVarUint(e, 1);
    encoding.writeUint8Array(e, Buffer.from(keyNamed('a'), 'hex'));
    encoding.writeVarUint(e, tokens.length);
    for (const t of tokens) encoding.writeVarUint(e, t);
    return encoding.toUint8Array(e);
  }

  it('refuses a signed batch whose table carries words no record uses, and keeps nothing of it', async () => {
    const limits = withLimits();
    const team = await teamKnowing('x');
    const validator = new BatchValidator(limits, team);
    const vocabulary = team.stats().vocabulary;
    const unused = Array.from({ length: 200_000 }, (_, i) => `t${i}`);
    const logged = signed(rawPayload(['used', ...unused], [1]));
    assert.ok(logged.bytes.byteLength < limits.maxBatchBytes, 'within the byte cap: only the table check stops it');
    const result = validator.validate(logged);
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.reason : '', /undecodable batch: the string table holds a word no record uses/);
    assert.equal(team.stats().vocabulary, vocabulary);
  });

  it('admits a table that the records share, with cuts', async () => {
    const validator = new BatchValidator(withLimits(), await teamKnowing('x'));
    const result = validator.validate(signed(rawPayload(['a', 'b'], [1, 2, 0, 2])));
    assert.ok(result.ok);
    assert.deepEqual(textBatchOf(result.batch).records[0].tokens, ['a', 'b', '', 'b']);
  });
});
