// GLSL shared by the layers. Everything is drawn with additive blending, so overlapping light adds up
// the way light does.
import type createREGL from 'regl';
import type { View } from './layer';

/** Camera and time uniforms, and the light a neuron receives, for every vertex shader that needs them. */
export const VIEW_GLSL = /* glsl */ `
uniform vec2 center;
uniform float zoom;      // pixels per world unit
uniform vec2 viewport;   // canvas size in pixels
uniform float mixT;      // 0..1 tween from the previous layout to the new one
uniform float time;      // seconds
uniform float motion;    // 1, or 0 when reduced motion is asked for
vec4 project(vec2 p) {
  return vec4((p - center) * zoom * 2.0 / viewport, 0.0, 1.0);
}
// Light that arrived at igniteAt and fades; with reduced motion it holds longer and does not flicker.
float received(float energy, float igniteAt) {
  float age = time - igniteAt;
  if (age < 0.0 || energy <= 0.0) return 0.0;
  return energy * exp(-age / mix(8.0, 3.0, motion));
}
`;

/** The uniforms VIEW_GLSL declares, taken from the view being drawn. */
export function viewUniforms(regl: createREGL.Regl) {
  return {
    center: regl.prop<View, 'center'>('center'),
    zoom: regl.prop<View, 'zoom'>('zoom'),
    viewport: regl.prop<View, 'viewport'>('viewport'),
    mixT: regl.prop<View, 'mixT'>('mixT'),
    time: regl.prop<View, 'time'>('time'),
    motion: regl.prop<View, 'motion'>('motion'),
  };
}

const SCREEN_VERT = /* glsl */ `
precision highp float;
attribute vec2 corner;
varying vec2 vUv;
void main() {
  vUv = corner;
  gl_Position = vec4(corner, 0.0, 1.0);
}
`;

/** A draw command that runs `frag` over the whole screen (vUv in -1..1), and how to free it. */
export function screenPass<Props extends object>(
  regl: createREGL.Regl,
  frag: string,
  uniforms: createREGL.DrawConfig<createREGL.Uniforms, createREGL.Attributes, Props>['uniforms'],
): { draw: createREGL.DrawCommand<createREGL.DefaultContext, Props>; destroy(): void } {
  const corners = regl.buffer([-1, -1, 1, -1, -1, 1, 1, 1]);
  const draw = regl<createREGL.Uniforms, createREGL.Attributes, Props>({
    vert: SCREEN_VERT,
    frag,
    primitive: 'triangle strip',
    count: 4,
    attributes: { corner: { buffer: corners, size: 2 } },
    uniforms,
    depth: { enable: false },
  });
  return { draw, destroy: () => corners.destroy() };
}
