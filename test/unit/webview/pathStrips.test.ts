import assert from 'node:assert/strict';
import { linkBand, linkBandMeta, pathLinks, pathStops } from '../../../src/webview/render/pathStrips';

describe('the geometry of a phrase’s path', () => {
  it('links consecutive words, none from a word to itself, each link knowing its place', () => {
    const links = pathLinks([4, 2, 2, 7]);
    assert.deepEqual([...links.from], [4, 2]);
    assert.deepEqual([...links.to], [2, 7]);
    assert.deepEqual([...links.order], [0, 2], 'the link 2 -> 7 leaves from the third word');
  });

  it('marks each word once, at its first place in the path', () => {
    const stops = pathStops([4, 2, 4, 7]);
    assert.deepEqual([...stops.neurons], [4, 2, 7]);
    assert.deepEqual([...stops.order], [0, 1, 3]);
  });

  it('makes a band along each link: two vertices per point, normals across the link, triangles between', () => {
    // Neuron 0 at (0, 0), neuron 1 at (10, 0).
    const positions = new Float32Array([0, 0, 10, 0]);
    const { points, normals } = linkBand(positions, new Uint32Array([0]), new Uint32Array([1]), 2);
    assert.equal(points.length, 2 * 2 * 3);
    assert.deepEqual([...points.slice(0, 4)], [0, 0, 0, 0], 'both sides start at the first word');
    assert.deepEqual([...points.slice(8, 12)], [10, 0, 10, 0], 'and end at the next');
    // Halfway the curve runs along x (it bends to its left, up): the normal points up, unit length.
    assert.ok(Math.abs(normals[4]) < 1e-6 && Math.abs(normals[5] - 1) < 1e-6, `normal ${[...normals.slice(4, 6)]}`);
    const { meta, indices } = linkBandMeta(new Float32Array([3]), 2);
    assert.deepEqual([...meta.slice(0, 6)], [0, 3, -1, 0, 3, 1]);
    assert.deepEqual([...meta.slice(-3)], [1, 3, 1]);
    assert.deepEqual([...indices], [0, 1, 2, 1, 3, 2, 2, 3, 4, 3, 5, 4]);
  });

  it('gives a link of no length no direction instead of NaN', () => {
    const { normals } = linkBand(new Float32Array([1, 1, 1, 1]), new Uint32Array([0]), new Uint32Array([1]), 2);
    assert.ok(normals.every((n) => n === 0));
  });
});
