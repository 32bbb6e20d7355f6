// Layout of the light field: related words near each other, learned from the rays.
// Two steps, both O(neurons + rays) per pass so 100k neurons stay interactive:
//   seedPositions: keeps every known word where it was and puts each new word next to its placed
//     neighbours (or at a spot derived from its spelling), so the field never jumps when it grows;
//   relax: a few passes of a force layout in which rays pull words together and a density grid pushes
//     crowds apart; words that were already placed move less than new ones.

import { positionBounds } from './bounds';

export interface LayoutGraph {
  size: number;
  from: ArrayLike<number>;
  to: ArrayLike<number>;
  weight: ArrayLike<number>;
}

/** Average distance between neighbouring words in world units; the field spans about sqrt(n) of them. */
export const SPACING = 1;
/** How hard crowds push apart, against the pull of the rays. */
const PUSH = 6;

/** A deterministic pseudo-random number in [0, 1) from a string and a salt (FNV-1a). */
export function hashUnit(text: string, salt: number): number {
  let h = 0x811c9dc5 ^ salt;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return (h >>> 0) / 4294967296;
}

function fieldRadius(n: number): number {
  return Math.sqrt(Math.max(1, n)) * SPACING * 0.6;
}

/** Undirected adjacency in compressed rows, for "who are my neighbours" during seeding. */
function undirected(graph: LayoutGraph): { offsets: Uint32Array; targets: Uint32Array } {
  const offsets = new Uint32Array(graph.size + 1);
  const edges = graph.from.length;
  for (let i = 0; i < edges; i++) {
    offsets[graph.from[i] + 1]++;
    offsets[graph.to[i] + 1]++;
  }
  for (let i = 0; i < graph.size; i++) offsets[i + 1] += offsets[i];
  const fill = offsets.slice(0, graph.size);
  const targets = new Uint32Array(2 * edges);
  for (let i = 0; i < edges; i++) {
    targets[fill[graph.from[i]]++] = graph.to[i];
    targets[fill[graph.to[i]]++] = graph.from[i];
  }
  return { offsets, targets };
}

/**
 * Positions (x0, y0, x1, y1, ...) for `words`. `previous` maps a word to where it was; those words
 * stay put. New words are placed in order (most important first) beside their placed neighbours.
 */
export function seedPositions(
  words: readonly string[],
  graph: LayoutGraph,
  previous: ReadonlyMap<string, readonly [number, number]> = new Map(),
): Float32Array {
  const n = words.length;
  if (graph.size !== n) throw new RangeError('Layout graph and word list disagree on the neuron count');
  const positions = new Float32Array(2 * n);
  const placed = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const at = previous.get(words[i]);
    if (at && Number.isFinite(at[0]) && Number.isFinite(at[1])) {
      positions[2 * i] = at[0];
      positions[2 * i + 1] = at[1];
      placed[i] = 1;
    }
  }
  const { offsets, targets } = undirected(graph);
  const radius = fieldRadius(n);
  for (let i = 0; i < n; i++) {
    if (placed[i]) continue;
    let sx = 0;
    let sy = 0;
    let k = 0;
    for (let e = offsets[i]; e < offsets[i + 1]; e++) {
      const j = targets[e];
      if (!placed[j]) continue;
      sx += positions[2 * j];
      sy += positions[2 * j + 1];
      k++;
    }
    const angle = 2 * Math.PI * hashUnit(words[i], 1);
    if (k > 0) {
      const jitter = SPACING * (0.5 + hashUnit(words[i], 2));
      positions[2 * i] = sx / k + Math.cos(angle) * jitter;
      positions[2 * i + 1] = sy / k + Math.sin(angle) * jitter;
    } else {
      const r = radius * Math.sqrt(hashUnit(words[i], 3));
      positions[2 * i] = Math.cos(angle) * r;
      positions[2 * i + 1] = Math.sin(angle) * r;
    }
    placed[i] = 1;
  }
  return positions;
}

export interface RelaxOptions {
  iterations?: number;
  /** Per neuron 0..1: how freely it moves (new words 1, words placed before less). Default all 1. */
  mobility?: Float32Array;
  /** Most cells per side of the density grid that pushes crowds apart (default 256). */
  gridSize?: number;
}

