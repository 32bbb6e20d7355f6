import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readIfExists, writeFileAtomic } from '../../../src/persistence/atomicFile';

describe('persistence/atomicFile', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(path.join(tmpdir(), 'ln-atomic-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes files that hold learned text readable by their owner only (0600), new or replaced', async function () {
    if (process.platform === 'win32') this.skip();
    const created = path.join(dir, 'sub', 'memory.bin');
    await writeFileAtomic(created, [new Uint8Array([1, 2]), new Uint8Array([3])]);
    assert.equal(statSync(created).mode & 0o777, 0o600);
    assert.deepEqual([...(await readIfExists(created))!], [1, 2, 3]);
    // A file written 0644 by an earlier version is replaced by a private one.
    const old = path.join(dir, 'team.bin.teamlog');
    writeFileSync(old, 'old', { mode: 0o644 });
    assert.equal(statSync(old).mode & 0o777, 0o644);
    await writeFileAtomic(old, new Uint8Array([9]));
    assert.equal(statSync(old).mode & 0o777, 0o600);
  });
});
