// What every layer of the light field's picture shares: the view it is drawn in, the scene it is
// drawn from, and its life cycle (as in cosmos): a layer is created on a regl context, updated when
// the parts of the scene it draws change, drawn every frame, and destroyed with the context.
import type createREGL from 'regl';

/** Camera, clock and global light of one frame. */
export interface View {
  center: [number, number];
  /** Drawing-buffer pixels per world unit. */
  zoom: number;
  /** Drawing-buffer size in pixels. */
  viewport: [number, number];
  /** 0..1 along the tween from `positions.from` to `positions.to`. */
  mixT: number;
  /** Seconds on the view's clock (the clock of `light.igniteAt`). */
  time: number;
  /** 1, or 0 under reduced motion. */
  motion: number;
  /** Resting brightness of a neuron and of a ray, lowered when many share a pixel. */
  rest: number;
  rayRest: number;
  backlight: { level: number; swell: number; team: number };
}

/** Everything the layers draw, as flat typed arrays indexed by neuron (or ray, or peer). */
export interface Scene {
  readonly neurons: { readonly tone: Float32Array; readonly size: Float32Array; readonly recency: Float32Array };
  readonly rays: { readonly from: Uint32Array; readonly to: Uint32Array; readonly weight: Float32Array };
  /** Neuron positions (x0, y0, x1, y1, ...) at both ends of the tween. */
  readonly positions: { readonly from: Float32Array; readonly to: Float32Array };
  /** Light received per neuron: how much, and when it arrives (seconds on the view's clock). */
  readonly light: { readonly energy: Float32Array; readonly igniteAt: Float32Array };
  /** Collaborators: a world position (2 floats) and a linear RGB colour (3 floats) each. */
  readonly peers: { readonly positions: Float32Array; readonly colors: Float32Array };
  /**
   * A searched phrase's path: its neurons in order (empty when none), when its light entered
   * (seconds on the view's clock) and the seconds between one word's light and the next's.
   */
  readonly path: { readonly steps: Uint32Array; readonly litAt: number; readonly hop: number };
}

/** The parts of a scene that can change on their own; a new field changes all of them. */
export type SceneChange = 'field' | 'positions' | 'light' | 'peers' | 'path';
export const ALL_CHANGES: ReadonlySet<SceneChange> = new Set<SceneChange>(['field', 'positions', 'light', 'peers', 'path']);

export type LayerName = 'backlight' | 'rays' | 'path' | 'neurons' | 'peers';

export interface RenderLayer {
  readonly name: LayerName;
  /** Uploads what `changes` touched; `scene` is read only during the call. */
  update(scene: Scene, changes: ReadonlySet<SceneChange>): void;
  draw(view: View): void;
  /** Frees the layer's GPU resources. */
  destroy(): void;
}

/** Creates a layer on a context (its programs and buffers); the first update fills it. */
export type LayerFactory = (regl: createREGL.Regl) => RenderLayer;

/**
 * A layer's vertex buffers, one per attribute of its shader, typed by the attributes' names (a
 * misspelt name does not compile). Each holds floats, `sizes[name]` per vertex, replaced whole on upload.
 */
export class AttributeBuffers<Name extends string> {
  private readonly buffers: Record<Name, createREGL.Buffer>;

  constructor(regl: createREGL.Regl, private readonly sizes: Readonly<Record<Name, number>>) {
    const buffers = {} as Record<Name, createREGL.Buffer>;
    for (const name of this.names()) buffers[name] = regl.buffer({ usage: 'dynamic', type: 'float', data: new Float32Array(sizes[name]) });
    this.buffers = buffers;
  }

  /** The `attributes` of a regl draw command reading these buffers. */
  attributes(): Record<Name, { buffer: createREGL.Buffer; size: number }> {
    const attributes = {} as Record<Name, { buffer: createREGL.Buffer; size: number }>;
    for (const name of this.names()) attributes[name] = { buffer: this.buffers[name], size: this.sizes[name] };
    return attributes;
  }

  /** Replaces a buffer's content (one empty vertex when there is none: WebGL rejects empty buffers). */
  upload(name: Name, data: Float32Array): void {
    this.buffers[name]({ usage: 'dynamic', type: 'float', data: data.length ? data : new Float32Array(this.sizes[name]) });
  }

  destroy(): void {
    for (const name of this.names()) this.buffers[name].destroy();
  }

  private names(): Name[] {
    return Object.keys(this.sizes) as Name[];
  }
}

export const ADDITIVE = { enable: true, func: { src: 'one', dst: 'one' } } as const;
