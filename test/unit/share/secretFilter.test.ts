import { strict as assert } from 'node:assert';
import { Memory, Predictor } from '../../../src/memory';
import { bulkFromBatch, bulkToBatch } from '../../../src/memory/bulkDelta';
import type { DeltaBatch } from '../../../src/memory/types';
import { BatchValidator } from '../../../src/share/batchValidator';
import { memoryContribution } from '../../../src/share/contribution';
import { ENTRIES_PER_BATCH } from '../../../src/share/deltaLog';
import { withLimits } from '../../../src/share/limits';
import { SecretValues, createSecretTokenTest, withoutSecrets } from '../../../src/share/secretFilter';
import { chunkDocumentId } from '../../../src/workspace/chunks';
import { prepareForLearning } from '../../../src/workspace/learnable';
import { benignCases, learnedPieces, secretCases, secretPieces, type SecretCase } from '../workspace/secretCorpus';

/**
 * Secrets whose context an n-gram cannot hold: a call's first argument pushes the credential past
 * the memory's n-gram from the call's name, as other flags push a command's password flag
 * (`redis-cli -h cache -a …`, `sqlcmd -S db -U sa -P …`). Both sides of a share follow such a
 * context from n-gram to n-gram within a batch (secretFilter.ts, markLongContexts): the tests
 * that split a memory into batches of a few hundred entries leave them out, and one below sends
 * the memory as a session does.
 */
const BEYOND_AN_NGRAM = new Set(['python connect positional', 'jdbc getConnection', 'php pdo', 'smtp login', 'redis-cli -a', 'ldapsearch -w', 'sqlcmd -P']);

/** The entries as a session sends them: batches of a few hundred entries, each validated on its own. */
function receive(batch: DeltaBatch, team: Memory, entriesPerBatch = 300): void {
  const validator = new BatchValidator(withLimits(), team, createSecretTokenTest());
  for (let from = 0; from < batch.entries.length; from += entriesPerBatch) {
    const result = validator.validateBulk(bulkFromBatch({ entries: batch.entries.slice(from, from + entriesPerBatch) }));
    assert.ok(result.ok, !result.ok ? result.reason : '');
    team.applyDelta(bulkToBatch(result.batch));
  }
}

function holdsPiece(batch: DeltaBatch, c: SecretCase): boolean {
  const pieces = secretPieces(c.secret);
  return batch.entries.some((entry) => entry.ngram.some((token) => pieces.some((piece) => token.includes(piece))));
}

function rawMemory(cases: SecretCase[]): Memory {
  const memory = new Memory();
  cases.forEach((c, i) => memory.setDocument(`case${i}`, c.text));
  return memory;
}

