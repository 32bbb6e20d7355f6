import { strict as assert } from 'node:assert';
import { FRAME_BYTES, FrameAssembler, FrameError, splitIntoFrames } from '../../../src/share/framing';

function bytes(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

describe('share/framing', () => {
  it('round-trips messages of every size class through frames', () => {
    for (const size of [0, 1, FRAME_BYTES - 1, FRAME_BYTES, 3 * FRAME_BYTES + 17, 1_000_000]) {
      const message = bytes(size, size);
      const frames = splitIntoFrames(message);
      assert.ok(frames.every((frame) => frame.byteLength <= FRAME_BYTES), `frame over ${FRAME_BYTES} bytes`);
      const assembler = new FrameAssembler(2_000_000);
      const results = frames.map((frame) => assembler.push(frame));
      assert.deepEqual(results.slice(0, -1), new Array(frames.length - 1).fill(undefined));
      assert.deepEqual(results.at(-1), message);
    }
  });

  it('reassembles consecutive messages independently', () => {
    const assembler = new FrameAssembler(1 << 20);
    const a = bytes(200_000, 3);
    const b = bytes(10, 4);
    const out = [...splitIntoFrames(a), ...splitIntoFrames(b)].map((f) => assembler.push(f)).filter(Boolean);
    assert.deepEqual(out, [a, b]);
  });

  it('rejects a message over the cap and recovers for the next one', () => {
    const assembler = new FrameAssembler(100_000);
    const frames = splitIntoFrames(bytes(300_000));
    assert.throws(() => frames.forEach((frame) => assembler.push(frame)), FrameError);
    assert.equal(assembler.pendingBytes, 0);
    const small = bytes(50);
    assert.deepEqual(assembler.push(splitIntoFrames(small)[0]), small);
  });

  it('rejects empty frames and unknown flags', () => {
    const assembler = new FrameAssembler(1000);
    assert.throws(() => assembler.push(new Uint8Array(0)), FrameError);
    assert.throws(() => assembler.push(new Uint8Array([0x80, 1, 2])), /unknown frame flags/);
  });

  it('refuses a frame that is not full before the last one, so empty frames cannot pile up (issue 10, item 7)', () => {
    const cap = 1 << 20;
    const assembler = new FrameAssembler(cap);
    let accepted = 0;
    let refused: unknown;
    try {
      // An attacker's 3M one-byte frames (flag 0, no payload): each added nothing to the byte count.
      for (; accepted < 3_000_000; accepted++) assembler.push(new Uint8Array([0]));
    } catch (error) {
      refused = error;
    }
    assert.ok(refused instanceof FrameError, 'the empty frames were all held');
    assert.equal(accepted, 0);
    assert.equal(assembler.pendingFrames, 0);
    assert.throws(() => assembler.push(new Uint8Array(1000)), /before the last of its message/);
    // Whatever a peer sends, the parts held stay within what the byte cap allows in full frames.
    const frames = splitIntoFrames(bytes(cap));
    frames.slice(0, -1).forEach((frame) => assembler.push(frame));
    assert.ok(assembler.pendingFrames <= Math.ceil(cap / (FRAME_BYTES - 1)));
  });
});
