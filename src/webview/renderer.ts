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
} from './shaders';

export class WebGLUnavailableError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'WebGLUnavailableError';
  }
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

/** Segments per ray: enough for the bend to read as a curve. */
const RAY_SEGMENTS = 8;

export class Renderer {
  private readonly regl: createREGL.Regl;
  private readonly buffers: Record<string, createREGL.Buffer> = {};
  private neurons = 0;
  private rays = 0;
  private peers = 0;
  private readonly drawNeurons: createREGL.DrawCommand;
  private readonly drawRays: createREGL.DrawCommand;
  private readonly drawPeers: createREGL.DrawCommand;
  private readonly drawBacklight: createREGL.DrawCommand;

  static create(canvas: HTMLCanvasElement): Renderer {
    let gl: WebGLRenderingContext | null = null;
    try {
      gl = canvas.getContext('webgl', { antialias: false, alpha: false, depth: false, stencil: false, premultipliedAlpha: false });
    } catch (error) {
      throw new WebGLUnavailableError(String(error));
    }
    if (!gl) throw new WebGLUnavailableError('this window could not create a WebGL context');
    if (!gl.getExtension('ANGLE_instanced_arrays')) throw new WebGLUnavailableError('WebGL instancing is not supported');
    return new Renderer(createREGL({ gl, extensions: ['ANGLE_instanced_arrays'] }));
  }

  private constructor(regl: createREGL.Regl) {
    this.regl = regl;
    const buffer = (name: string, data: Float32Array): createREGL.Buffer =>
      (this.buffers[name] = regl.buffer({ usage: 'dynamic', type: 'float', data }));
    for (const name of ['posA', 'posB', 'tone', 'size', 'recency', 'energy', 'igniteAt']) buffer(name, new Float32Array(2));
    for (const name of ['fromA', 'toA', 'fromB', 'toB', 'weight', 'light']) buffer(name, new Float32Array(2));
    buffer('peerPosition', new Float32Array(2));
    buffer('peerColor', new Float32Array(3));

    // Each ray instance is drawn as line segments over t in [0, 1].
    const template = new Float32Array(RAY_SEGMENTS * 2);
    for (let s = 0; s < RAY_SEGMENTS; s++) {
      template[2 * s] = s / RAY_SEGMENTS;
      template[2 * s + 1] = (s + 1) / RAY_SEGMENTS;
    }
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
      primitive: 'lines',
      count: template.length,
      instances: () => this.rays,
      attributes: {
        t: { buffer: regl.buffer(template), size: 1 },
        fromA: { buffer: b.fromA, size: 2, divisor: 1 },
        toA: { buffer: b.toA, size: 2, divisor: 1 },
        fromB: { buffer: b.fromB, size: 2, divisor: 1 },
        toB: { buffer: b.toB, size: 2, divisor: 1 },
        weight: { buffer: b.weight, size: 1, divisor: 1 },
        light: { buffer: b.light, size: 2, divisor: 1 },
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

  /** Where neurons (a, b) and ray ends (fromA, toA, fromB, toB) are; the view's mixT tweens a -> b. */
  setPositions(posA: Float32Array, posB: Float32Array, rays: { fromA: Float32Array; toA: Float32Array; fromB: Float32Array; toB: Float32Array }): void {
    this.upload('posA', posA);
    this.upload('posB', posB);
    this.upload('fromA', rays.fromA);
    this.upload('toA', rays.toA);
    this.upload('fromB', rays.fromB);
    this.upload('toB', rays.toB);
  }

  setRayWeights(weight: Float32Array): void {
    this.rays = weight.length;
    this.upload('weight', weight);
  }

  /** Light received per neuron and, per ray, its source's light as (energy, igniteAt) pairs. */
  setLight(energy: Float32Array, igniteAt: Float32Array, rayLight: Float32Array): void {
    this.upload('energy', energy);
    this.upload('igniteAt', igniteAt);
    this.upload('light', rayLight);
  }

  setPeers(positions: Float32Array, colors: Float32Array): void {
    this.peers = positions.length / 2;
    this.upload('peerPosition', positions.length ? positions : new Float32Array(2));
    this.upload('peerColor', colors.length ? colors : new Float32Array(3));
  }

  draw(view: View): void {
    this.regl.poll();
    this.regl.clear({ color: [0, 0, 0, 1] });
    this.drawBacklight(view);
    if (this.rays > 0 && this.neurons > 0) this.drawRays(view);
    if (this.neurons > 0) this.drawNeurons(view);
    if (this.peers > 0) this.drawPeers(view);
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
