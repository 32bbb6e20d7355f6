// Neurons: one additive point sprite per word, coloured by tone, pulsing with recency, flaring with
// the light it receives.
import { TONE_COLORS } from '../../lightfield/tone';
import { VIEW_GLSL, viewUniforms } from './glsl';
import { ADDITIVE, AttributeBuffers, type LayerFactory, type View } from './layer';

const VERT = /* glsl */ `
precision highp float;
${VIEW_GLSL}
uniform vec3 palette[${TONE_COLORS.length}];
uniform float rest;       // resting brightness, lowered when many neurons share a pixel
attribute vec2 posA, posB;
attribute float tone, size, recency, energy, igniteAt;
varying vec3 vColor;
varying float vCore;
void main() {
  vec2 p = mix(posA, posB, mixT);
  gl_Position = project(p);
  float lit = received(energy, igniteAt);
  // Frequency = recency: recently used words pulse faster (and a little brighter).
  float phase = fract(sin(dot(posB, vec2(12.9898, 78.233))) * 43758.5453) * 6.2832;
  float pulse = 1.0 + motion * 0.45 * recency * sin(time * (0.8 + 5.0 * recency) + phase);
  float glow = rest * (0.55 + 0.6 * recency) * pulse + 1.6 * lit;
  // Lit neurons flare to a readable size at any zoom.
  gl_PointSize = clamp(max(size * zoom, 2.5) + 44.0 * min(lit, 1.2), 2.5, 96.0);
  vColor = palette[int(tone)] * glow;
  vCore = clamp(lit, 0.0, 1.0);
}
`;

const FRAG = /* glsl */ `
precision highp float;
varying vec3 vColor;
varying float vCore;
void main() {
  float d = length(gl_PointCoord - 0.5) * 2.0;
  if (d > 1.0) discard;
  float halo = exp(-d * d * 4.0);
  float core = exp(-d * d * 30.0) * (0.6 + vCore);
  gl_FragColor = vec4(vColor * halo + vec3(core) * length(vColor) * 0.5, 1.0);
}
`;

export const createNeuronLayer: LayerFactory = (regl) => {
  // Per neuron: a position at each end of the tween, the rest one float each.
  const buffers = new AttributeBuffers(regl, { posA: 2, posB: 2, tone: 1, size: 1, recency: 1, energy: 1, igniteAt: 1 });
  let neurons = 0;
  const palette: Record<string, number[]> = {};
  TONE_COLORS.forEach((c, i) => (palette[`palette[${i}]`] = [...c]));
  const draw = regl({
    vert: VERT,
    frag: FRAG,
    primitive: 'points',
    count: () => neurons,
    attributes: buffers.attributes(),
    uniforms: { ...viewUniforms(regl), ...palette, rest: regl.prop<View, 'rest'>('rest') },
    blend: ADDITIVE,
    depth: { enable: false },
  });

  return {
    name: 'neurons',
    update(scene, changes) {
      if (changes.has('field')) {
        neurons = scene.neurons.tone.length;
        buffers.upload('tone', scene.neurons.tone);
        buffers.upload('size', scene.neurons.size);
        buffers.upload('recency', scene.neurons.recency);
      }
      if (changes.has('positions')) {
        buffers.upload('posA', scene.positions.from);
        buffers.upload('posB', scene.positions.to);
      }
      if (changes.has('light')) {
        buffers.upload('energy', scene.light.energy);
        buffers.upload('igniteAt', scene.light.igniteAt);
      }
    },
    draw(view) {
      if (neurons > 0) draw(view);
    },
    destroy() {
      buffers.destroy();
    },
  };
};
