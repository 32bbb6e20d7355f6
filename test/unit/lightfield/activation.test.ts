import assert from 'node:assert/strict';
import { buildGraph, spreadActivation, UNREACHED } from '../../../src/lightfield/activation';

describe('spreading activation', () => {
  // 0 -> 1 (0.8), 0 -> 2 (0.2), 1 -> 3 (1.0); 4 is unconnected.
  const graph = buildGraph(5, [0, 0, 1], [1, 2, 3], [0.8, 0.2, 1.0]);

  it('lights the seed and carries light along connections, fading each hop', () => {
    const { energy, hop, lit } = spreadActivation(graph, [{ index: 0, energy: 1, hop: 0 }], { steps: 2, decay: 0.5 });
    assert.equal(energy[0], 1);
    assert.ok(Math.abs(energy[1] - 0.4) < 1e-6, `expected 0.5 * 0.8, got ${energy[1]}`);
    assert.ok(Math.abs(energy[2] - 0.1) < 1e-6);
    assert.ok(Math.abs(energy[3] - 0.2) < 1e-6, 'two hops: 0.5 * 0.8 * 0.5 * 1.0');
    assert.equal(energy[4], 0);
    assert.deepEqual([hop[0], hop[1], hop[2], hop[3], hop[4]], [0, 1, 1, 2, UNREACHED]);
    assert.deepEqual(lit, [0, 1, 2, 3]);
  });

  it('ranks successors by transition probability', () => {
    const { energy } = spreadActivation(graph, [{ index: 0, energy: 1, hop: 0 }]);
    assert.ok(energy[1] > energy[2]);
  });

  it('stops after the given number of steps and drops light under the threshold', () => {
    assert.equal(spreadActivation(graph, [{ index: 0, energy: 1, hop: 0 }], { steps: 1 }).energy[3], 0);
    assert.equal(spreadActivation(graph, [{ index: 0, energy: 1, hop: 0 }], { steps: 3, threshold: 0.15 }).energy[2], 0);
  });

  it('injects seeds at their hop (a prediction arrives one hop after the typed word)', () => {
    const { energy, hop } = spreadActivation(graph, [
      { index: 4, energy: 1, hop: 0 },
      { index: 2, energy: 0.7, hop: 1 },
    ]);
    assert.equal(hop[2], 1);
    assert.ok(Math.abs(energy[2] - 0.7) < 1e-6);
  });

  it('rejects edges and seeds outside the graph', () => {
    assert.throws(() => buildGraph(2, [0], [2], [1]), RangeError);
    assert.throws(() => spreadActivation(graph, [{ index: 9, energy: 1, hop: 0 }]), RangeError);
  });
});
