import { strict as assert } from 'node:assert';
import { Memory } from '../../../src/memory/memory';
import type { NgramDelta } from '../../../src/memory/types';
import { Learner, type Job } from '../../../src/workspace/learner';
import { prepareForLearning } from '../../../src/workspace/learnable';

function code(lines: number, word: string, extra = ''): string {
  let text = '';
  for (let i = 0; i < lines; i++) text += `export const tide${i} = measure(${i}, ${word});\n`;
  return text + extra;
}

/** Runs a job as the scheduler does: again until it says it is finished; returns the runs. */
function runToEnd(job: Job): number {
  let runs = 1;
  while (job() === false) runs++;
  return runs;
}

function setup(wantsDeltas = false) {
  let memory = new Memory();
  const deltas: NgramDelta[] = [];
  // A zero budget: each run of a job adds one chunk, whatever the machine's speed.
  const learner = new Learner({ memory: () => memory, wantsDeltas: () => wantsDeltas, onDelta: (e) => deltas.push(...e) }, { runBudgetMs: 0 });
  const run = (jobs: Job[]) => jobs.forEach((job) => runToEnd(job));
  const learn = (key: string, text: string) => run(learner.planReplace(key, prepareForLearning(text).chunks));
  return { learner, learn, run, deltas, memory: () => memory, swap: (m: Memory) => (memory = m) };
}

/** A memory holding exactly these files, learned from scratch. */
function fresh(files: Record<string, string>): Memory {
  const { learn, memory } = setup();
  for (const [key, text] of Object.entries(files)) learn(key, text);
  return memory();
}

function sameCounts(a: Memory, b: Memory): void {
  assert.deepEqual({ ...a.stats(), bytes: 0 }, { ...b.stats(), bytes: 0 });
  assert.deepEqual(a.documentIds().sort(), b.documentIds().sort());
  for (const w of b.topWords(40)) assert.equal(a.wordCount(w.word), w.count, w.word);
}

describe('workspace/learner', () => {
  it('replaces a file exactly: edits never count twice and reverting restores the memory', () => {
    const { learn, memory } = setup();
    const original = code(800, 'ebb');
    learn('a.ts', original);
    learn('b.md', 'The keeper climbs the stairs.\n');
    const edited = original.replace('tide400 = measure(400, ebb)', 'tide400 = measure(400, flood)');
    learn('a.ts', edited);
    sameCounts(memory(), fresh({ 'a.ts': edited, 'b.md': 'The keeper climbs the stairs.\n' }));
    learn('a.ts', original);
    sameCounts(memory(), fresh({ 'a.ts': original, 'b.md': 'The keeper climbs the stairs.\n' }));
  });

  it('touches only the chunks an edit changed', () => {
    const { learner, learn, memory } = setup();
    const original = code(2000, 'ebb');
    learn('a.ts', original);
    const ids = new Set(memory().documentIds());
    const jobs = learner.planReplace('a.ts', prepareForLearning(`${original.slice(0, 30_000)}// a note\n${original.slice(30_000)}`).chunks);
    assert.equal(jobs.length, 1);
    assert.ok(runToEnd(jobs[0]) <= 2, 'one run per new chunk at a zero budget: an edit makes one or two');
    const changed = memory().documentIds().filter((id) => !ids.has(id));
    assert.ok(changed.length >= 1 && changed.length <= 2, String(changed.length));
  });

  it('adds a big new file over several bounded runs of its job', () => {
    const { learner, memory } = setup();
    const big = prepareForLearning(code(8_000, 'ebb')).chunks;
    const jobs = learner.planReplace('big.ts', big);
    const runs = runToEnd(jobs[0]);
    assert.ok(runs > 5 && runs === big.length, `${runs} runs for ${big.length} chunks`);
    sameCounts(memory(), fresh({ 'big.ts': code(8_000, 'ebb') }));
  });

  it('stays exact when replacements of one file are planned before earlier ones ran', () => {
    const { learner, run, memory } = setup();
    const v1 = code(900, 'one');
    const v2 = code(900, 'two');
    const v3 = code(600, 'one', 'tail();\n');
    const jobs = [v1, v2, v3].flatMap((text) => learner.planReplace('a.ts', prepareForLearning(text).chunks));
    run(jobs);
    sameCounts(memory(), fresh({ 'a.ts': v3 }));
  });

  it('removes files and folders, renames without changing counts', () => {
    const { learner, learn, memory } = setup();
    learn('src/a.ts', code(50, 'ebb'));
    learn('src/deep/b.ts', code(50, 'flood'));
    learn('c.md', 'Lighthouse notes.\n');
    const before = memory().stats();
    learner.renameFile('c.md', 'docs/c.md');
    learner.renameFolder('src', 'lib');
    assert.deepEqual(memory().stats(), before);
    assert.deepEqual([...learner.keys()].sort(), ['docs/c.md', 'lib/a.ts', 'lib/deep/b.ts']);
    assert.equal(learner.removeFolder('lib'), 2);
    sameCounts(memory(), fresh({ 'docs/c.md': 'Lighthouse notes.\n' }));
    learner.removeFile('docs/c.md');
    assert.equal(memory().stats().tokens, 0);
    assert.equal(learner.fileCount, 0);
  });

  it('rebuilds its index from a reloaded memory', () => {
    const { learner, learn, memory, swap } = setup();
    learn('src/a.ts', code(300, 'ebb'));
    learn('b.md', 'Beacon.\n');
    swap(Memory.decode(memory().encode()));
    learner.rebuildIndex();
    assert.deepEqual([...learner.keys()].sort(), ['b.md', 'src/a.ts']);
    learn('src/a.ts', code(300, 'flood'));
    sameCounts(memory(), fresh({ 'src/a.ts': code(300, 'flood'), 'b.md': 'Beacon.\n' }));
  });

  it('reports net deltas that rebuild the same counts elsewhere', () => {
    const { learn, deltas, memory } = setup(true);
    learn('a.ts', code(200, 'ebb'));
    learn('a.ts', code(200, 'flood'));
    const mirror = new Memory();
    mirror.applyDelta({ entries: deltas });
    assert.equal(mirror.wordCount('flood'), memory().wordCount('flood'));
    assert.equal(mirror.wordCount('ebb'), 0);
    assert.equal(mirror.stats().ngrams, memory().stats().ngrams);
  });
});
