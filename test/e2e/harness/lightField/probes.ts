// Test probes of the light field, built on its inspector (src/webview/inspection.ts): they read back
// what the renderer drew, through the renderer's own read path, and time frames. Never shipped: the
// bench page bundles them, and UI tests inject them into the panel's webview (install.ts).
import { INSPECT_EVENT, type FieldInspector } from '../../../../src/webview/inspection';
import type { LayerName } from '../../../../src/webview/render/layer';

/** The inspector's queries, as they are, and the probes made of them. */
type Queries = 'version' | 'layoutVersion' | 'neurons' | 'rays' | 'hasWebGL' | 'toneMapped' | 'motion' | 'screenPositionOf' | 'frameTimes' | 'path';

export interface LightFieldProbes extends Pick<FieldInspector, Queries> {
  words(limit?: number): string[];
  /** Draws a frame and sums the brightness (r + g + b) of the square of pixels around a word. */
  lightAround(word: string, radius?: number): number | undefined;
  /** Draws a frame and reads back the colour at a CSS-pixel point of the canvas. */
  sample(x: number, y: number): [number, number, number, number] | undefined;
  /** Draws a frame and counts the pixels brighter than `threshold` (per channel, on average). */
  litPixels(threshold?: number): number;
  /** Draws `frames` frames back to back, waiting for the GPU each time; mean ms per frame. */
  timeFrames(frames: number): number;
  /** The same, drawing only one layer. */
  timeLayer(layer: LayerName, frames: number): number;
}

export function createProbes(inspector: FieldInspector): LightFieldProbes {
  const timeDrawing = (frames: number, layers?: ReadonlySet<LayerName>): number => {
    const started = performance.now();
    for (let k = 0; k < frames; k++) {
      inspector.drawFrame(layers);
      inspector.finish();
    }
    return (performance.now() - started) / frames;
  };
  return {
    version: () => inspector.version(),
    layoutVersion: () => inspector.layoutVersion(),
    neurons: () => inspector.neurons(),
    rays: () => inspector.rays(),
    hasWebGL: () => inspector.hasWebGL(),
    toneMapped: () => inspector.toneMapped(),
    motion: () => inspector.motion(),
    screenPositionOf: (word) => inspector.screenPositionOf(word),
    frameTimes: () => inspector.frameTimes(),
    path: () => inspector.path(),
    words: (limit = 20) => inspector.words(limit),
    lightAround: (word, radius = 16) => {
      const at = inspector.screenPositionOf(word);
      if (!at || !inspector.drawFrame()) return undefined;
      const dpr = inspector.pixelRatio();
      const side = Math.round(2 * radius * dpr) + 1;
      const pixels = inspector.readPixels({ x: (at[0] - radius) * dpr, y: (at[1] - radius) * dpr, width: side, height: side });
      if (!pixels) return undefined;
      let sum = 0;
      for (let k = 0; k < pixels.length; k += 4) sum += pixels[k] + pixels[k + 1] + pixels[k + 2];
      return sum;
    },
    sample: (x, y) => {
      if (!inspector.drawFrame()) return undefined;
      const dpr = inspector.pixelRatio();
      const p = inspector.readPixels({ x: x * dpr, y: y * dpr, width: 1, height: 1 });
      return p && p.length === 4 ? [p[0], p[1], p[2], p[3]] : undefined;
    },
    litPixels: (threshold = 40) => {
      if (!inspector.drawFrame()) return 0;
      const pixels = inspector.readPixels() ?? new Uint8Array(0);
      let lit = 0;
      for (let k = 0; k < pixels.length; k += 4) if (pixels[k] + pixels[k + 1] + pixels[k + 2] > threshold * 3) lit++;
      return lit;
    },
    timeFrames: (frames) => timeDrawing(frames),
    timeLayer: (layer, frames) => timeDrawing(frames, new Set([layer])),
  };
}

/** Asks the light field running in this page for its inspector; undefined if none answers (yet). */
export function requestInspector(): FieldInspector | undefined {
  let inspector: FieldInspector | undefined;
  window.dispatchEvent(new CustomEvent(INSPECT_EVENT, { detail: { attach: (answer: FieldInspector) => (inspector = answer) } }));
  return inspector;
}