/** Moves `positions` in place towards a layout where rays are short and words do not pile up. */
export function relax(positions: Float32Array, graph: LayoutGraph, options: RelaxOptions = {}): Float32Array {
  const n = graph.size;
  if (positions.length !== 2 * n) throw new RangeError('Expected two coordinates per neuron');
  if (n === 0) return positions;
  const iterations = options.iterations ?? 40;
  const mobility = options.mobility;
  const maxGrid = options.gridSize ?? 256;
  const force = new Float32Array(2 * n);
  const density = new Float32Array(maxGrid * maxGrid);
  const edges = graph.from.length;
  const radius = fieldRadius(n);

  for (let iter = 0; iter < iterations; iter++) {
    const cooling = 1 - iter / iterations;
    const maxStep = SPACING * (0.2 + 2 * cooling);
    force.fill(0);

    // Rays pull their ends together, stronger for likelier transitions, until about one spacing apart.
    for (let e = 0; e < edges; e++) {
      const a = graph.from[e];
      const b = graph.to[e];
      const dx = positions[2 * b] - positions[2 * a];
      const dy = positions[2 * b + 1] - positions[2 * a + 1];
      const dist = Math.hypot(dx, dy) + 1e-6;
      const pull = (0.08 + 0.4 * graph.weight[e]) * Math.max(0, dist - SPACING) / dist;
      force[2 * a] += dx * pull;
      force[2 * a + 1] += dy * pull;
      force[2 * b] -= dx * pull;
      force[2 * b + 1] -= dy * pull;
    }

    // Crowds push apart: words slide down the gradient of a coarse density grid.
    const { minX, minY, maxX, maxY } = positionBounds(positions, n);
    // Cells have a fixed size in world units, so a crowd pushes apart however small the field has
    // shrunk; the target is one word per SPACING squared.
    const span = Math.max(maxX - minX, maxY - minY, SPACING) * 1.001;
    const cell = Math.max(2 * SPACING, span / maxGrid);
    const grid = Math.min(maxGrid, Math.ceil(span / cell) + 1);
    density.fill(0);
    const cellOf = (v: number, min: number): number => Math.min(grid - 1, Math.max(0, Math.floor((v - min) / cell)));
    for (let i = 0; i < n; i++) density[cellOf(positions[2 * i + 1], minY) * grid + cellOf(positions[2 * i], minX)]++;
    const target = (cell * cell) / (SPACING * SPACING);
    const at = (cx: number, cy: number): number =>
      cx < 0 || cy < 0 || cx >= grid || cy >= grid ? 0 : density[cy * grid + cx];
    // Density between cell centres, interpolated so words in one cell feel different pushes.
    const sample = (x: number, y: number): number => {
      const gx = (x - minX) / cell - 0.5;
      const gy = (y - minY) / cell - 0.5;
      const x0 = Math.floor(gx);
      const y0 = Math.floor(gy);
      const fx = gx - x0;
      const fy = gy - y0;
      return (
        (at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx) * (1 - fy) + (at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx) * fy
      );
    };
    const push = (PUSH * cell) / target;
    for (let i = 0; i < n; i++) {
      const x = positions[2 * i];
      const y = positions[2 * i + 1];
      const h = cell * 0.5;
      force[2 * i] -= (sample(x + h, y) - sample(x - h, y)) * push;
      force[2 * i + 1] -= (sample(x, y + h) - sample(x, y - h)) * push;
      // A gentle pull to the centre keeps isolated words from drifting away.
      const r = Math.hypot(positions[2 * i], positions[2 * i + 1]);
      if (r > radius) {
        force[2 * i] -= (positions[2 * i] / r) * (r - radius) * 0.05;
        force[2 * i + 1] -= (positions[2 * i + 1] / r) * (r - radius) * 0.05;
      }
    }

    for (let i = 0; i < n; i++) {
      const m = mobility ? mobility[i] : 1;
      if (m <= 0) continue;
      let fx = force[2 * i];
      let fy = force[2 * i + 1];
      const len = Math.hypot(fx, fy);
      if (len > maxStep) {
        fx *= maxStep / len;
        fy *= maxStep / len;
      }
      positions[2 * i] += fx * m;
      positions[2 * i + 1] += fy * m;
    }
  }
  return positions;
}

/** Mean ray length over mean distance between random pairs: below 1 means related words sit closer. */
export function relatednessRatio(positions: Float32Array, graph: LayoutGraph): number {
  const n = graph.size;
  const edges = graph.from.length;
  if (n < 2 || edges === 0) return 1;
  let rayLength = 0;
  for (let e = 0; e < edges; e++) {
    const a = graph.from[e];
    const b = graph.to[e];
    rayLength += Math.hypot(positions[2 * a] - positions[2 * b], positions[2 * a + 1] - positions[2 * b + 1]);
  }
  let pairLength = 0;
  const samples = Math.min(5000, n * 4);
  for (let s = 0; s < samples; s++) {
    const a = Math.floor(hashUnit(`a${s}`, 7) * n);
    const b = Math.floor(hashUnit(`b${s}`, 8) * n);
    pairLength += Math.hypot(positions[2 * a] - positions[2 * b], positions[2 * a + 1] - positions[2 * b + 1]);
  }
  return rayLength / edges / (pairLength / samples);
}
