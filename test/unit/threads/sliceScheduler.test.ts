import assert from 'node:assert/strict';
import { SliceScheduler } from '../../../src/threads/sliceScheduler';

function busyWait(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

describe('SliceScheduler', () => {
  it('measures only the jobs run while a measurement is open, each measurement on its own', async () => {
    const queue = new SliceScheduler(4);
    queue.enqueue(() => busyWait(12), 'before');
    await queue.whenIdle();
    const outer = queue.startMeasuring();
    queue.enqueue(() => busyWait(6), 'six');
    await queue.whenIdle();
    const inner = queue.startMeasuring();
    queue.enqueue(() => busyWait(3), 'three');
    await queue.whenIdle();
    const innerTimings = inner.stop();
    const outerTimings = outer.stop();
    assert.equal(outerTimings.longestJobLabel, 'six');
    assert.ok(outerTimings.longestJobMs >= 6 && outerTimings.longestJobMs < 12, `${outerTimings.longestJobMs}`);
    assert.ok(outerTimings.busyMs >= 9, `${outerTimings.busyMs}`);
    assert.ok(outerTimings.longestSliceMs >= outerTimings.longestJobMs);
    assert.equal(innerTimings.longestJobLabel, 'three');
    assert.ok(innerTimings.busyMs >= 3 && innerTimings.busyMs < 6, `${innerTimings.busyMs}`);
    // Stopped: later jobs change nothing.
    queue.enqueue(() => busyWait(20));
    await queue.whenIdle();
    assert.equal(outerTimings.longestJobLabel, 'six');
  });

  it('settles runSteps: resolves with the result, rejects when a step throws', async () => {
    const queue = new SliceScheduler(4);
    const ok = await queue.runSteps(
      (function* () {
        yield;
        return 7;
      })(),
    );
    assert.equal(ok, 7);
    await assert.rejects(
      queue.runSteps(
        (function* (): Generator<void, void> {
          yield;
          throw new Error('boom');
        })(),
      ),
      /boom/,
    );
  });

  it('drains every job now, to its end, then runs the slice hook and wakes the idle waiters', async () => {
    let slices = 0;
    const queue = new SliceScheduler(4, () => slices++);
    const order: string[] = [];
    let left = 3;
    queue.enqueue(() => {
      order.push(`long ${left}`);
      return --left === 0; // not finished until its third run
    });
    queue.enqueue(() => void order.push('short'));
    const idle = queue.whenIdle();
    queue.drain();
    assert.deepEqual(order, ['long 3', 'long 2', 'long 1', 'short']);
    assert.equal(queue.pending, 0);
    assert.ok(slices >= 1);
    await idle;
    // The slice that was already scheduled finds nothing left and changes nothing.
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(order, ['long 3', 'long 2', 'long 1', 'short']);
  });
});
