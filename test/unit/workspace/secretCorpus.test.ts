import { strict as assert } from 'node:assert';
import { Memory, Predictor, tokenize, type CompletionResult } from '../../../src/memory';
import { chunkDocumentId } from '../../../src/workspace/chunks';
import { filterCompletion } from '../../../src/workspace/completionFilter';
import { prepareForLearning } from '../../../src/workspace/learnable';
import { benignCases, learnedPieces, secretCases, secretPieces, type SecretCase } from './secretCorpus';

/** Learns a text the way the trainer, live updates and the CLI do, a few times over (as a copied config would be). */
function learn(memory: Memory, key: string, text: string): void {
  for (let copy = 0; copy < 3; copy++) {
    for (const chunk of prepareForLearning(text).chunks) memory.setDocument(chunkDocumentId(`${key}#${copy}`, chunk.id), chunk.text);
  }
}

function learnRaw(memory: Memory, key: string, text: string): void {
  for (let copy = 0; copy < 3; copy++) memory.setDocument(`${key}#${copy}`, text);
}

function before(c: SecretCase): string {
  return c.text.slice(0, c.text.indexOf(c.secret));
}

function proposes(result: CompletionResult, secret: string): boolean {
  const pieces = secretPieces(secret);
  return result.alternatives.concat(result.best ? [result.best] : []).some((c) => pieces.some((piece) => c.text.includes(piece)));
}

describe('workspace/secrets corpus through the learning path (fresh random values each run)', () => {
  const none = new Set<string>();
  const cases = secretCases();

  it('never counts a secret nor completes one, after the text before it', () => {
    const memory = new Memory();
    cases.forEach((c, i) => learn(memory, `case${i}`, c.text));
    const predictor = new Predictor([memory]);
    for (const c of cases) {
      assert.ok(c.text.includes(c.secret), c.name);
      assert.deepEqual(learnedPieces(memory, c.secret), [], `${c.name}: learned`);
      const result = predictor.complete(before(c), { alternatives: 8 });
      assert.ok(!proposes(result, c.secret), `${c.name}: completed`);
    }
  });

  it('learns the words around a secret', () => {
    const memory = new Memory();
    learn(memory, 'compose', cases.find((c) => c.name === 'compose environment list')!.text);
    assert.ok(memory.count(['-', 'POSTGRES_USER', '=', 'app']) > 0);
    assert.ok(memory.count(['-', 'POSTGRES_PASSWORD', '=']) > 0);
  });

  it('would learn and complete them without redaction (the control), and the completion filter still stops them', () => {
    // What an unredacted memory holds: an older version's, or a teammate's through a share.
    const memory = new Memory();
    cases.forEach((c, i) => learnRaw(memory, `case${i}`, c.text));
    const predictor = new Predictor([memory]);
    let completed = 0;
    for (const c of cases) {
      assert.notDeepEqual(learnedPieces(memory, c.secret), [], `${c.name}: the control learns it`);
      const result = predictor.complete(before(c), { alternatives: 8 });
      if (!proposes(result, c.secret)) continue;
      completed++;
      assert.ok(!proposes(filterCompletion(before(c), result, none), c.secret), `${c.name}: the filter let it through`);
    }
    assert.ok(completed >= cases.length / 2, `the control completes most secrets (${completed} of ${cases.length})`);
  });

  it('keeps learning what only looks secret: header names, Bearer, commit SHAs, UUIDs, integrity hashes, code and prose', () => {
    for (const c of benignCases()) {
      const { chunks, redacted } = prepareForLearning(c.text);
      assert.equal(redacted, 0, `${c.name}: blanked`);
      const memory = new Memory();
      for (const chunk of chunks) memory.setDocument(chunk.id, chunk.text);
      for (const token of tokenize(c.keep)) assert.ok(memory.wordCount(token) > 0, `${c.name}: ${token} not learned`);
      const tokens = tokenize(c.keep).slice(0, memory.order);
      assert.ok(memory.count(tokens) > 0, `${c.name}: ${tokens.join(' ')} not learned`);
    }
  });
});
