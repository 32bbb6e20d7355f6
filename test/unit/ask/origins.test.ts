// The origins record: where chunks begin (against a naive count), its file round trip, and refusal
// of anything that is not a well-formed record.
import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chunkDocumentId, chunkText } from '../../../src/workspace/chunks';
import { chunkStarts, decodeOrigins, encodeOrigins, loadOrigins, Origins, OriginsFormatError, originsFileOf, saveOrigins } from '../../../src/ask/origins';

describe('ask/origins', () => {
  it('gives each chunk the line and column it starts at (an endless line cut apart too)', () => {
    const text = ['a'.repeat(5000), ...Array.from({ length: 400 }, (_, i) => (i % 9 === 0 ? '' : `line ${i} ${'x'.repeat(i % 50)}`)), 'y '.repeat(20_000)].join('\n');
    const chunks = chunkText(text, { minChars: 100, maxChars: 2000 });
    assert.ok(chunks.length > 10);
    const starts = chunkStarts(text, chunks.map((c) => c.start));
    chunks.forEach((c, i) => {
      assert.equal(text.slice(c.start, c.start + c.text.length), c.text);
      const before = text.slice(0, c.start);
      assert.equal(starts[i].line, before.split('\n').length - 1);
      assert.equal(starts[i].column, c.start - (before.lastIndexOf('\n') + 1));
    });
    assert.ok(starts.some((s) => s.column > 0), 'a long line was cut mid-line');
  });

  it('saves and loads a record; a missing one is undefined', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ln-origins-'));
    try {
      const memoryFile = path.join(dir, 'memory.bin');
      assert.equal(await loadOrigins(memoryFile), undefined);
      const origins = new Origins('/work/project', new Map([
        [chunkDocumentId('src/a.ts', 'h1.0'), { file: 'src/a.ts', line: 0, column: 0 }],
        [chunkDocumentId('src/a.ts', 'h2.0'), { file: 'src/a.ts', line: 120, column: 4 }],
        [chunkDocumentId('docs/ü.md', 'h3.1'), { file: 'docs/ü.md', line: 7, column: 0 }],
        // Learned from outside the folder train ran in: recorded under a root above it.
        [chunkDocumentId('../elsewhere/b.ts', 'h4.0'), { file: 'elsewhere/b.ts', line: 2, column: 0 }],
      ]));
      await saveOrigins(memoryFile, origins);
      assert.equal((await fs.stat(originsFileOf(memoryFile))).mode & 0o777, 0o600);
      const loaded = (await loadOrigins(memoryFile))!;
      assert.equal(loaded.root, '/work/project');
      assert.deepEqual([...loaded.entries()], [...origins.entries()]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses what is not a well-formed record', () => {
    const good = JSON.parse(encodeOrigins(new Origins('/p', new Map([[chunkDocumentId('f', 'c'), { file: 'f', line: 1, column: 0 }]]))));
    const bad = [
      'not json',
      '[]',
      JSON.stringify({ ...good, format: 'other' }),
      JSON.stringify({ ...good, version: 2 }),
      JSON.stringify({ ...good, root: 'relative/root' }),
      JSON.stringify({ ...good, files: [] }),
      JSON.stringify({ ...good, files: { f: 'x' } }),
      JSON.stringify({ ...good, files: { f: [['c', -1, 0]] } }),
      JSON.stringify({ ...good, files: { f: [['c', 1.5, 0]] } }),
      JSON.stringify({ ...good, files: { f: [['c', 1]] } }),
      JSON.stringify({ ...good, paths: { f: 3 } }),
    ];
    for (const text of bad) assert.throws(() => decodeOrigins(text), OriginsFormatError, text);
    assert.equal(decodeOrigins(JSON.stringify(good)).get(chunkDocumentId('f', 'c'))?.line, 1);
  });
});
