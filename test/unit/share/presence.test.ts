import { strict as assert } from 'node:assert';
import { localState, peersFromStates } from '../../../src/share/presence';

describe('share/presence', () => {
  it('lists other peers with clipped names and safe colours', () => {
    const states = new Map<number, unknown>([
      [1, localState({ name: 'me', color: '#112233' }, 'self')],
      [2, { user: { name: 'Ada', color: '#40b0e0' }, word: 'render' }],
      [3, { user: { name: 'x'.repeat(500), color: 'red; background:url(evil)' }, word: 42 }],
      [4, null],
    ]);
    const peers = peersFromStates(states, 1);
    assert.equal(peers.length, 2);
    assert.deepEqual(peers[0], { id: '2', name: 'Ada', color: '#40b0e0', word: 'render' });
    assert.equal(peers[1].name.length, 40);
    assert.match(peers[1].color, /^#[0-9a-f]{6}$/);
    assert.equal(peers[1].word, '');
  });
});
