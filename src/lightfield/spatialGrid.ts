// A uniform grid over neuron positions, to find the neuron under the pointer in O(1) per query
// instead of scanning 100k points on every mouse move.

import { positionBounds } from './bounds';

export class SpatialGrid {
  private readonly cellSize: number;
  private readonly minX: number;
  private readonly minY: number;
  private readonly columns: number;
  private readonly rows: number;
  private readonly cellStart: Uint32Array;
  private readonly items: Uint32Array;

  /** @param positions x0, y0, x1, y1, ... */
  constructor(private readonly positions: Float32Array) {
    const n = positions.length / 2;
    const { minX, minY, maxX, maxY } = positionBounds(positions, n);
    const side = Math.max(1, Math.ceil(Math.sqrt(n / 2)));
    this.cellSize = Math.max((maxX - minX) / side, (maxY - minY) / side, 1e-6);
    this.minX = minX;
    this.minY = minY;
    this.columns = Math.floor((maxX - minX) / this.cellSize) + 1;
    this.rows = Math.floor((maxY - minY) / this.cellSize) + 1;
    const cellOf = new Uint32Array(n);
    this.cellStart = new Uint32Array(this.columns * this.rows + 1);
    for (let i = 0; i < n; i++) {
      const cell = this.cellIndex(positions[2 * i], positions[2 * i + 1]);
      cellOf[i] = cell;
      this.cellStart[cell + 1]++;
    }
    for (let c = 0; c < this.columns * this.rows; c++) this.cellStart[c + 1] += this.cellStart[c];
    const fill = this.cellStart.slice(0, this.columns * this.rows);
    this.items = new Uint32Array(n);
    for (let i = 0; i < n; i++) this.items[fill[cellOf[i]]++] = i;
  }

  private cellIndex(x: number, y: number): number {
    const cx = Math.min(this.columns - 1, Math.max(0, Math.floor((x - this.minX) / this.cellSize)));
    const cy = Math.min(this.rows - 1, Math.max(0, Math.floor((y - this.minY) / this.cellSize)));
    return cy * this.columns + cx;
  }

  /** The index of the nearest point within `radius` of (x, y), or -1. `accept` may skip points. */
  nearest(x: number, y: number, radius: number, accept: (index: number) => boolean = () => true): number {
    const reach = Math.ceil(radius / this.cellSize);
    const cx = Math.floor((x - this.minX) / this.cellSize);
    const cy = Math.floor((y - this.minY) / this.cellSize);
    let best = -1;
    let bestDistance = radius * radius;
    for (let gy = Math.max(0, cy - reach); gy <= Math.min(this.rows - 1, cy + reach); gy++) {
      for (let gx = Math.max(0, cx - reach); gx <= Math.min(this.columns - 1, cx + reach); gx++) {
        const cell = gy * this.columns + gx;
        for (let k = this.cellStart[cell]; k < this.cellStart[cell + 1]; k++) {
          const i = this.items[k];
          const dx = this.positions[2 * i] - x;
          const dy = this.positions[2 * i + 1] - y;
          const d = dx * dx + dy * dy;
          if (d <= bestDistance && accept(i)) {
            bestDistance = d;
            best = i;
          }
        }
      }
    }
    return best;
  }
}
