// One frame: the view of the field the camera and the clock give, drawn by the renderer, then the
// labels placed over it; the host hears when a new field version first reaches the screen.
import type { FieldStats } from '../lightfield/packing';
import type { WebviewToHost } from '../protocol/lightMessages';
import type { Camera } from './camera';
import type { Chrome } from './chrome';
import type { Framing } from './framing';
import type { GpuSession } from './gpu';
import { chooseLabels } from './labels';
import type { Projection } from './projection';
import type { LayerName, View } from './render/layer';
import type { FieldViewModel } from './viewModel';

/** Frame times kept for the bench (ms). */
const KEPT_FRAME_TIMES = 600;

export interface ViewInputs {
  camera: { x: number; y: number; zoom: number };
  /** Device pixels per CSS pixel. */
  pixelRatio: number;
  viewport: [number, number];
  time: number;
  motion: number;
  mixT: number;
  stats: FieldStats | undefined;
  peers: number;
  lastGrowth: number;
}

/** What the shaders get for one frame. */
export function viewFor(inputs: ViewInputs): View {
  const { camera, stats, motion, time } = inputs;
  return {
    center: [camera.x, camera.y],
    zoom: camera.zoom * inputs.pixelRatio,
    viewport: inputs.viewport,
    mixT: inputs.mixT,
    time,
    motion,
    // Zoomed out, many neurons share a pixel and their light adds up: dim each one accordingly.
    // The layout keeps about one word per unit squared, so zoom alone says how crowded pixels are.
    rest: Math.min(0.6, Math.max(0.015, camera.zoom / 40)),
    rayRest: Math.min(0.3, Math.max(0.002, camera.zoom / 150)),
    backlight: {
      level: stats ? Math.min(1, Math.log10(stats.tokens + 1) / 7) : 0,
      swell: motion ? Math.exp(-(time - inputs.lastGrowth) / 1.5) : 0,
      team: Math.min(1, inputs.peers / 3 + (stats?.teamWords ? 0.3 : 0)),
    },
  };
}

export interface FrameParts {
  gpu: GpuSession;
  camera: Camera;
  framing: Framing;
  model: FieldViewModel;
  projection: Projection;
  chrome: Chrome;
  now(): number;
  post(message: Extract<WebviewToHost, { type: 'rendered' }>): void;
}

export class FrameDrawer {
  /** Frame times (ms), for the bench. */
  readonly frameTimes: number[] = [];
  private pendingRendered: { version: number; changedAt: number } | undefined;

  constructor(private readonly parts: FrameParts) {}

  /** The next frame drawn shows this version: tell the host then. */
  expectRendered(version: number, changedAt: number): void {
    this.pendingRendered = { version, changedAt };
  }

  /** Draws one frame now (only `layers`, if given). Returns false when nothing can be drawn (no WebGL). */
  draw(layers?: ReadonlySet<LayerName>): boolean {
    const { gpu, camera, framing, model, projection, chrome } = this.parts;
    const renderer = gpu.renderer;
    if (!renderer) return false;
    const started = performance.now();
    if (gpu.matchDisplaySize()) framing.resized();
    const time = this.parts.now();
    const field = model.field;
    renderer.draw(
      viewFor({
        camera: camera.state,
        pixelRatio: window.devicePixelRatio || 1,
        viewport: [gpu.canvas.width, gpu.canvas.height],
        time,
        motion: model.motion,
        mixT: model.tweenProgress(),
        stats: field?.stats,
        peers: model.peers.length,
        lastGrowth: model.lastGrowth,
      }),
      layers,
    );
    chrome.setLabels(chooseLabels(model, projection, time, camera.state.zoom));
    this.frameTimes.push(performance.now() - started);
    if (this.frameTimes.length > KEPT_FRAME_TIMES) this.frameTimes.splice(0, KEPT_FRAME_TIMES / 2);
    if (this.pendingRendered && field) {
      const { version, changedAt } = this.pendingRendered;
      this.pendingRendered = undefined;
      this.parts.post({ type: 'rendered', version, changedAt, neurons: field.words.length, rays: field.from.length });
    }
    return true;
  }
}
