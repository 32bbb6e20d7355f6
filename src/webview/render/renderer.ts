// The regl renderer: one WebGL context and the layers drawn on it, back to front. It knows nothing of
// words or messages: it draws a Scene in a View, and reads back what it drew.
import createREGL from 'regl';
import { createBacklightLayer } from './backlightLayer';
import { ALL_CHANGES, type LayerFactory, type LayerName, type RenderLayer, type Scene, type SceneChange, type View } from './layer';
import { createNeuronLayer } from './neuronLayer';
import { createPathLayer } from './pathLayer';
import { createPeerLayer } from './peerLayer';
import { createRayLayer } from './rayLayer';
import { createToneMapping, type ToneMapping } from './toneMapping';

export class WebGLUnavailableError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'WebGLUnavailableError';
  }
}

/** The layers, back to front. */
const LAYERS: readonly LayerFactory[] = [createBacklightLayer, createRayLayer, createPathLayer, createNeuronLayer, createPeerLayer];
const REQUIRED_EXTENSIONS = ['OES_element_index_uint'];
const OPTIONAL_EXTENSIONS = ['OES_texture_half_float', 'EXT_color_buffer_half_float', 'OES_texture_float', 'WEBGL_color_buffer_float'];

/**
 * Software renderers (SwiftShader, llvmpipe) blend into float buffers about twice as slowly as into
 * bytes; there the field is drawn straight to the screen and bright crowds clip to white.
 */
function isSoftware(gl: WebGLRenderingContext): boolean {
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const name = info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : '';
  return /swiftshader|llvmpipe|softpipe|software/i.test(name);
}

/** A rectangle of drawing-buffer pixels, from the top left. */
export interface PixelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export class Renderer {
  /** @param toneMap 'auto' tone-maps on GPUs only (see isSoftware); 'on' and 'off' force it. */
  static create(canvas: HTMLCanvasElement, toneMap: 'auto' | 'on' | 'off' = 'auto'): Renderer {
    let gl: WebGLRenderingContext | null = null;
    try {
      gl = canvas.getContext('webgl', { antialias: false, alpha: false, depth: false, stencil: false, premultipliedAlpha: false });
    } catch (error) {
      throw new WebGLUnavailableError(String(error));
    }
    if (!gl) throw new WebGLUnavailableError('this window could not create a WebGL context');
    for (const name of REQUIRED_EXTENSIONS) {
      if (!gl.getExtension(name)) throw new WebGLUnavailableError(`the WebGL extension ${name} is missing`);
    }
    const regl = createREGL({ gl, extensions: REQUIRED_EXTENSIONS, optionalExtensions: OPTIONAL_EXTENSIONS });
    const wantToneMapping = toneMap === 'auto' ? !isSoftware(gl) : toneMap === 'on';
    return new Renderer(regl, wantToneMapping ? createToneMapping(regl) : undefined);
  }

  private readonly layers: readonly RenderLayer[];

  private constructor(
    private readonly regl: createREGL.Regl,
    private readonly toneMapping: ToneMapping | undefined,
  ) {
    this.layers = LAYERS.map((create) => create(regl));
  }

  /** Whether light is added up in a float buffer and tone-mapped (GPUs) or drawn straight (software). */
  get toneMapped(): boolean {
    return this.toneMapping !== undefined;
  }

  /** Hands the layers the parts of the scene that changed (all of them by default). */
  update(scene: Scene, changes: ReadonlySet<SceneChange> = ALL_CHANGES): void {
    for (const layer of this.layers) layer.update(scene, changes);
  }

  /** Draws the layers named in `only` (all by default; the bench times them one by one). */
  draw(view: View, only?: ReadonlySet<LayerName>): void {
    this.regl.poll();
    const drawLayers = (): void => {
      this.regl.clear({ color: [0, 0, 0, 1] });
      for (const layer of this.layers) if (!only || only.has(layer.name)) layer.draw(view);
    };
    if (this.toneMapping) this.toneMapping.draw(view.viewport, drawLayers);
    else drawLayers();
  }

  /**
   * RGBA bytes of a rectangle of what was just drawn (call right after draw, in the same task),
   * rows bottom first; the part of `rect` outside the drawing buffer is left out. Default: all of it.
   */
  readPixels(rect?: PixelRect): Uint8Array {
    const gl = this.regl._gl;
    const { drawingBufferWidth: width, drawingBufferHeight: height } = gl;
    rect ??= { x: 0, y: 0, width, height };
    const left = Math.max(0, Math.round(rect.x));
    const top = Math.max(0, Math.round(rect.y));
    const right = Math.min(width, Math.round(rect.x) + Math.round(rect.width));
    const bottom = Math.min(height, Math.round(rect.y) + Math.round(rect.height));
    if (right <= left || bottom <= top) return new Uint8Array(0);
    // Straight from the context: regl.read insists on preserveDrawingBuffer, which costs every frame.
    const pixels = new Uint8Array(4 * (right - left) * (bottom - top));
    gl.readPixels(left, height - bottom, right - left, bottom - top, gl.RGBA, gl.UNSIGNED_BYTE, pixels);
    return pixels;
  }

  /** Blocks until the GPU has finished everything drawn so far (for timing). */
  finish(): void {
    this.readPixels({ x: 0, y: 0, width: 1, height: 1 });
  }

  /** Frees every layer and gives the GPU context back (hidden panel, disposal). */
  destroy(): void {
    const gl = this.regl._gl;
    for (const layer of this.layers) layer.destroy();
    this.toneMapping?.destroy();
    this.regl.destroy();
    gl.getExtension('WEBGL_lose_context')?.loseContext();
  }
}
