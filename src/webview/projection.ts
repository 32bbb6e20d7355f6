// Between neurons and the screen: where a neuron is drawn now, in CSS pixels of the canvas, and which
// world point lies under a screen point.
import type { Camera } from './camera';
import type { FieldViewModel } from './viewModel';

/** The canvas's size in CSS pixels. */
export interface SurfaceSize {
  width: number;
  height: number;
}

export class Projection {
  constructor(
    private readonly camera: Camera,
    private readonly model: FieldViewModel,
    private readonly size: () => SurfaceSize,
  ) {}

  screenOf(i: number): [number, number] {
    const [x, y] = this.model.positionOf(i);
    const { width, height } = this.size();
    return this.camera.toScreen(x, y, width, height);
  }

  worldAt(sx: number, sy: number): [number, number] {
    const { width, height } = this.size();
    return this.camera.toWorld(sx, sy, width, height);
  }

  isOnScreen([x, y]: readonly [number, number]): boolean {
    const { width, height } = this.size();
    return x >= 0 && y >= 0 && x <= width && y <= height;
  }
}