describe('share/secretFilter with the secrets corpus (fresh random values each run)', () => {
  const cases = secretCases();

  it('shares nothing secret through the real learning path, and still shares what only looks secret', () => {
    const local = new Memory();
    [...cases, ...benignCases()].forEach((c, i) => {
      for (const chunk of prepareForLearning(c.text).chunks) local.setDocument(chunkDocumentId(`file${i}`, chunk.id), chunk.text);
    });
    const sent = withoutSecrets(memoryContribution(local), createSecretTokenTest());
    const team = new Memory();
    receive(sent, team);
    for (const c of cases) assert.deepEqual(learnedPieces(team, c.secret), [], c.name);
    for (const word of ['X-Secret-Key', 'Bearer']) {
      for (const token of word.split('-')) assert.ok(team.wordCount(token) > 0, `${token} was not shared`);
    }
    const sha = benignCases().find((c) => c.name === 'commit sha')!;
    assert.ok(team.count(['git', 'checkout']) > 0, sha.name);
  });

  it('withholds secrets the sender learned anyway: the send-side filter', () => {
    const sent = withoutSecrets(memoryContribution(rawMemory(cases)), createSecretTokenTest());
    for (const c of cases) {
      if (BEYOND_AN_NGRAM.has(c.name)) continue;
      assert.ok(!holdsPiece(sent, c), `${c.name}: sent`);
    }
  });

  it('refuses secrets a sender did not filter at all: the receive side, batch by batch', () => {
    const team = new Memory();
    receive(memoryContribution(rawMemory(cases)), team);
    const predictor = new Predictor([team]);
    for (const c of cases) {
      if (BEYOND_AN_NGRAM.has(c.name)) continue;
      assert.deepEqual(learnedPieces(team, c.secret), [], `${c.name}: accepted`);
      const before = c.text.slice(0, c.text.indexOf(c.secret));
      const result = predictor.complete(before, { alternatives: 8 });
      const texts = result.alternatives.map((a) => a.text).join('\n');
      assert.ok(!secretPieces(c.secret).some((piece) => texts.includes(piece)), `${c.name}: completed`);
    }
  });

  it('follows a credential further from its call or command than an n-gram reaches, on both sides, in batches as a session sends them', () => {
    const long = cases.filter((c) => BEYOND_AN_NGRAM.has(c.name));
    assert.equal(long.length, BEYOND_AN_NGRAM.size);
    const memory = rawMemory(long);
    const contribution = memoryContribution(memory);
    // The control: the n-grams hold each secret, and none holds its call or command with it.
    for (const c of long) assert.ok(holdsPiece(contribution, c), `${c.name}: the control holds it`);
    assert.ok(contribution.entries.every((e) => e.ngram.length <= memory.order));
    const sent = withoutSecrets(contribution, createSecretTokenTest());
    for (const c of long) assert.ok(!holdsPiece(sent, c), `${c.name}: sent`);
    const team = new Memory();
    receive(contribution, team, ENTRIES_PER_BATCH);
    for (const c of long) assert.deepEqual(learnedPieces(team, c.secret), [], `${c.name}: accepted`);
    // What is around them is still shared.
    assert.ok(team.count(['redis', '-', 'cli']) > 0 && team.wordCount('getConnection') > 0);
  });

  it('follows long contexts within a budget linear in the batch, whatever openers and branches a hostile batch holds', () => {
    // 2000 credential calls that all continue along one 40-token argument list that ends in 16
    // branches, no secret anywhere: followed in full, each call would cost about 2000 tokens read.
    const entries: DeltaBatch['entries'] = [];
    for (let i = 0; i < 2000; i++) entries.push({ ngram: [`x${i}`, '.', 'connect', '(', '"', 'a'], delta: 1 });
    const chain = ['.', 'connect', '(', '"', 'a', ...Array.from({ length: 40 }, (_, k) => `c${k}`)];
    for (let k = 0; k + 6 <= chain.length; k++) entries.push({ ngram: chain.slice(k, k + 6), delta: 1 });
    for (let m = 0; m < 16; m++) entries.push({ ngram: [...chain.slice(-5), `e${m}`], delta: 1 });
    const batch = bulkFromBatch({ entries });
    const meter = { steps: 0 };
    new SecretValues().markLongContexts(batch, meter);
    const tokens = batch.tokens.length;
    assert.ok(meter.steps <= 2 * tokens + 16 * batch.count + 4000, `${meter.steps} steps for ${batch.count} entries of ${tokens} tokens`);
    assert.ok(meter.steps >= tokens, 'it did follow them');
  });

  it('marks a value given away in context wherever it comes later, alone or after other words', () => {
    const values = new SecretValues();
    assert.equal(values.mark(['POSTGRES_PASSWORD', '=', 'Qx7kP2mZ9w']), true);
    assert.equal(values.has('Qx7kP2mZ9w'), true);
    assert.equal(values.mark(['POSTGRES_USER', '=', 'app']), false);
    assert.equal(values.has('app'), false);
    // A value too short to mark is withheld with its context only.
    const sent = withoutSecrets({ entries: [{ ngram: ['password', '=', '"', 'x9z'], delta: 1 }, { ngram: ['x9z'], delta: 1 }] }, () => false);
    assert.deepEqual(sent.entries.map((e) => e.ngram), [['x9z']]);
  });
});
