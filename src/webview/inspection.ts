// A read-only look inside the light field for tests and the bench, without shipping their probes:
// a page script dispatches INSPECT_EVENT on the window with an `attach` callback, and the running
// field answers with its FieldInspector. Nothing is put on the window, and nothing here changes the field.
import type { LayerName } from './render/layer';
import type { PixelRect } from './render/renderer';

export const INSPECT_EVENT = 'lightnetwork:inspect';

export interface InspectRequest {
  attach(inspector: FieldInspector): void;
}

export interface FieldInspector {
  /** The version of the field on show (0 before the first). */
  version(): number;
  /** The version whose worker layout is on screen (seeded positions until then). */
  layoutVersion(): number;
  neurons(): number;
  rays(): number;
  hasWebGL(): boolean;
  toneMapped(): boolean;
  /** 1 when pulses and travelling light are on, 0 under reduced motion. */
  motion(): number;
  /** The first `limit` words, most frequent first. */
  words(limit: number): string[];
  /** A searched phrase's path: its words on show, in order, and its words that are not; undefined when none is lit. */
  path(): { words: string[]; missing: string[] } | undefined;
  /** CSS-pixel position inside the canvas where a word is drawn now. */
  screenPositionOf(word: string): [number, number] | undefined;
  /** Device pixels per CSS pixel. */
  pixelRatio(): number;
  /** Draws a frame now (only `layers`, if given); false without WebGL. */
  drawFrame(layers?: ReadonlySet<LayerName>): boolean;
  /** The renderer's read-back of what was just drawn (drawing-buffer pixels; the whole buffer by default). */
  readPixels(rect?: PixelRect): Uint8Array | undefined;
  /** Waits for the GPU to finish what was drawn. */
  finish(): void;
  /** Recent frame times (ms) of every frame drawn. */
  frameTimes(): number[];
}

/** Answers inspection requests until the returned function is called. */
export function answerInspectRequests(inspector: FieldInspector): () => void {
  const answer = (event: Event): void => {
    const request = (event as CustomEvent<InspectRequest | undefined>).detail;
    if (typeof request?.attach === 'function') request.attach(inspector);
  };
  window.addEventListener(INSPECT_EVENT, answer);
  return () => window.removeEventListener(INSPECT_EVENT, answer);
}
