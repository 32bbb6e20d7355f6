// The team memory in a real VS Code: collaborators' text (documents `writer/key`) in bulk, as a first
// sync brings it, goes into an index the memory file worker builds, never into the overlay on the
// host's thread; a small change goes into the overlay at once; the completion path reads it beside
// the local memory, and forgetting a word reaches it.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { LightNetworkTestSeam } from '../../../../src/extension/api';
import { tokenize } from '../../../../src/memory/tokenizer';
import { extensionApi } from './helpers';

/** A fresh word (letters only) neither memory holds. */
const word = (): string => `zt${Array.from(randomBytes(8), (b) => String.fromCharCode(97 + (b % 26))).join('')}`;
const key = (n: number): string => n.toString(16).padStart(32, '0');

describe('extension: the team memory', function () {
  this.timeout(120_000);
  let api: LightNetworkTestSeam;

  before(async () => {
    api = await extensionApi();
    await api.whenIdle();
  });

  after(() => api.clearTeam());

  it("builds a bulk of collaborators' text into an index in the memory file worker, and predicts from it", async () => {
    api.clearTeam();
    const [first, second, third, writer] = [word(), word(), word(), `w-${word()}`];
    // 40 documents of about 2,000 tokens: more than the team memory puts into its overlay at once.
    const filler = tokenize('the quick brown fox jumps over the lazy dog .\n'.repeat(200));
    let tokens = 0;
    for (let d = 0; d < 40; d++) {
      const text = [...tokenize(`${first} ${second} ${third} ;\n`), ...filler];
      tokens += text.length;
      api.team.setDocument(`${writer}/${key(d)}`, text);
    }
    await api.team.whenIdle();
    const live = api.team.live;
    assert.equal(live.stats().tokens, tokens);
    assert.equal(live.changedSinceIndex, false, 'everything is in the index, nothing in the overlay');
    assert.ok(live.index.tokens.buffer instanceof SharedArrayBuffer, 'the index was built in the memory file worker (its sections are shared memory)');
    assert.equal(api.team.count([first, second, third]), 40);
    assert.deepEqual(api.team.writersOf([first, second]), [writer]);
    assert.equal(api.team.documentsOf(writer).length, 40);
    // The completion path ranks what only the team memory holds (local and team together).
    assert.equal(api.predictNext([first, second], 3)[0]?.token, third);

    // A collaborator's edit: one document, into the overlay at once (no build).
    const [edited] = [word()];
    api.team.setDocument(`${writer}/${key(3)}`, tokenize(`${first} ${second} ${edited} ;\n`));
    await api.team.whenIdle();
    assert.equal(live.changedSinceIndex, true);
    assert.equal(api.team.count([first, second, third]), 39);
    assert.equal(api.team.count([first, second, edited]), 1);
    api.team.setDocument(`${writer}/${key(4)}`, undefined);
    await api.team.whenIdle();
    assert.equal(api.team.count([first, second, third]), 38, 'a removed document takes its text away');

    // Forgetting a word reaches the team memory too.
    await api.forgetWord(third);
    assert.equal(api.team.wordCount(third), 0);
    assert.equal(api.team.count([first, second]), 39);
    api.clearTeam();
    assert.equal(api.team.stats().tokens, 0);
  });
});
