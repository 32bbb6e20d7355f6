// The collaborators' list (names announced per writer id, forgotten writers) and the writer id in
// presence, which the list learns names from.
import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Collaborators } from '../../../src/extension/share/collaborators';
import { localState, peersFromStates } from '../../../src/share/presence';
import { newWriterKey } from '../../../src/share/writerKey';

describe('share/collaborators', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ln-collaborators-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('keeps every name announced with a writer id, made visible, and the forgotten writers, across a reload', async () => {
    const file = path.join(dir, 'team-collaborators.json');
    const ada = newWriterKey().id;
    const grace = newWriterKey().id;
    const { collaborators } = await Collaborators.load(file);
    assert.equal(collaborators.noteName(ada, 'Ada'), true);
    assert.equal(collaborators.noteName(ada, 'Ada'), false, 'the same name again is no news');
    // Someone else announces Ada's id under another name, with a bidi control in it.
    assert.equal(collaborators.noteName(ada, 'Mal\u202Elory'), true);
    assert.equal(collaborators.label(ada), 'Mal\uFFFDlory / Ada');
    assert.match(collaborators.label(grace), /^collaborator k-/);
    assert.equal(collaborators.noteName('not a writer id!', 'x'), false);
    collaborators.setForgotten(grace, true);
    await collaborators.save();
    if (process.platform !== 'win32') assert.equal((await fs.stat(file)).mode & 0o777, 0o600);
    const again = (await Collaborators.load(file)).collaborators;
    assert.deepEqual(again.forgotten(), [grace]);
    assert.equal(again.label(ada), 'Mal\uFFFDlory / Ada');
  });

  it('bounds what it keeps: 4 names a writer, 1000 writers, never dropping a forgotten one', async () => {
    const { collaborators } = await Collaborators.load(path.join(dir, 'c.json'));
    const first = newWriterKey().id;
    collaborators.setForgotten(first, true);
    for (let i = 0; i < 10; i++) collaborators.noteName(first, `name${i}`);
    assert.equal(collaborators.label(first), 'name9 / name8 / name7 / name6');
    for (let i = 0; i < 1100; i++) collaborators.noteWriter(`w-${i}`);
    const list = collaborators.list();
    assert.equal(list.length, 1000);
    assert.ok(list.some((record) => record.writer === first && record.forgotten));
    assert.ok(!list.some((record) => record.writer === 'w-0'), 'the longest unseen went first');
  });

  it('reads a damaged file as an empty list and says why', async () => {
    const file = path.join(dir, 'c.json');
    await fs.writeFile(file, '{"version":1,"writers":[{"writer":');
    const { collaborators, problem } = await Collaborators.load(file);
    assert.match(problem ?? '', /not readable/);
    assert.deepEqual(collaborators.list(), []);
  });

  it('presence carries a well-formed writer id, and drops one that is not', () => {
    const writer = newWriterKey().id;
    const states = new Map<number, unknown>([
      [1, localState({ name: 'me', color: '#112233', writer }, '')],
      [2, localState({ name: 'Ada', color: '#40b0e0', writer }, 'x')],
      [3, { user: { name: 'Evil', color: '#40b0e0', writer: 'x'.repeat(500) }, word: '' }],
    ]);
    const peers = peersFromStates(states, 1);
    assert.equal(peers.find((p) => p.name === 'Ada')?.writer, writer);
    assert.equal(peers.find((p) => p.name === 'Evil')?.writer, undefined);
    assert.equal((localState({ name: 'me', color: '#112233', writer: 'bad id!' }, '').user as { writer?: string }).writer, undefined);
  });
});
