// The geometry of a searched phrase's path: one link per pair of consecutive words (bent like the
// rays, by rayCurves.ts), drawn as a band a few pixels wide, since WebGL lines are one pixel thin on
// most platforms and a path has to read at a glance. A path has at most a few dozen links, so the
// band's points and their normals are computed here per layout, and widened in pixels by the shader.
import { rayPoints } from './rayCurves';

/** Segments per link: enough for the bend to read as a curve. */
export const PATH_SEGMENTS = 8;

/** The links of a path: consecutive steps (a word followed by itself has none), and each link's place in the path. */
export function pathLinks(steps: ArrayLike<number>): { from: Uint32Array; to: Uint32Array; order: Float32Array } {
  const from: number[] = [];
  const to: number[] = [];
  const order: number[] = [];
  for (let k = 0; k + 1 < steps.length; k++) {
    if (steps[k] === steps[k + 1]) continue;
    from.push(steps[k]);
    to.push(steps[k + 1]);
    order.push(k);
  }
  return { from: Uint32Array.from(from), to: Uint32Array.from(to), order: Float32Array.from(order) };
}

/**
 * Two vertices (left and right of the curve) per point of every link: the point, and the unit normal
 * of the curve there (zero where a link has no length), each interleaved x, y.
 */
export function linkBand(positions: Float32Array, from: Uint32Array, to: Uint32Array, segments = PATH_SEGMENTS): { points: Float32Array; normals: Float32Array } {
  const curve = rayPoints(positions, from, to, segments);
  const perLink = segments + 1;
  const points = new Float32Array(4 * from.length * perLink);
  const normals = new Float32Array(4 * from.length * perLink);
  for (let l = 0; l < from.length; l++) {
    for (let j = 0; j < perLink; j++) {
      const at = (k: number) => 2 * (l * perLink + Math.min(perLink - 1, Math.max(0, k)));
      const p = at(j);
      const tx = curve[at(j + 1)] - curve[at(j - 1)];
      const ty = curve[at(j + 1) + 1] - curve[at(j - 1) + 1];
      const length = Math.hypot(tx, ty);
      const nx = length > 0 ? -ty / length : 0;
      const ny = length > 0 ? tx / length : 0;
      for (let side = 0; side < 2; side++) {
        const v = 2 * (2 * (l * perLink + j) + side);
        points[v] = curve[p];
        points[v + 1] = curve[p + 1];
        normals[v] = nx;
        normals[v + 1] = ny;
      }
    }
  }
  return { points, normals };
}

/** Per vertex: (t along its link, the link's place in the path, side -1 or 1); and the band's triangles. */
export function linkBandMeta(order: Float32Array, segments = PATH_SEGMENTS): { meta: Float32Array; indices: Uint32Array } {
  const perLink = segments + 1;
  const meta = new Float32Array(3 * 2 * order.length * perLink);
  const indices = new Uint32Array(6 * order.length * segments);
  let n = 0;
  for (let l = 0; l < order.length; l++) {
    for (let j = 0; j < perLink; j++) {
      for (let side = 0; side < 2; side++) {
        const v = 2 * (l * perLink + j) + side;
        meta.set([j / segments, order[l], side ? 1 : -1], 3 * v);
      }
      if (j === segments) continue;
      const a = 2 * (l * perLink + j);
      const b = a + 2;
      indices.set([a, a + 1, b, a + 1, b + 1, b], n);
      n += 6;
    }
  }
  return { meta, indices };
}

/** Each distinct word of a path once, at its first place in the path: its neuron and that place. */
export function pathStops(steps: ArrayLike<number>): { neurons: Uint32Array; order: Float32Array } {
  const first = new Map<number, number>();
  for (let k = 0; k < steps.length; k++) if (!first.has(steps[k])) first.set(steps[k], k);
  return { neurons: Uint32Array.from(first.keys()), order: Float32Array.from(first.values()) };
}

/** The positions (x, y) of some neurons, picked from a positions array. */
export function positionsOf(positions: Float32Array, neurons: Uint32Array): Float32Array {
  const out = new Float32Array(2 * neurons.length);
  neurons.forEach((i, k) => {
    out[2 * k] = positions[2 * i];
    out[2 * k + 1] = positions[2 * i + 1];
  });
  return out;
}
