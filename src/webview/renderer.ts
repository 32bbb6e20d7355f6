// The regl renderer: GPU buffers for neurons, rays and collaborators, and one draw per layer.
// It knows nothing of words or messages: FieldView hands it arrays and a view to draw.
import createREGL from 'regl';
import { TONE_COLORS } from '../lightfield/tone';
import {
  BACKLIGHT_FRAG,
  BACKLIGHT_VERT,
  NEURON_FRAG,
  NEURON_VERT,
  PEER_FRAG,
  PEER_VERT,
  RAY_FRAG,
  RAY_VERT,
  TONEMAP_FRAG,
} from './shaders';

export class WebGLUnavailableError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'WebGLUnavailableError';
  }
}

/**
 * Software renderers (SwiftShader, llvmpipe) blend into float buffers about twice as slowly as into
 * bytes; there the field is drawn straight to the screen and bright crowds clip to white.
 */
function isSoftware(gl: WebGLRenderingContext): boolean {
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const name = info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : '';
  return /swiftshader|llvmpipe|softpipe|software/i.test(name);
}

export interface View {
  center: [number, number];
  zoom: number;
  viewport: [number, number];
  mixT: number;
  time: number;
  motion: number;
  rest: number;
  rayRest: number;
  backlight: { level: number; swell: number; team: number };
}

export type Layer = 'backlight' | 'rays' | 'neurons' | 'peers';
const ALL_LAYERS: ReadonlySet<Layer> = new Set<Layer>(['backlight', 'rays', 'neurons', 'peers']);

/**
 * Segments per ray: four make the bend read as a curve; past 50k rays two keep the vertex work
 * (which dominates on software renderers) in check, where single rays are too small to tell anyway.
 */
const segmentsFor = (rays: number): number => (rays > 50_000 ? 2 : 4);
/** Refraction: how far a ray bends to its left, relative to its length (a -> b and b -> a stay apart). */
const BEND = 0.18;

export class Renderer {
  private readonly regl: createREGL.Regl;
  private readonly buffers: Record<string, createREGL.Buffer> = {};
  private neurons = 0;
  private rays = 0;
  private peers = 0;
  private rayIndices = 0;
  private segments = 4;
  private readonly rayElements: createREGL.Elements;
  private rayFrom: Uint32Array<ArrayBufferLike> = new Uint32Array(0);
  private rayTo: Uint32Array<ArrayBufferLike> = new Uint32Array(0);
  private readonly drawNeurons: createREGL.DrawCommand;
  private readonly drawRays: createREGL.DrawCommand;
  private readonly drawPeers: createREGL.DrawCommand;
  private readonly drawBacklight: createREGL.DrawCommand;
  /** Light is added up in a floating-point buffer and tone-mapped, so crowds glow instead of clipping. */
  private readonly hdr: { target: createREGL.Framebuffer2D; into: createREGL.DrawCommand; toScreen: createREGL.DrawCommand } | undefined;

  /** @param toneMap 'auto' tone-maps on GPUs only (see isSoftware); 'on' and 'off' force it. */
  static create(canvas: HTMLCanvasElement, toneMap: 'auto' | 'on' | 'off' = 'auto'): Renderer {
    let gl: WebGLRenderingContext | null = null;
    try {
      gl = canvas.getContext('webgl', { antialias: false, alpha: false, depth: false, stencil: false, premultipliedAlpha: false });
    } catch (error) {
      throw new WebGLUnavailableError(String(error));
    }
    if (!gl) throw new WebGLUnavailableError('this window could not create a WebGL context');
    if (!gl.getExtension('OES_element_index_uint')) throw new WebGLUnavailableError('the WebGL extension OES_element_index_uint is missing');
    const optionalExtensions = ['OES_texture_half_float', 'EXT_color_buffer_half_float', 'OES_texture_float', 'WEBGL_color_buffer_float'];
    return new Renderer(createREGL({ gl, extensions: ['OES_element_index_uint'], optionalExtensions }), toneMap === 'auto' ? !isSoftware(gl) : toneMap === 'on');
  }

