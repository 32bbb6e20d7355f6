// Rays: each connection drawn as light bending from a word to its likely successor (refraction),
// brighter for likelier transitions, with light travelling along it from its source. The curves'
// points come from rayCurves.ts (which says why they are not computed in the shader).
import { VIEW_GLSL, viewUniforms } from './glsl';
import { ADDITIVE, AttributeBuffers, type LayerFactory, type View } from './layer';
import { rayLight, rayPoints, rayStrips, segmentsFor } from './rayCurves';

const VERT = /* glsl */ `
precision highp float;
${VIEW_GLSL}
attribute vec2 pointA, pointB;   // this point of the (bent) ray in the old and the new layout
attribute vec2 meta;             // (t along the ray from its source, transition probability)
attribute vec2 light;            // (energy, igniteAt) of the ray's source neuron
varying float vT, vWeight, vAge, vEnergy;
void main() {
  gl_Position = project(mix(pointA, pointB, mixT));
  vT = meta.x;
  vWeight = meta.y;
  vAge = time - light.y;
  vEnergy = light.x;
}
`;

const FRAG = /* glsl */ `
precision highp float;
uniform float rayRest;
uniform float motion;
varying float vT, vWeight, vAge, vEnergy;
void main() {
  vec3 restColor = vec3(0.25, 0.45, 0.9) * rayRest * (0.25 + vWeight);
  vec3 lit = vec3(0.0);
  if (vAge > 0.0 && vEnergy > 0.0) {
    float fade = exp(-vAge / mix(8.0, 3.0, motion));
    // Light travels from the source along the ray: a bright front with a trail behind it.
    float front = vAge * 1.6;
    float along = motion > 0.5 ? (vT <= front ? exp(-(front - vT) * 1.5) : 0.0) : 1.0;
    lit = vec3(1.0, 0.85, 0.55) * vEnergy * (0.3 + 1.5 * vWeight) * along * fade;
  }
  gl_FragColor = vec4(restColor + lit, 1.0);
}
`;

export const createRayLayer: LayerFactory = (regl) => {
  // Per point of every ray: where it is at each end of the tween, (t, weight), and its source's light.
  const buffers = new AttributeBuffers(regl, { pointA: 2, pointB: 2, meta: 2, light: 2 });
  const elements = regl.elements({ primitive: 'lines', type: 'uint32', data: new Uint32Array(2) });
  let segments = segmentsFor(0);
  let indexCount = 0;
  let neurons = 0;
  const draw = regl({
    vert: VERT,
    frag: FRAG,
    elements,
    count: () => indexCount,
    attributes: buffers.attributes(),
    uniforms: { ...viewUniforms(regl), rayRest: regl.prop<View, 'rayRest'>('rayRest') },
    blend: ADDITIVE,
    depth: { enable: false },
  });

  return {
    name: 'rays',
    update(scene, changes) {
      const { from, to, weight } = scene.rays;
      if (changes.has('field')) {
        neurons = scene.neurons.tone.length;
        segments = segmentsFor(from.length);
        const { meta, indices } = rayStrips(weight, segments);
        buffers.upload('meta', meta);
        elements({ primitive: 'lines', type: 'uint32', data: indices.length ? indices : new Uint32Array(2) });
        indexCount = indices.length;
      }
      if (changes.has('positions')) {
        buffers.upload('pointA', rayPoints(scene.positions.from, from, to, segments));
        buffers.upload('pointB', rayPoints(scene.positions.to, from, to, segments));
      }
      if (changes.has('light')) buffers.upload('light', rayLight(scene.light.energy, scene.light.igniteAt, from, segments));
    },
    draw(view) {
      if (indexCount > 0 && neurons > 0) draw(view);
    },
    destroy() {
      buffers.destroy();
      elements.destroy();
    },
  };
};
