// The geometry of rays: each ray is a quadratic curve from its source to its target, bent to its left
// (refraction, and a -> b never hides b -> a), drawn as a few straight segments.
//
// The points are computed here, on the processor, once per layout, not in the vertex shader. A shader
// that bends the rays needs both ends of its ray at every vertex: as instanced attributes (one
// instance per ray), frames took 3 to 5 times longer on software WebGL (SwiftShader, where users
// without a GPU end up; bench:light, 2026-12-05: 400-520 ms instead of 85-160 ms at 20k rays, 4.4-4.9 s
// instead of 0.6-0.95 s at 200k); copied to every vertex, twice the bytes go up per layout change, for
// a gather that costs the processor about what the curve it replaces does.

/**
 * Segments per ray: four make the bend read as a curve; past 50k rays two keep the vertex work
 * (which dominates on software renderers) in check, where single rays are too small to tell anyway.
 */
export const segmentsFor = (rays: number): number => (rays > 50_000 ? 2 : 4);

/** How far a ray bends to its left, relative to its length. */
export const BEND = 0.18;

/** The (segments + 1) points of every ray, x and y interleaved, ray after ray. */
export function rayPoints(positions: Float32Array, from: Uint32Array, to: Uint32Array, segments: number): Float32Array {
  const rays = from.length;
  const points = segments + 1;
  const out = new Float32Array(2 * rays * points);
  for (let r = 0; r < rays; r++) {
    const ax = positions[2 * from[r]];
    const ay = positions[2 * from[r] + 1];
    const bx = positions[2 * to[r]];
    const by = positions[2 * to[r] + 1];
    const cx = (ax + bx) / 2 - (by - ay) * BEND;
    const cy = (ay + by) / 2 + (bx - ax) * BEND;
    for (let k = 0; k < points; k++) {
      const t = k / segments;
      const u = 1 - t;
      const v = 2 * (r * points + k);
      out[v] = u * u * ax + 2 * u * t * cx + t * t * bx;
      out[v + 1] = u * u * ay + 2 * u * t * cy + t * t * by;
    }
  }
  return out;
}

/** Per point: (t along its ray, the ray's weight); and the line-segment indices joining the points. */
export function rayStrips(weight: Float32Array, segments: number): { meta: Float32Array; indices: Uint32Array } {
  const rays = weight.length;
  const points = segments + 1;
  const meta = new Float32Array(2 * rays * points);
  const indices = new Uint32Array(2 * rays * segments);
  for (let r = 0; r < rays; r++) {
    for (let k = 0; k < points; k++) {
      const v = r * points + k;
      meta[2 * v] = k / segments;
      meta[2 * v + 1] = weight[r];
      if (k < segments) {
        indices[2 * (r * segments + k)] = v;
        indices[2 * (r * segments + k) + 1] = v + 1;
      }
    }
  }
  return { meta, indices };
}

/** Per point: (energy, igniteAt) of its ray's source neuron. */
export function rayLight(energy: Float32Array, igniteAt: Float32Array, from: Uint32Array, segments: number): Float32Array {
  const points = segments + 1;
  const light = new Float32Array(2 * from.length * points);
  for (let r = 0; r < from.length; r++) {
    const e = energy[from[r]];
    const at = igniteAt[from[r]];
    for (let k = 0; k < points; k++) {
      light[2 * (r * points + k)] = e;
      light[2 * (r * points + k) + 1] = at;
    }
  }
  return light;
}
