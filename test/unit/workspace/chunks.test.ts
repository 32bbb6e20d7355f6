import { strict as assert } from 'node:assert';
import { chunkDocumentId, chunkTokens, fileKeyOfDocument } from '../../../src/workspace/chunks';

function lines(n: number, seed = 0): string[] {
  const tokens: string[] = [];
  for (let i = 0; i < n; i++) tokens.push('let', `v${i + seed}`, '=', String(i), ';', '\n');
  return tokens;
}

describe('workspace/chunks', () => {
  it('keeps every token, in order, across chunks', () => {
    const tokens = lines(3000);
    const chunks = chunkTokens(tokens);
    assert.ok(chunks.length > 3);
    assert.deepEqual(chunks.flatMap((c) => c.tokens), tokens);
  });

  it('bounds chunk sizes', () => {
    const chunks = chunkTokens(lines(5000), { minTokens: 100, maxTokens: 600 });
    for (const chunk of chunks.slice(0, -1)) {
      assert.ok(chunk.tokens.length >= 100 && chunk.tokens.length <= 600 + 6, String(chunk.tokens.length));
    }
    const endless = Array.from({ length: 10_000 }, (_, i) => `t${i}`);
    assert.ok(chunkTokens(endless, { maxTokens: 1000 }).every((c) => c.tokens.length <= 2000));
  });

  it('changes only the chunks near an edit', () => {
    const before = lines(4000);
    const after = [...before.slice(0, 12_000), 'extra', '\n', ...before.slice(12_000)];
    const a = new Set(chunkTokens(before).map((c) => c.id));
    const b = chunkTokens(after).map((c) => c.id);
    const changed = b.filter((id) => !a.has(id));
    assert.ok(changed.length >= 1 && changed.length <= 2, `changed ${changed.length} of ${b.length}`);
  });

  it('gives identical content distinct ids and is deterministic', () => {
    const block = lines(400);
    const chunks = chunkTokens([...block, ...block], { minTokens: 10, maxTokens: block.length });
    const ids = chunks.map((c) => c.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(chunkTokens([...block, ...block], { minTokens: 10, maxTokens: block.length }).map((c) => c.id), ids);
  });

  it('round-trips file keys through document ids', () => {
    assert.equal(fileKeyOfDocument(chunkDocumentId('src/a.ts', 'abc.0')), 'src/a.ts');
    assert.equal(fileKeyOfDocument('plain'), 'plain');
  });
});
