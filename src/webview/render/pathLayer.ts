// A searched phrase's path: a golden ring on each of its words and a band of light along each link
// from one word to the next, lit in the phrase's order as the light reaches each word (see
// Ignition.ignitePath), with a bright front travelling along the link. Unlike an ignition's light it
// does not fade: the path stays marked until the search ends. Geometry in pathStrips.ts.
import { VIEW_GLSL, viewUniforms } from './glsl';
import { ADDITIVE, AttributeBuffers, type LayerFactory, type Scene } from './layer';
import { linkBand, linkBandMeta, pathLinks, pathStops, positionsOf } from './pathStrips';

/** Half the band's width and the rings' size, in drawing-buffer pixels (a ring clears a lit neuron's flare). */
const BAND_HALF_WIDTH = 2.5;
const RING_SIZE = 48;

const PATH_GLSL = /* glsl */ `
uniform float litAt;   // when the path was lit (seconds)
uniform float hop;     // seconds from one word's light to the next's (0: all at once)
// Seconds since the light reached the word at this place of the path (negative: not yet).
float sinceReached(float place) {
  return time - (litAt + place * hop);
}
`;

const LINK_VERT = /* glsl */ `
precision highp float;
${VIEW_GLSL}
${PATH_GLSL}
attribute vec2 pointA, pointB, normalA, normalB;
attribute vec3 meta;   // (t along the link, the link's place in the path, side -1 or 1)
varying float vT, vAge, vSide;
void main() {
  vec4 clip = project(mix(pointA, pointB, mixT));
  clip.xy += mix(normalA, normalB, mixT) * meta.z * ${BAND_HALF_WIDTH.toFixed(1)} * 2.0 / viewport;
  gl_Position = clip;
  vT = meta.x;
  vAge = sinceReached(meta.y);
  vSide = meta.z;
}
`;

const LINK_FRAG = /* glsl */ `
precision highp float;
uniform float hop;
uniform float motion;
varying float vT, vAge, vSide;
void main() {
  if (vAge < 0.0) discard;
  // The light leaves the word and reaches the next one hop later; without motion it is there at once.
  float front = hop > 0.0 && motion > 0.5 ? vAge / hop : 2.0;
  if (vT > front) discard;
  float head = exp(-abs(front - vT) * 6.0) * exp(-vAge * 0.7);
  float core = 1.0 - abs(vSide);
  gl_FragColor = vec4(vec3(1.0, 0.78, 0.35) * (0.45 + 1.4 * head) * (0.35 + 0.65 * core), 1.0);
}
`;

const STOP_VERT = /* glsl */ `
precision highp float;
${VIEW_GLSL}
${PATH_GLSL}
attribute vec2 posA, posB;
attribute float place;
varying float vAge;
void main() {
  gl_Position = project(mix(posA, posB, mixT));
  vAge = sinceReached(place);
  gl_PointSize = vAge < 0.0 ? 0.0 : ${RING_SIZE.toFixed(1)};
}
`;

const STOP_FRAG = /* glsl */ `
precision highp float;
varying float vAge;
void main() {
  if (vAge < 0.0) discard;
  float d = length(gl_PointCoord - 0.5) * 2.0;
  if (d > 1.0) discard;
  float ring = exp(-pow((d - 0.72) * 10.0, 2.0));
  float flash = exp(-vAge * 1.5);
  gl_FragColor = vec4(vec3(1.0, 0.78, 0.35) * ring * (0.8 + 1.2 * flash), 1.0);
}
`;

export const createPathLayer: LayerFactory = (regl) => {
  const links = new AttributeBuffers(regl, { pointA: 2, pointB: 2, normalA: 2, normalB: 2, meta: 3 });
  const stops = new AttributeBuffers(regl, { posA: 2, posB: 2, place: 1 });
  const elements = regl.elements({ primitive: 'triangles', type: 'uint32', data: new Uint32Array(3) });
  let indexCount = 0;
  let stopCount = 0;
  let path: Scene['path'] = { steps: new Uint32Array(0), litAt: 0, hop: 0 };
  const uniforms = {
    ...viewUniforms(regl),
    litAt: () => path.litAt,
    hop: () => path.hop,
  };
  const drawLinks = regl({ vert: LINK_VERT, frag: LINK_FRAG, elements, count: () => indexCount, attributes: links.attributes(), uniforms, blend: ADDITIVE, depth: { enable: false } });
  const drawStops = regl({ vert: STOP_VERT, frag: STOP_FRAG, primitive: 'points', count: () => stopCount, attributes: stops.attributes(), uniforms, blend: ADDITIVE, depth: { enable: false } });

  return {
    name: 'path',
    update(scene, changes) {
      if (!changes.has('path') && !changes.has('positions')) return;
      path = { steps: scene.path.steps, litAt: scene.path.litAt, hop: scene.path.hop };
      const { from, to, order } = pathLinks(path.steps);
      const { meta, indices } = linkBandMeta(order);
      const before = linkBand(scene.positions.from, from, to);
      const after = linkBand(scene.positions.to, from, to);
      links.upload('pointA', before.points);
      links.upload('pointB', after.points);
      links.upload('normalA', before.normals);
      links.upload('normalB', after.normals);
      links.upload('meta', meta);
      elements({ primitive: 'triangles', type: 'uint32', data: indices.length ? indices : new Uint32Array(3) });
      indexCount = indices.length;
      const { neurons, order: places } = pathStops(path.steps);
      stops.upload('posA', positionsOf(scene.positions.from, neurons));
      stops.upload('posB', positionsOf(scene.positions.to, neurons));
      stops.upload('place', places);
      stopCount = neurons.length;
    },
    draw(view) {
      if (indexCount > 0) drawLinks(view);
      if (stopCount > 0) drawStops(view);
    },
    destroy() {
      links.destroy();
      stops.destroy();
      elements.destroy();
    },
  };
};
