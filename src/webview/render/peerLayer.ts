// Collaborators: a coloured ring on the word each one is typing.
import { VIEW_GLSL, viewUniforms } from './glsl';
import { ADDITIVE, AttributeBuffers, type LayerFactory } from './layer';

const VERT = /* glsl */ `
precision highp float;
${VIEW_GLSL}
attribute vec2 position;
attribute vec3 color;
varying vec3 vColor;
void main() {
  gl_Position = project(position);
  gl_PointSize = 56.0;
  vColor = color;
}
`;

const FRAG = /* glsl */ `
precision highp float;
uniform float time;
uniform float motion;
varying vec3 vColor;
void main() {
  float d = length(gl_PointCoord - 0.5) * 2.0;
  if (d > 1.0) discard;
  float ringAt = 0.6 + 0.15 * motion * sin(time * 3.0);
  float ring = exp(-pow((d - ringAt) * 9.0, 2.0));
  float core = exp(-d * d * 12.0) * 0.7;
  gl_FragColor = vec4(vColor * (ring + core), 1.0);
}
`;

export const createPeerLayer: LayerFactory = (regl) => {
  const buffers = new AttributeBuffers(regl, { position: 2, color: 3 });
  let peers = 0;
  const draw = regl({
    vert: VERT,
    frag: FRAG,
    primitive: 'points',
    count: () => peers,
    attributes: buffers.attributes(),
    uniforms: viewUniforms(regl),
    blend: ADDITIVE,
    depth: { enable: false },
  });
  return {
    name: 'peers',
    update(scene, changes) {
      if (!changes.has('peers')) return;
      peers = scene.peers.positions.length / 2;
      buffers.upload('position', scene.peers.positions);
      buffers.upload('color', scene.peers.colors);
    },
    draw(view) {
      if (peers > 0) draw(view);
    },
    destroy() {
      buffers.destroy();
    },
  };
};