  private constructor(regl: createREGL.Regl, wantHdr: boolean) {
    this.regl = regl;
    const buffer = (name: string, data: Float32Array): createREGL.Buffer =>
      (this.buffers[name] = regl.buffer({ usage: 'dynamic', type: 'float', data }));
    for (const name of ['posA', 'posB', 'tone', 'size', 'recency', 'energy', 'igniteAt']) buffer(name, new Float32Array(2));
    for (const name of ['rayPointA', 'rayPointB', 'rayMeta', 'rayLight']) buffer(name, new Float32Array(2));
    this.rayElements = regl.elements({ primitive: 'lines', type: 'uint32', data: new Uint32Array(2) });
    buffer('peerPosition', new Float32Array(2));
    buffer('peerColor', new Float32Array(3));

    const additive = { enable: true, func: { src: 'one', dst: 'one' } } as const;
    const viewUniforms = {
      center: regl.prop<View, 'center'>('center'),
      zoom: regl.prop<View, 'zoom'>('zoom'),
      viewport: regl.prop<View, 'viewport'>('viewport'),
      mixT: regl.prop<View, 'mixT'>('mixT'),
      time: regl.prop<View, 'time'>('time'),
      motion: regl.prop<View, 'motion'>('motion'),
    };
    const b = this.buffers;
    const palette: Record<string, number[]> = {};
    TONE_COLORS.forEach((c, i) => (palette[`palette[${i}]`] = [...c]));

    this.drawNeurons = regl({
      vert: NEURON_VERT,
      frag: NEURON_FRAG,
      primitive: 'points',
      count: () => this.neurons,
      attributes: {
        posA: { buffer: b.posA, size: 2 },
        posB: { buffer: b.posB, size: 2 },
        tone: { buffer: b.tone, size: 1 },
        size: { buffer: b.size, size: 1 },
        recency: { buffer: b.recency, size: 1 },
        energy: { buffer: b.energy, size: 1 },
        igniteAt: { buffer: b.igniteAt, size: 1 },
      },
      uniforms: { ...viewUniforms, ...palette, rest: regl.prop<View, 'rest'>('rest') },
      blend: additive,
      depth: { enable: false },
    });

    this.drawRays = regl({
      vert: RAY_VERT,
      frag: RAY_FRAG,
      elements: this.rayElements,
      count: () => this.rayIndices,
      attributes: {
        pointA: { buffer: b.rayPointA, size: 2 },
        pointB: { buffer: b.rayPointB, size: 2 },
        meta: { buffer: b.rayMeta, size: 2 },
        light: { buffer: b.rayLight, size: 2 },
      },
      uniforms: { ...viewUniforms, rayRest: regl.prop<View, 'rayRest'>('rayRest') },
      blend: additive,
      depth: { enable: false },
    });

    this.drawPeers = regl({
      vert: PEER_VERT,
      frag: PEER_FRAG,
      primitive: 'points',
      count: () => this.peers,
      attributes: { position: { buffer: b.peerPosition, size: 2 }, color: { buffer: b.peerColor, size: 3 } },
      uniforms: viewUniforms,
      blend: additive,
      depth: { enable: false },
    });

    this.drawBacklight = regl({
      vert: BACKLIGHT_VERT,
      frag: BACKLIGHT_FRAG,
      primitive: 'triangle strip',
      count: 4,
      attributes: { corner: [-1, -1, 1, -1, -1, 1, 1, 1] },
      uniforms: {
        level: (_: unknown, p: View) => p.backlight.level,
        swell: (_: unknown, p: View) => p.backlight.swell,
        team: (_: unknown, p: View) => p.backlight.team,
        viewport: regl.prop<View, 'viewport'>('viewport'),
      },
      depth: { enable: false },
    });
    this.hdr = wantHdr ? this.makeHdr() : undefined;
  }

  /** A half- (or full-) float render target, where this WebGL can render into one. */
  private makeHdr(): Renderer['hdr'] {
    const regl = this.regl;
    for (const colorType of ['half float', 'float'] as const) {
      if (!regl.hasExtension(colorType === 'float' ? 'WEBGL_color_buffer_float' : 'EXT_color_buffer_half_float')) continue;
      try {
        const target = regl.framebuffer({ width: 4, height: 4, colorType, colorFormat: 'rgba', depthStencil: false });
        return {
          target,
          into: regl({ framebuffer: target }),
          toScreen: regl({
            vert: BACKLIGHT_VERT,
            frag: TONEMAP_FRAG,
            primitive: 'triangle strip',
            count: 4,
            attributes: { corner: [-1, -1, 1, -1, -1, 1, 1, 1] },
            uniforms: { light: target },
            depth: { enable: false },
          }),
        };
      } catch {
        // Not renderable here: try the next type, or draw straight to the screen.
      }
    }
    return undefined;
  }

  private upload(name: string, data: Float32Array): void {
    this.buffers[name]({ usage: 'dynamic', type: 'float', data });
  }

  /** Per-neuron data of a new field (positions separately, see setPositions). */
  setNeurons(tone: Float32Array, size: Float32Array, recency: Float32Array): void {
    this.neurons = tone.length;
    this.upload('tone', tone);
    this.upload('size', size);
    this.upload('recency', recency);
  }

