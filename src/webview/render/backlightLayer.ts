// Backlighting = the global state: memory size sets the glow, growth makes it swell, the team tints it.
import { screenPass } from './glsl';
import type { LayerFactory, View } from './layer';

const FRAG = /* glsl */ `
precision highp float;
uniform float level;   // 0..1 from the memory size
uniform float swell;   // 0..1 right after training or team growth
uniform float team;    // 0..1 team presence
uniform vec2 viewport;
varying vec2 vUv;
void main() {
  vec2 p = vUv * vec2(viewport.x / viewport.y, 1.0);
  float r = length(p);
  vec3 base = mix(vec3(0.05, 0.09, 0.22), vec3(0.16, 0.07, 0.24), team);
  float glow = (0.25 + 0.75 * level + 0.8 * swell) * exp(-r * r * 0.9);
  gl_FragColor = vec4(base * glow, 1.0);
}
`;

export const createBacklightLayer: LayerFactory = (regl) => {
  const pass = screenPass<View>(regl, FRAG, {
    level: (_: unknown, view: View) => view.backlight.level,
    swell: (_: unknown, view: View) => view.backlight.swell,
    team: (_: unknown, view: View) => view.backlight.team,
    viewport: regl.prop<View, 'viewport'>('viewport'),
  });
  return {
    name: 'backlight',
    update() {
      // Drawn from the view alone.
    },
    draw(view) {
      pass.draw(view);
    },
    destroy() {
      pass.destroy();
    },
  };
};
