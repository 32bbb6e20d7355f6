import { strict as assert } from 'node:assert';
import { Predictor } from '../../../src/memory';
import { LiveMemory } from '../../../src/memory/liveMemory';
import { BatchValidator } from '../../../src/share/batchValidator';
import { withLimits } from '../../../src/share/limits';
import { MAX_FOLLOW, SecretValues, TextSecretFilter, createSecretTokenTest, withoutSecretTokens } from '../../../src/share/secretFilter';
import { TeamMemory } from '../../../src/share/teamMemory';
import { chunkKey, decodeTextBatch, encodeTextBatch, recordTokens, type TextRecord } from '../../../src/share/textBatch';
import { chunkDocumentId } from '../../../src/workspace/chunks';
import { prepareForLearning } from '../../../src/workspace/learnable';
import { benignCases, secretCases, secretPieces, type SecretCase } from '../workspace/secretCorpus';

const SALT = new Uint8Array(16).fill(3);

/** A memory's documents (id, tokens). */
function documentsOf(memory: LiveMemory): Array<{ id: string; tokens: string[] }> {
  return memory.documentIds().map((id) => ({ id, tokens: memory.documentTokens(id)! }));
}

/** The documents as a session sends them: batches of a few records, each validated on its own, applied to a team memory. */
async function receive(documents: Array<{ id: string; tokens: readonly string[] }>, recordsPerBatch = 4): Promise<TeamMemory> {
  const team = new TeamMemory({ order: 8 });
  const validator = new BatchValidator(withLimits(), team, createSecretTokenTest());
  for (let from = 0; from < documents.length; from += recordsPerBatch) {
    const records: TextRecord[] = documents.slice(from, from + recordsPerBatch).map(({ id, tokens }) => ({ key: chunkKey(SALT, id), tokens }));
    const bytes = encodeTextBatch({ records });
    const result = validator.validateBulk(decodeTextBatch(bytes, { maxRecords: 1e6, maxTokens: 1e7, maxTokenLength: 64 }), 'w-peer');
    assert.ok(result.ok, !result.ok ? result.reason : '');
    for (let i = 0; i < result.batch.count; i++) team.setDocument(`w-peer/${result.batch.keys[i]}`, recordTokens(result.batch, i));
    await team.whenIdle();
  }
  return team;
}

function holdsPiece(documents: Array<{ tokens: readonly string[] }>, c: SecretCase): boolean {
  const pieces = secretPieces(c.secret);
  return documents.some(({ tokens }) => tokens.some((token) => pieces.some((piece) => token.includes(piece))));
}

function learnedPieces(memory: { topWords(n: number): Array<{ word: string }> }, secret: string): string[] {
  const pieces = secretPieces(secret);
  return memory
    .topWords(Number.MAX_SAFE_INTEGER)
    .map((w) => w.word)
    .filter((word) => pieces.some((piece) => word.includes(piece)));
}

/** A memory that learned the cases as they are: no redaction before learning. */
function rawMemory(cases: SecretCase[]): LiveMemory {
  const memory = new LiveMemory();
  cases.forEach((c, i) => memory.setDocument(`case${i}`, c.text));
  return memory;
}

const sendSide = (documents: Array<{ id: string; tokens: string[] }>) => {
  const isSecret = createSecretTokenTest();
  return documents.map(({ id, tokens }) => ({ id, tokens: withoutSecretTokens(tokens, isSecret) }));
};

describe('share/secretFilter with the secrets corpus (fresh random values each run)', () => {
  const cases = secretCases();

  it('shares nothing secret through the real learning path, and still shares what only looks secret', async () => {
    const local = new LiveMemory();
    [...cases, ...benignCases()].forEach((c, i) => {
      for (const chunk of prepareForLearning(c.text).chunks) local.setDocument(chunkDocumentId(`file${i}`, chunk.id), chunk.text);
    });
    const team = await receive(sendSide(documentsOf(local)));
    for (const c of cases) assert.deepEqual(learnedPieces(team.live, c.secret), [], c.name);
    for (const word of ['X-Secret-Key', 'Bearer']) {
      for (const token of word.split('-')) assert.ok(team.wordCount(token) > 0, `${token} was not shared`);
    }
    const sha = benignCases().find((c) => c.name === 'commit sha')!;
    assert.ok(team.count(['git', 'checkout']) > 0, sha.name);
  });

  it('withholds secrets the sender learned anyway: the send-side filter, long contexts included', () => {
    const raw = documentsOf(rawMemory(cases));
    const sent = sendSide(raw);
    for (const c of cases) {
      assert.ok(holdsPiece(raw, c), `${c.name}: the control holds it`);
      assert.ok(!holdsPiece(sent, c), `${c.name}: sent`);
    }
  });

  it('refuses secrets a sender did not filter at all: the receive side, batch by batch', async () => {
    const team = await receive(documentsOf(rawMemory(cases)));
    const predictor = new Predictor([team.live]);
    for (const c of cases) {
      assert.deepEqual(learnedPieces(team.live, c.secret), [], `${c.name}: accepted`);
      const before = c.text.slice(0, c.text.indexOf(c.secret));
      const result = predictor.complete(before, { alternatives: 8 });
      const texts = result.alternatives.map((a) => a.text).join('\n');
      assert.ok(!secretPieces(c.secret).some((piece) => texts.includes(piece)), `${c.name}: completed`);
    }
    // What is around them is still shared.
    assert.ok(team.count(['redis', '-', 'cli']) > 0 && team.wordCount('getConnection') > 0);
  });

  it('reads contexts within a budget linear in the stream, whatever openers a hostile stream holds', () => {
    // 2000 credential calls, each with an argument list as long as a long context is followed, no secret anywhere.
    const tokens: string[] = [];
    for (let i = 0; i < 2000; i++) tokens.push(`x${i}`, '.', 'connect', '(', '"', 'a', ...Array.from({ length: MAX_FOLLOW }, (_, k) => `c${k}`));
    const meter = { steps: 0 };
    new SecretValues().markStream({ length: tokens.length, at: (k) => tokens[k] }, 8, undefined, () => assert.fail('nothing is secret'), meter);
    assert.ok(meter.steps <= 40 * tokens.length, `${meter.steps} steps for ${tokens.length} tokens`);
    assert.ok(meter.steps >= tokens.length / 2, 'it did read them');
  });

  it('marks a value given away in context wherever it comes later, alone or after other words', () => {
    const values = new SecretValues();
    assert.equal(values.mark(['POSTGRES_PASSWORD', '=', 'Qx7kP2mZ9w']), true);
    assert.equal(values.has('Qx7kP2mZ9w'), true);
    assert.equal(values.mark(['POSTGRES_USER', '=', 'app']), false);
    assert.equal(values.has('app'), false);
    const filter = new TextSecretFilter(() => false);
    assert.deepEqual(filter.cut(['POSTGRES_PASSWORD', '=', 'Qx7kP2mZ9w']), ['POSTGRES_PASSWORD', '=', '']);
    assert.deepEqual(filter.cut(['echo', 'Qx7kP2mZ9w']), ['echo', ''], 'a later document of the same writer');
    // A value too short to mark is withheld with its context only.
    assert.deepEqual(withoutSecretTokens(['password', '=', '"', 'x9z', '"', ';', 'x9z'], () => false), ['password', '=', '"', '', '"', ';', 'x9z']);
    // A context never reads across a cut: the writer's text ended there.
    assert.deepEqual(withoutSecretTokens(['password', '=', '', 'hunter2x'], () => false), ['password', '=', '', 'hunter2x']);
  });
});
