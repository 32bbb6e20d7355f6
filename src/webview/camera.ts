// Pan and zoom: the world point at the centre of the canvas and how many pixels a world unit spans.
// World y points up, screen y points down.

export interface CameraState {
  x: number;
  y: number;
  zoom: number;
}

export const MIN_ZOOM = 0.02;
export const MAX_ZOOM = 400;

export class Camera {
  private view: CameraState;

  constructor(state: CameraState = { x: 0, y: 0, zoom: 10 }) {
    this.view = { ...state };
  }

  get state(): Readonly<CameraState> {
    return this.view;
  }

  /** Looks at (x, y) at `zoom` (kept within MIN_ZOOM..MAX_ZOOM). */
  lookAt({ x, y, zoom }: CameraState): void {
    this.view = { x, y, zoom: Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom)) };
  }

  toWorld(sx: number, sy: number, width: number, height: number): [number, number] {
    const { x, y, zoom } = this.view;
    return [x + (sx - width / 2) / zoom, y - (sy - height / 2) / zoom];
  }

  toScreen(wx: number, wy: number, width: number, height: number): [number, number] {
    const { x, y, zoom } = this.view;
    return [width / 2 + (wx - x) * zoom, height / 2 - (wy - y) * zoom];
  }

  panByPixels(dx: number, dy: number): void {
    this.view.x -= dx / this.view.zoom;
    this.view.y += dy / this.view.zoom;
  }

  /** Zooms by `factor` keeping the world point under (sx, sy) where it is. */
  zoomAt(factor: number, sx: number, sy: number, width: number, height: number): void {
    const [wx, wy] = this.toWorld(sx, sy, width, height);
    this.view.zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, this.view.zoom * factor));
    const [ax, ay] = this.toWorld(sx, sy, width, height);
    this.view.x += wx - ax;
    this.view.y += wy - ay;
  }

  /**
   * Frames the field: the box holding all but the outermost 2% of neurons on each side, so a few
   * stray words far out do not shrink the whole field to a dot.
   */
  fit(positions: Float32Array, width: number, height: number): void {
    const n = positions.length / 2;
    if (n === 0) return;
    const xs = new Float32Array(n);
    const ys = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      xs[i] = positions[2 * i];
      ys[i] = positions[2 * i + 1];
    }
    xs.sort();
    ys.sort();
    const lo = Math.floor(n * 0.02);
    const hi = Math.max(lo, n - 1 - lo);
    const spanX = Math.max(xs[hi] - xs[lo], 1);
    const spanY = Math.max(ys[hi] - ys[lo], 1);
    this.lookAt({ x: (xs[lo] + xs[hi]) / 2, y: (ys[lo] + ys[hi]) / 2, zoom: 0.85 * Math.min(width / spanX, height / spanY) });
  }
}
