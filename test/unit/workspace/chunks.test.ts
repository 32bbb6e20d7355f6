import { strict as assert } from 'node:assert';
import { chunkDocumentId, chunkText, fileKeyOfDocument } from '../../../src/workspace/chunks';
import { blankWords, prepareForLearning } from '../../../src/workspace/learnable';

function lines(n: number, seed = 0): string {
  let text = '';
  for (let i = 0; i < n; i++) text += `let v${i + seed} = compute(${i}, "value ${i}");\n`;
  return text;
}

describe('workspace/chunks', () => {
  it('keeps every character, in order, across chunks', () => {
    const text = lines(3000);
    const chunks = chunkText(text);
    assert.ok(chunks.length > 10, String(chunks.length));
    assert.equal(chunks.map((c) => c.text).join(''), text);
    assert.ok(chunks.every((c) => c.text.endsWith('\n')));
  });

  it('bounds chunk sizes', () => {
    const chunks = chunkText(lines(5000), { minChars: 1000, maxChars: 4000 });
    for (const chunk of chunks.slice(0, -1)) assert.ok(chunk.text.length >= 1000 && chunk.text.length <= 4100, String(chunk.text.length));
    const endless = 'word '.repeat(50_000);
    const cut = chunkText(endless, { maxChars: 1000 });
    assert.ok(cut.every((c) => c.text.length <= 2000));
    assert.equal(cut.map((c) => c.text).join(''), endless);
  });

  it('changes only the chunks near an edit', () => {
    const before = lines(4000);
    const at = before.indexOf('let v2000 ');
    const after = `${before.slice(0, at)}extra line\n${before.slice(at)}`;
    const a = new Set(chunkText(before).map((c) => c.id));
    const b = chunkText(after).map((c) => c.id);
    const changed = b.filter((id) => !a.has(id));
    assert.ok(changed.length >= 1 && changed.length <= 2, `changed ${changed.length} of ${b.length}`);
  });

  it('gives identical content distinct ids and is deterministic', () => {
    const block = lines(300);
    const text = block + block;
    const ids = chunkText(text, { minChars: 10, maxChars: block.length }).map((c) => c.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual(chunkText(text, { minChars: 10, maxChars: block.length }).map((c) => c.id), ids);
  });

  it('round-trips file keys through document ids', () => {
    assert.equal(fileKeyOfDocument(chunkDocumentId('src/a.ts', 'abc.0')), 'src/a.ts');
    assert.equal(fileKeyOfDocument('plain'), 'plain');
  });
});

describe('workspace/learnable', () => {
  it('blanks forgotten words as whole tokens only', () => {
    assert.equal(blankWords('foo bar foobar foo.x', new Set(['foo'])), '    bar foobar    .x');
    assert.equal(blankWords('x = 1.5 + 1;', new Set(['1'])), 'x = 1.5 +  ;'); // the token, as the memory counts it
  });

  it('blanks words only: never punctuation or line breaks, whatever the set holds', () => {
    const text = 'a (b) c\nd.e\n';
    assert.equal(blankWords(text, new Set(['(', '\n', '.', 'b) c', ''])), text);
  });

  it('blanks in one pass whatever the number and length of the words (no pattern to outgrow)', () => {
    // One 33k-character "word" made a RegExp too large for every later file; many words did too.
    const words = new Set(['x'.repeat(33_000), ...Array.from({ length: 50_000 }, (_, i) => `word${i}`)]);
    assert.equal(blankWords('let word7 = word49999 + word50000;', words), 'let       =           + word50000;');
  });

  it('blanks secrets before chunking', () => {
    const text = 'const apiKey = "Xy7pQ2rT9sLm4NvB8cKd";\nconsole.log(apiKey);\n';
    const learnable = prepareForLearning(text);
    assert.equal(learnable.redacted, 1);
    const joined = learnable.chunks.map((c) => c.text).join('');
    assert.ok(!joined.includes('Xy7p'));
    assert.ok(joined.includes('console.log(apiKey)'));
  });
});
