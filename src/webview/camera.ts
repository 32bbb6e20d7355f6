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
  constructor(public state: CameraState = { x: 0, y: 0, zoom: 10 }) {}

  toWorld(sx: number, sy: number, width: number, height: number): [number, number] {
    const { x, y, zoom } = this.state;
    return [x + (sx - width / 2) / zoom, y - (sy - height / 2) / zoom];
  }

  toScreen(wx: number, wy: number, width: number, height: number): [number, number] {
    const { x, y, zoom } = this.state;
    return [width / 2 + (wx - x) * zoom, height / 2 - (wy - y) * zoom];
  }

  panByPixels(dx: number, dy: number): void {
    this.state.x -= dx / this.state.zoom;
    this.state.y += dy / this.state.zoom;
  }

  /** Zooms by `factor` keeping the world point under (sx, sy) where it is. */
  zoomAt(factor: number, sx: number, sy: number, width: number, height: number): void {
    const [wx, wy] = this.toWorld(sx, sy, width, height);
    this.state.zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, this.state.zoom * factor));
    const [ax, ay] = this.toWorld(sx, sy, width, height);
    this.state.x += wx - ax;
    this.state.y += wy - ay;
  }

  /** Frames the bounding box of `positions` with a margin. */
  fit(positions: Float32Array, width: number, height: number): void {
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (let i = 0; i < positions.length; i += 2) {
      minX = Math.min(minX, positions[i]);
      maxX = Math.max(maxX, positions[i]);
      minY = Math.min(minY, positions[i + 1]);
      maxY = Math.max(maxY, positions[i + 1]);
    }
    if (!Number.isFinite(minX)) return;
    const spanX = Math.max(maxX - minX, 1);
    const spanY = Math.max(maxY - minY, 1);
    this.state = {
      x: (minX + maxX) / 2,
      y: (minY + maxY) / 2,
      zoom: Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, 0.9 * Math.min(width / spanX, height / spanY))),
    };
  }
}
