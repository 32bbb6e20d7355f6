// The GPU's life cycle: the canvas and its renderer, started at once, given back while the panel is
// hidden (and rebuilt from the kept field when shown), lost and restored with the WebGL context.
import { Renderer, WebGLUnavailableError } from './render/renderer';
import type { SurfaceSize } from './projection';

export interface GpuEvents {
  /** A renderer started (first, or again after hiding or a lost context): it needs the whole scene. */
  started(renderer: Renderer): void;
  /** No WebGL here, for this reason. */
  unavailable(reason: string): void;
  /** The context was lost while the panel is shown. */
  lost(): void;
  restored(): void;
}

export class GpuSession {
  private canvasElement!: HTMLCanvasElement;
  private current: Renderer | undefined;
  private readonly listening = new AbortController();

  constructor(
    private readonly host: HTMLElement,
    private readonly toneMap: 'auto' | 'on' | 'off',
    private readonly events: GpuEvents,
  ) {
    this.start();
    document.addEventListener('visibilitychange', () => (document.hidden ? this.release() : this.start()), { signal: this.listening.signal });
  }

  get renderer(): Renderer | undefined {
    return this.current;
  }

  get canvas(): HTMLCanvasElement {
    return this.canvasElement;
  }

  /** The canvas's size in CSS pixels. */
  size(): SurfaceSize {
    return { width: this.canvasElement.clientWidth, height: this.canvasElement.clientHeight };
  }

  /** Sizes the drawing buffer to the canvas's size on screen; true when it changed. */
  matchDisplaySize(): boolean {
    const dpr = window.devicePixelRatio || 1;
    const width = Math.round(this.canvasElement.clientWidth * dpr);
    const height = Math.round(this.canvasElement.clientHeight * dpr);
    if (this.canvasElement.width === width && this.canvasElement.height === height) return false;
    this.canvasElement.width = width;
    this.canvasElement.height = height;
    return true;
  }

  dispose(): void {
    this.listening.abort();
    this.release();
  }

  private newCanvas(): HTMLCanvasElement {
    const canvas = document.createElement('canvas');
    canvas.className = 'light-canvas';
    canvas.tabIndex = 0;
    canvas.setAttribute('aria-label', 'Light field: the memory’s words as points of light');
    canvas.addEventListener('webglcontextlost', (event) => {
      event.preventDefault();
      this.current = undefined;
      if (!document.hidden) this.events.lost();
    }, { signal: this.listening.signal });
    canvas.addEventListener('webglcontextrestored', () => {
      this.events.restored();
      this.start();
    }, { signal: this.listening.signal });
    this.host.replaceChildren(canvas);
    return canvas;
  }

  private start(): void {
    if (this.current) return;
    // A fresh canvas each time: a context given back (loseContext) cannot be had again on its canvas.
    this.canvasElement = this.newCanvas();
    try {
      this.current = Renderer.create(this.canvasElement, this.toneMap);
    } catch (error) {
      this.events.unavailable(error instanceof WebGLUnavailableError ? error.message : String(error));
      return;
    }
    this.events.started(this.current);
  }

  /** Gives the WebGL context back. */
  private release(): void {
    const renderer = this.current;
    this.current = undefined;
    renderer?.destroy();
  }
}
