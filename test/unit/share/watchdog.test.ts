import { strict as assert } from 'node:assert';
import { LinkWatchdog, type WatchedLink } from '../../../src/share/watchdog';

function link(): WatchedLink & { destroyed: number } {
  const l = { synced: false, closed: false, destroyed: 0, peer: { destroy: () => l.destroyed++ } };
  return l;
}

describe('share/watchdog', () => {
  it('resets a link that neither syncs nor receives within its random deadline', () => {
    let now = 1000;
    const activity = new Map<WatchedLink, number>();
    const dog = new LinkWatchdog({ minMs: 2000, maxMs: 4000, random: () => 0.5, now: () => now, lastActivity: (l) => activity.get(l) ?? 0, onReset: () => {} });
    const stuck = link();
    const busy = link();
    const synced = link();
    synced.synced = true;
    dog.check([stuck, busy, synced]);
    now += 2900;
    activity.set(busy, now - 100);
    assert.equal(dog.check([stuck, busy, synced]), 0, 'deadline is 3 s with random 0.5');
    now += 200;
    assert.equal(dog.check([stuck, busy, synced]), 1);
    assert.equal(stuck.destroyed, 1);
    assert.equal(busy.destroyed, 0, 'a link receiving data is making progress');
    assert.equal(synced.destroyed, 0);
  });
});
