import assert from 'node:assert/strict';
import { BEND, rayLight, rayPoints, rayStrips, segmentsFor } from '../../../src/webview/render/rayCurves';

describe('ray curves (the geometry the ray layer draws)', () => {
  // Neuron 0 at the origin, neuron 1 at (10, 0), neuron 2 at (0, 10).
  const positions = new Float32Array([0, 0, 10, 0, 0, 10]);
  const from = new Uint32Array([0, 1]);
  const to = new Uint32Array([1, 0]);

  it('starts at the source, ends at the target and bends to the left of the ray', () => {
    const points = rayPoints(positions, from, to, 4);
    assert.equal(points.length, 2 * 2 * 5);
    assert.deepEqual([points[0], points[1]], [0, 0]);
    assert.deepEqual([points[8], points[9]], [10, 0]);
    // The middle point of 0 -> 1 (heading +x) lies above the chord: half the control point's offset.
    assert.ok(Math.abs(points[4] - 5) < 1e-6);
    assert.ok(Math.abs(points[5] - (10 * BEND) / 2) < 1e-5, `middle at ${points[5]}`);
    // 1 -> 0 heads the other way and bends below: a -> b and b -> a stay apart.
    assert.ok(Math.abs(points[10 + 5] + (10 * BEND) / 2) < 1e-5);
  });

  it('joins each ray’s points into segments and tells each point where it is along its ray', () => {
    const { meta, indices } = rayStrips(new Float32Array([0.5, 0.25]), 2);
    assert.deepEqual(Array.from(indices), [0, 1, 1, 2, 3, 4, 4, 5]);
    assert.deepEqual(Array.from(meta), [0, 0.5, 0.5, 0.5, 1, 0.5, 0, 0.25, 0.5, 0.25, 1, 0.25]);
  });

  it('carries the light of each ray’s source to every point of the ray', () => {
    const light = rayLight(new Float32Array([0.75, 0, 0]), new Float32Array([2, -1, -1]), from, 1);
    assert.deepEqual(Array.from(light), [0.75, 2, 0.75, 2, 0, -1, 0, -1]);
  });

  it('draws fewer segments per ray when there are very many rays', () => {
    assert.equal(segmentsFor(20_000), 4);
    assert.equal(segmentsFor(200_000), 2);
  });
});
