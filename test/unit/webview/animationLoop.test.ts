import assert from 'node:assert/strict';
import { AnimationLoop } from '../../../src/webview/animationLoop';

/** A display that refreshes when told to, standing in for requestAnimationFrame. */
function fakeDisplay() {
  let next = 1;
  const pending = new Map<number, (now: number) => void>();
  const saved = { request: globalThis.requestAnimationFrame, cancel: globalThis.cancelAnimationFrame };
  globalThis.requestAnimationFrame = (callback) => {
    pending.set(next, callback);
    return next++;
  };
  globalThis.cancelAnimationFrame = (id) => void pending.delete(id);
  return {
    /** Runs the callbacks waiting for this refresh, at `now` ms. */
    refresh(now: number) {
      const callbacks = [...pending.values()];
      pending.clear();
      for (const callback of callbacks) callback(now);
    },
    waiting: () => pending.size,
    restore() {
      globalThis.requestAnimationFrame = saved.request;
      globalThis.cancelAnimationFrame = saved.cancel;
    },
  };
}

describe('the light field’s animation loop', () => {
  let display: ReturnType<typeof fakeDisplay>;
  beforeEach(() => (display = fakeDisplay()));
  afterEach(() => display.restore());

  it('draws once per refresh until stopped, and asks for no refresh after', () => {
    let frames = 0;
    const loop = new AnimationLoop(() => frames++);
    loop.start();
    loop.start();
    assert.equal(display.waiting(), 1, 'starting twice runs one loop');
    display.refresh(16);
    display.refresh(32);
    assert.equal(frames, 2);
    loop.stop();
    assert.equal(display.waiting(), 0);
    display.refresh(48);
    assert.equal(frames, 2);
  });

  it('can be started again after a stop', () => {
    let frames = 0;
    const loop = new AnimationLoop(() => frames++);
    loop.start();
    loop.stop();
    loop.start();
    display.refresh(16);
    assert.equal(frames, 1);
    loop.stop();
  });
});
