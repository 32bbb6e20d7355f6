// High dynamic range: light is added up in a floating-point buffer and tone-mapped onto the screen,
// so crowds and flares saturate softly instead of clipping to white.
import type createREGL from 'regl';
import { screenPass } from './glsl';

const TONEMAP_FRAG = /* glsl */ `
precision highp float;
uniform sampler2D light;
varying vec2 vUv;
void main() {
  vec3 c = texture2D(light, vUv * 0.5 + 0.5).rgb;
  gl_FragColor = vec4(vec3(1.0) - exp(-1.4 * c), 1.0);
}
`;

export interface ToneMapping {
  /** Runs `drawLight` into the float buffer (sized to `viewport`), then maps it onto the screen. */
  draw(viewport: readonly [number, number], drawLight: () => void): void;
  destroy(): void;
}

/** A half- (or full-) float render target, where this WebGL can render into one; undefined elsewhere. */
export function createToneMapping(regl: createREGL.Regl): ToneMapping | undefined {
  for (const colorType of ['half float', 'float'] as const) {
    if (!regl.hasExtension(colorType === 'float' ? 'WEBGL_color_buffer_float' : 'EXT_color_buffer_half_float')) continue;
    let target: createREGL.Framebuffer2D | undefined;
    try {
      target = regl.framebuffer({ width: 4, height: 4, colorType, colorFormat: 'rgba', depthStencil: false });
      const into = regl({ framebuffer: target });
      // regl samples a framebuffer given as a texture through its colour attachment (its types say texture).
      const toScreen = screenPass(regl, TONEMAP_FRAG, { light: target as unknown as createREGL.Texture2D });
      const framebuffer = target;
      return {
        draw(viewport, drawLight) {
          framebuffer.resize(viewport[0], viewport[1]);
          into(drawLight);
          toScreen.draw();
        },
        destroy() {
          toScreen.destroy();
          framebuffer.destroy();
        },
      };
    } catch {
      // Not renderable here: try the next type, or draw straight to the screen.
      target?.destroy();
    }
  }
  return undefined;
}
