import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Memory } from '../../../src/memory';
import { FolderSeed } from '../../../src/share/folderSeed';

describe('share/folderSeed: a headless seed learns a folder as the editor does, and follows its changes', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'ln-seed-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('learns the folder without its secrets, then publishes exactly what changed', async () => {
    writeFileSync(path.join(dir, 'a.md'), 'purple gizmos flip seven times\n');
    writeFileSync(path.join(dir, 'b.md'), 'token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789"\n');
    writeFileSync(path.join(dir, '.env'), 'SECRET_WORD=marmalade\n');
    const seed = new FolderSeed(dir);
    const first = await seed.scan();
    assert.equal(first.changed, 2, '.env is never read');
    assert.ok(first.redacted >= 1);
    assert.deepEqual(first.delta.entries, [], 'the first scan is published whole as a snapshot');
    assert.equal(seed.memory.count(['purple', 'gizmos']), 1);
    assert.equal(seed.memory.wordCount('marmalade'), 0);
    assert.equal(seed.memory.wordCount('ghp_abcdefghijklmnopqrstuvwxyz0123456789'), 0);

    // Nothing changed: nothing to publish.
    assert.equal((await seed.scan()).changed, 0);

    // An edit and a deletion: the deltas move a copy of the old memory to the new one exactly.
    const before = Memory.decode(seed.memory.encode());
    writeFileSync(path.join(dir, 'a.md'), 'purple gizmos flip eight times\npurple gizmos again\n');
    utimesSync(path.join(dir, 'a.md'), new Date(), new Date(Date.now() + 5000));
    unlinkSync(path.join(dir, 'b.md'));
    const next = await seed.scan();
    assert.equal(next.changed, 1);
    assert.equal(next.removed, 1);
    assert.ok(next.delta.entries.length > 0);
    before.applyDelta(next.delta);
    for (const ngram of [['purple', 'gizmos'], ['flip', 'eight'], ['flip', 'seven'], ['token']]) {
      assert.equal(before.count(ngram), seed.memory.count(ngram), ngram.join(' '));
    }
    assert.equal(seed.memory.count(['purple', 'gizmos']), 2);
    assert.equal(seed.memory.count(['flip', 'seven']), 0);
  });
});
