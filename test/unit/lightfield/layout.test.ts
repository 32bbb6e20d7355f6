import assert from 'node:assert/strict';
import { relatednessRatio, relax, seedPositions } from '../../../src/lightfield/layout';
import { SpatialGrid } from '../../../src/lightfield/spatialGrid';

/** `groups` clusters of `size` words; each word has rays to two others of its cluster. */
function clusters(groups: number, size: number) {
  const n = groups * size;
  const from: number[] = [];
  const to: number[] = [];
  const weight: number[] = [];
  for (let g = 0; g < groups; g++) {
    for (let k = 0; k < size; k++) {
      for (const step of [1, 3]) {
        from.push(g * size + k);
        to.push(g * size + ((k + step) % size));
        weight.push(0.4);
      }
    }
  }
  // Interleave clusters in the word order, so seeding alone cannot make them look related.
  const words = Array.from({ length: n }, (_, i) => `w${i}`);
  return { words, graph: { size: n, from, to, weight } };
}

describe('layout', () => {
  it('puts related words nearer each other than random pairs', () => {
    const { words, graph } = clusters(20, 25);
    const positions = relax(seedPositions(words, graph), graph, { iterations: 60 });
    const ratio = relatednessRatio(positions, graph);
    assert.ok(ratio < 0.5, `rays should be much shorter than random pairs, ratio ${ratio.toFixed(2)}`);
  });

  it('does not pile words onto one point', () => {
    const { words, graph } = clusters(10, 50);
    const positions = relax(seedPositions(words, graph), graph, { iterations: 60 });
    const distinct = new Set<string>();
    for (let i = 0; i < words.length; i++) distinct.add(`${Math.round(positions[2 * i] * 2)},${Math.round(positions[2 * i + 1] * 2)}`);
    assert.ok(distinct.size > words.length * 0.5, `only ${distinct.size} distinct half-unit cells for ${words.length} words`);
  });

  it('is deterministic', () => {
    const { words, graph } = clusters(5, 10);
    assert.deepEqual(relax(seedPositions(words, graph), graph), relax(seedPositions(words, graph), graph));
  });

  it('keeps known words where they were and seeds new words beside their neighbours', () => {
    const { words, graph } = clusters(4, 10);
    const before = relax(seedPositions(words, graph), graph, { iterations: 40 });
    const previous = new Map(words.map((w, i) => [w, [before[2 * i], before[2 * i + 1]] as const]));
    // A new word with a ray to word 0.
    const grown = {
      size: words.length + 1,
      from: [...graph.from, words.length],
      to: [...graph.to, 0],
      weight: [...graph.weight, 0.9],
    };
    const seeded = seedPositions([...words, 'new'], grown, previous);
    for (let i = 0; i < words.length; i++) assert.equal(seeded[2 * i], before[2 * i]);
    const distance = Math.hypot(seeded[2 * words.length] - before[0], seeded[2 * words.length + 1] - before[1]);
    assert.ok(distance < 2, `new word seeded ${distance.toFixed(2)} away from its neighbour`);

    // Relaxing with known words nearly frozen moves them little.
    const mobility = new Float32Array(words.length + 1).fill(0.15);
    mobility[words.length] = 1;
    const after = relax(seeded.slice(), grown, { iterations: 20, mobility });
    let moved = 0;
    for (let i = 0; i < words.length; i++) moved += Math.hypot(after[2 * i] - before[2 * i], after[2 * i + 1] - before[2 * i + 1]);
    assert.ok(moved / words.length < 1, `known words moved ${(moved / words.length).toFixed(2)} on average`);
  });

  it('rejects a word list that disagrees with the graph', () => {
    assert.throws(() => seedPositions(['a'], { size: 2, from: [], to: [], weight: [] }), RangeError);
  });
});

describe('spatial grid', () => {
  const positions = Float32Array.of(0, 0, 10, 0, 10.5, 0.2, -5, 7);
  const grid = new SpatialGrid(positions);

  it('finds the nearest point within the radius', () => {
    assert.equal(grid.nearest(10.4, 0.1, 1), 2);
    assert.equal(grid.nearest(0.3, -0.2, 1), 0);
    assert.equal(grid.nearest(-5, 6.5, 1), 3);
  });

  it('answers -1 when nothing is in reach, and honours a filter', () => {
    assert.equal(grid.nearest(5, 5, 1), -1);
    assert.equal(grid.nearest(10.4, 0.1, 1, (i) => i !== 2), 1);
  });

  it('matches a brute-force search on random points', () => {
    const n = 2000;
    const random = Float32Array.from({ length: 2 * n }, (_, i) => Math.sin(i * 12.9898) * 100);
    const big = new SpatialGrid(random);
    for (let q = 0; q < 200; q++) {
      const x = Math.cos(q) * 90;
      const y = Math.sin(q * 1.7) * 90;
      let best = -1;
      let bestD = 3 * 3;
      for (let i = 0; i < n; i++) {
        const d = (random[2 * i] - x) ** 2 + (random[2 * i + 1] - y) ** 2;
        if (d <= bestD) { bestD = d; best = i; }
      }
      const found = big.nearest(x, y, 3);
      if (best === -1) assert.equal(found, -1);
      else assert.equal((random[2 * found] - x) ** 2 + (random[2 * found + 1] - y) ** 2, bestD);
    }
  });
});
