// find over a real indexed memory learned the way `train` learns (secrets blanked, content-defined
// chunks, their origins recorded), against files held in memory: every listed place is checked
// against brute force over the current text, unchanged files are confirmed without searching them
// again, and answers follow edits, deletions and secrets added later.
import { strict as assert } from 'node:assert';
import { tokenizeWithOffsets } from '../../../src/memory/index';
import { IndexedMemoryBuilder } from '../../../src/memory/indexedMemory';
import { chunkDocumentId } from '../../../src/workspace/chunks';
import { prepareForLearning } from '../../../src/workspace/learnable';
import { redactSecrets } from '../../../src/workspace/secrets';
import type { DocumentOrigin, TextSource } from '../../../src/ask/askable';
import { IndexedAskable } from '../../../src/ask/indexedAskable';
import { chunkStarts, Origins } from '../../../src/ask/origins';
import { find } from '../../../src/ask/find';
import { numberedFile, SECRET } from './fixtures';

function learn(files: Record<string, string>): IndexedAskable {
  const builder = new IndexedMemoryBuilder();
  const origins = new Map<string, DocumentOrigin>();
  for (const [file, text] of Object.entries(files)) {
    const { chunks } = prepareForLearning(text);
    const starts = chunkStarts(text, chunks.map((c) => c.start));
    chunks.forEach((chunk, i) => {
      const id = chunkDocumentId(file, chunk.id);
      builder.addDocument(id, chunk.text);
      origins.set(id, { file, ...starts[i] });
    });
  }
  return new IndexedAskable(builder.build(), new Origins('/project', origins));
}

/** Where the tokens occur in the current text (secrets blanked), as file:line:column. */
function bruteForce(files: Record<string, string>, tokens: string[]): string[] {
  const out: string[] = [];
  for (const [file, text] of Object.entries(files)) {
    const toks = tokenizeWithOffsets(redactSecrets(text).text);
    for (let i = 0; i + tokens.length <= toks.length; i++) {
      if (!tokens.every((t, k) => toks[i + k].text === t)) continue;
      const before = text.slice(0, toks[i].start);
      const line = before.split('\n').length;
      out.push(`${file}:${line}:${toks[i].start - (before.lastIndexOf('\n') + 1) + 1}`);
    }
  }
  return out;
}

function source(files: Record<string, string>): TextSource & { reads: number } {
  const s = {
    reads: 0,
    read: async (file: string) => {
      s.reads++;
      return files[file];
    },
  };
  return s;
}

describe('ask/find', () => {
  const files: Record<string, string> = {
    'a/big.ts': numberedFile(3000, 1),
    'b/small.ts': 'export function draw(frame: Frame) {\n  return render(frame);\n}\n',
    'c/other.ts': numberedFile(500, 3),
    // Learned with its secrets blanked, unchanged since: confirmed on the blanked chunk.
    'd/keys.ts': `const key = "${SECRET}";\nexport const v = render(frame) + "${SECRET}";\n`,
  };
  const memory = learn(files);
  const tokens = ['render', '(', 'frame', ')'];

  it('lists every occurrence where it is (a file of many chunks too), confirmed without searching whole files', async () => {
    const expected = bruteForce(files, tokens);
    assert.ok(expected.length > 400);
    const answer = await find(memory, source(files), tokens, 100);
    assert.equal(answer.total, expected.length);
    assert.deepEqual(answer.occurrences.map((o) => `${o.file}:${o.line}:${o.column}`), expected.slice(0, 100));
    assert.equal(answer.moved, 0, 'every place was confirmed from its chunk');
    assert.equal(answer.more, true);
    assert.equal(answer.occurrences[0].text, files['a/big.ts'].split('\n')[answer.occurrences[0].line - 1]);
    const everything = await find(memory, source(files), tokens, 10_000);
    assert.equal(everything.moved, 0);
    const keys = everything.occurrences.filter((o) => o.file === 'd/keys.ts');
    assert.deepEqual(keys.map((o) => [o.line, o.column, o.text]), [[2, 18, `export const v = render(frame) + "${' '.repeat(SECRET.length)}";`]]);
  });

  it('finds a phrase across the place a file was cut into chunks, and counts it', async () => {
    const text = files['a/big.ts'];
    const { chunks } = prepareForLearning(text);
    assert.ok(chunks.length > 5);
    let tried = 0;
    for (let c = 1; c < chunks.length; c += 2) {
      // The last two tokens of a chunk (its line break last) and the first two of the next.
      const before = tokenizeWithOffsets(chunks[c - 1].text).map((t) => t.text);
      const after = tokenizeWithOffsets(chunks[c].text).map((t) => t.text);
      const phrase = [...before.slice(-2), ...after.slice(0, 2)];
      const expected = bruteForce(files, phrase);
      const answer = await find(memory, source(files), phrase, 10);
      assert.equal(answer.total, expected.length, phrase.join(' '));
      assert.deepEqual(answer.occurrences.map((o) => `${o.file}:${o.line}:${o.column}`), expected.slice(0, 10), phrase.join(' '));
      assert.equal(answer.moved, 0, 'confirmed on the chunks joined, not by searching the file');
      tried++;
    }
    assert.ok(tried > 2);
  });

  it('follows edits: lines added above move occurrences, removed ones are not listed, new ones in a changed file are', async () => {
    const lines = files['a/big.ts'].split('\n');
    const edited = {
      ...files,
      'a/big.ts': ['// added', '// above', ...lines.slice(0, 2000), '  const extra = render(frame);', ...lines.slice(2000)].join('\n'),
      'b/small.ts': 'export function draw(frame: Frame) {\n  return paint(frame);\n}\n',
    };
    const answer = await find(memory, source(edited), tokens, 1000);
    assert.deepEqual(answer.occurrences.map((o) => `${o.file}:${o.line}:${o.column}`), bruteForce(edited, tokens));
    assert.ok(answer.moved >= 1);
    assert.ok(!answer.occurrences.some((o) => o.file === 'b/small.ts'));
    assert.ok(answer.occurrences.some((o) => o.text === '  const extra = render(frame);'));
  });

  it('never shows a secret: a line that gained one is shown blanked', async () => {
    const edited = { ...files, 'b/small.ts': `export function draw(frame: Frame) {\n  return render(frame) + "${SECRET}";\n}\n` };
    const answer = await find(memory, source(edited), tokens, 1000);
    const small = answer.occurrences.filter((o) => o.file === 'b/small.ts');
    assert.equal(small.length, 1);
    assert.equal(small[0].line, 2);
    assert.ok(!small[0].text.includes(SECRET));
    assert.match(small[0].text, /return render\(frame\) \+ " +"/);
  });

  it('counts occurrences in files it cannot read now, and checks a bounded number of them', async () => {
    const src = source({});
    const answer = await find(memory, src, tokens, 5);
    assert.deepEqual(answer.occurrences, []);
    // At most max(64, 4 x limit) learned places are checked per question, all in a/big.ts here.
    assert.equal(answer.unreadable, 64);
    assert.equal(answer.more, true);
    assert.equal(src.reads, 1, 'a file is asked for once per question');
    const unknown = await find(learn({}), source(files), tokens, 5);
    assert.equal(unknown.total, 0);
  });
});