  /** Rays from neuron `from[i]` to `to[i]`; call setPositions and setLight after. */
  setRays(from: Uint32Array, to: Uint32Array, weight: Float32Array): void {
    const rays = from.length;
    this.segments = segmentsFor(rays);
    const segments = this.segments;
    const points = segments + 1;
    const meta = new Float32Array(2 * rays * points);
    const indices = new Uint32Array(rays * segments * 2);
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
    this.rayFrom = from;
    this.rayTo = to;
    this.upload('rayMeta', meta);
    this.rayElements({ primitive: 'lines', type: 'uint32', data: indices.length ? indices : new Uint32Array(2) });
    this.rays = rays;
    this.rayIndices = indices.length;
  }

  /** Where neurons are: the view's mixT tweens from `posA` to `posB`; rays follow their ends. */
  setPositions(posA: Float32Array, posB: Float32Array): void {
    this.upload('posA', posA);
    this.upload('posB', posB);
    this.upload('rayPointA', this.rayPoints(posA));
    this.upload('rayPointB', this.rayPoints(posB));
  }

  /** The points of every bent ray (a quadratic curve) for one layout. */
  private rayPoints(positions: Float32Array): Float32Array {
    const points = this.segments + 1;
    const out = new Float32Array(2 * this.rays * points);
    for (let r = 0; r < this.rays; r++) {
      const ax = positions[2 * this.rayFrom[r]];
      const ay = positions[2 * this.rayFrom[r] + 1];
      const bx = positions[2 * this.rayTo[r]];
      const by = positions[2 * this.rayTo[r] + 1];
      const cx = (ax + bx) / 2 - (by - ay) * BEND;
      const cy = (ay + by) / 2 + (bx - ax) * BEND;
      for (let k = 0; k < points; k++) {
        const t = k / this.segments;
        const u = 1 - t;
        const v = 2 * (r * points + k);
        out[v] = u * u * ax + 2 * u * t * cx + t * t * bx;
        out[v + 1] = u * u * ay + 2 * u * t * cy + t * t * by;
      }
    }
    return out;
  }

  /** Light received per neuron: how much, and when it arrives (seconds on the view's clock). */
  setLight(energy: Float32Array, igniteAt: Float32Array): void {
    this.upload('energy', energy);
    this.upload('igniteAt', igniteAt);
    const points = this.segments + 1;
    const light = new Float32Array(2 * this.rays * points);
    for (let r = 0; r < this.rays; r++) {
      const e = energy[this.rayFrom[r]];
      const at = igniteAt[this.rayFrom[r]];
      for (let k = 0; k < points; k++) {
        light[2 * (r * points + k)] = e;
        light[2 * (r * points + k) + 1] = at;
      }
    }
    this.upload('rayLight', light);
  }

  setPeers(positions: Float32Array, colors: Float32Array): void {
    this.peers = positions.length / 2;
    this.upload('peerPosition', positions.length ? positions : new Float32Array(2));
    this.upload('peerColor', colors.length ? colors : new Float32Array(3));
  }

  /** Draws the layers named in `layers` (all by default; the bench times them one by one). */
  draw(view: View, layers: ReadonlySet<Layer> = ALL_LAYERS): void {
    this.regl.poll();
    const drawLayers = (): void => {
      this.regl.clear({ color: [0, 0, 0, 1] });
      if (layers.has('backlight')) this.drawBacklight(view);
      if (layers.has('rays') && this.rays > 0 && this.neurons > 0) this.drawRays(view);
      if (layers.has('neurons') && this.neurons > 0) this.drawNeurons(view);
      if (layers.has('peers') && this.peers > 0) this.drawPeers(view);
    };
    const hdr = this.hdr;
    if (!hdr) {
      drawLayers();
      return;
    }
    hdr.target.resize(view.viewport[0], view.viewport[1]);
    hdr.into(drawLayers);
    hdr.toScreen();
  }

  /** Whether light is added up in a float buffer and tone-mapped (GPUs) or drawn straight (software). */
  get toneMapped(): boolean {
    return this.hdr !== undefined;
  }

  /** RGBA of one pixel of what was just drawn (call right after draw, in the same task). */
  readPixel(x: number, y: number): [number, number, number, number] {
    const gl = this.regl._gl;
    const out = new Uint8Array(4);
    gl.readPixels(Math.round(x), Math.round(gl.drawingBufferHeight - 1 - y), 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, out);
    return [out[0], out[1], out[2], out[3]];
  }

  /** Blocks until the GPU has finished everything drawn so far (for timing). */
  finish(): void {
    const gl = this.regl._gl;
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
  }

  /** Gives the GPU context back (hidden panel, disposal). */
  destroy(): void {
    const gl = this.regl._gl;
    this.regl.destroy();
    gl.getExtension('WEBGL_lose_context')?.loseContext();
  }
}
