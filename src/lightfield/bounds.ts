// The bounding box of packed 2-D positions (x0, y0, x1, y1, ...), shared by the layout and the grid.

export interface Bounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** All zeros when there are no positions. */
export function positionBounds(positions: Float32Array, count = positions.length / 2): Bounds {
  if (count === 0) return { minX: 0, minY: 0, maxX: 0, maxY: 0 };
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < count; i++) {
    minX = Math.min(minX, positions[2 * i]);
    maxX = Math.max(maxX, positions[2 * i]);
    minY = Math.min(minY, positions[2 * i + 1]);
    maxY = Math.max(maxY, positions[2 * i + 1]);
  }
  return { minX, minY, maxX, maxY };
}
