// The team memory holds exactly the documents last set, whichever way they were counted (into the
// overlay, or into a new index built from a bulk sync), and costs what an index costs.
import { strict as assert } from 'node:assert';
import { IndexedMemoryBuilder } from '../../../src/memory/indexedMemory';
import { LiveMemory } from '../../../src/memory/liveMemory';
import { HOLE } from '../../../src/memory/vocabulary';
import { TeamMemory, type TeamIndexBuild, buildInProcess } from '../../../src/share/teamMemory';

function rng(seed: number): () => number {
  return () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
}
const WORDS = ['int', 'x', '=', '0', ';', 'for', '(', ')', '{', '}', 'return', 'y', '+', '1', 'if', 'else', '\n'];
function text(random: () => number, n: number): string[] {
  return Array.from({ length: n }, () => (random() < 0.02 ? '' : WORDS[Math.floor(random() * WORDS.length)]));
}

/** A live memory built from scratch from `docs`: what the team memory must equal. */
function expected(docs: Map<string, string[]>, order: number): LiveMemory {
  const builder = new IndexedMemoryBuilder({ order });
  for (const [id, tokens] of docs) builder.addDocumentIds(id, Int32Array.from(tokens, (t) => (t === '' ? HOLE : builder.vocab.intern(t))), undefined, true);
  return new LiveMemory(builder.build());
}

function assertSame(team: TeamMemory, docs: Map<string, string[]>, label: string): void {
  const want = expected(docs, team.order);
  assert.deepEqual(team.stats().ngramsByOrder, want.stats().ngramsByOrder, `${label}: n-grams by order`);
  assert.equal(team.stats().tokens, want.stats().tokens, `${label}: tokens`);
  assert.deepEqual(new Set(team.live.documentIds()), new Set(docs.keys()), `${label}: documents`);
  for (const ngram of [['x', '='], ['=', '0', ';'], ['for', '('], ['return', 'y', '+', '1'], [';', '\n', 'int']]) {
    assert.equal(team.count(ngram), want.count(ngram), `${label}: count of ${ngram.join(' ')}`);
  }
}

describe('share/teamMemory', () => {
  it('equals a fresh build after bulk syncs, small edits, removals and forgotten words', async () => {
    const random = rng(9);
    let builds = 0;
    const build: TeamIndexBuild = (snapshot) => {
      builds++;
      return buildInProcess(snapshot);
    };
    const team = new TeamMemory({ order: 4, build, directTokens: 500, overlayTokens: 3000 });
    const docs = new Map<string, string[]>();
    // A first sync: far more than goes straight into the overlay.
    for (let d = 0; d < 40; d++) {
      const tokens = text(random, 300);
      docs.set(`alice/${d}`, tokens);
      team.setDocument(`alice/${d}`, tokens);
    }
    await team.whenIdle();
    assert.equal(builds, 1, 'one index built for the bulk sync');
    assert.equal(team.live.overlayTokens, 0, 'nothing of the bulk sync in the overlay');
    assertSame(team, docs, 'after the first sync');
    // Edits: a few documents at a time go into the overlay.
    for (let round = 0; round < 30; round++) {
      const id = `${random() < 0.5 ? 'alice' : 'bob'}/${Math.floor(random() * 50)}`;
      if (random() < 0.3) {
        docs.delete(id);
        team.setDocument(id, undefined);
      } else {
        const tokens = text(random, 20 + Math.floor(random() * 80));
        docs.set(id, tokens);
        team.setDocument(id, tokens);
      }
      if (round % 7 === 0) await team.whenIdle();
    }
    await team.whenIdle();
    assertSame(team, docs, 'after edits');
    team.forgetWord('return');
    for (const [id, tokens] of docs) docs.set(id, tokens.map((t) => (t === 'return' ? '' : t)));
    assertSame(team, docs, 'after forgetting a word');
    // Another bulk change while edits keep coming: queued behind the build, none lost.
    for (let d = 0; d < 30; d++) {
      const tokens = text(random, 200);
      docs.set(`carol/${d}`, tokens);
      team.setDocument(`carol/${d}`, tokens);
    }
    await new Promise((resolve) => setImmediate(resolve));
    team.setDocument('alice/0', undefined);
    docs.delete('alice/0');
    team.setDocument('carol/0', ['int', 'x', '=', '1', ';']);
    docs.set('carol/0', ['int', 'x', '=', '1', ';']);
    await team.whenIdle();
    assertSame(team, docs, 'after a second bulk change with edits during its build');
    assert.deepEqual(team.writersOf(['int', 'x', '=', '1', ';']).includes('carol'), true);
    assert.deepEqual(new Set(team.documentsOf('bob')), new Set([...docs.keys()].filter((id) => id.startsWith('bob/'))));
  });

  it('makes words the user forgot cuts as they arrive', async () => {
    const forgotten = new Set(['hunter']);
    const team = new TeamMemory({ order: 3, withheld: (word) => forgotten.has(word) });
    team.setDocument('w/1', ['login', 'hunter', 'now', 'login', 'hunter', 'now']);
    await team.whenIdle();
    assert.equal(team.wordCount('hunter'), 0);
    assert.equal(team.count(['login']), 2);
    assert.equal(team.count(['login', 'now']), 0, 'no n-gram spans the cut');
  });

  it('costs about what an index costs once a bulk sync is built', async () => {
    const random = rng(3);
    const team = new TeamMemory({ order: 8 });
    let tokens = 0;
    for (let d = 0; d < 200; d++) {
      const doc = text(random, 1000);
      tokens += doc.length;
      team.setDocument(`w/${d}`, doc);
    }
    await team.whenIdle();
    console.log(`      team memory: ${(team.bytes / tokens).toFixed(1)} bytes per token`);
    assert.ok(team.bytes / tokens < 40, `${(team.bytes / tokens).toFixed(1)} bytes per token`);
  });

  it('drops a build started before clear(), and queues again what a failed build held', async () => {
    let fail = true;
    const errors: Error[] = [];
    const team = new TeamMemory({
      order: 3,
      directTokens: 10,
      build: async (snapshot) => {
        if (fail) {
          fail = false;
          throw new Error('worker gone');
        }
        return buildInProcess(snapshot);
      },
      onError: (error) => errors.push(error),
    });
    team.setDocument('a/1', ['x', 'y', 'z', 'x', 'y', 'z', 'x', 'y', 'z', 'x', 'y', 'z']);
    await team.whenIdle();
    assert.equal(errors.length, 1);
    assert.equal(team.count(['x', 'y']), 4);
    team.setDocument('a/2', Array.from({ length: 20 }, () => 'q'));
    await new Promise((resolve) => setImmediate(resolve));
    team.clear();
    await team.whenIdle();
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(team.stats().tokens, 0);
    assert.equal(team.count(['q']), 0);
  });
});
