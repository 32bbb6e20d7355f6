// Which neuron is under the pointer: a spatial grid over where the neurons are going, rebuilt when
// they move, so a pointer move costs O(1) instead of a scan of 100k points.
import { SpatialGrid } from '../lightfield/spatialGrid';
import type { Camera } from './camera';
import type { Projection } from './projection';
import type { FieldViewModel } from './viewModel';

/** How close (CSS pixels) the pointer must be to a neuron, and at least how close in world units. */
const PICK_PIXELS = 10;
const MIN_PICK_WORLD = 0.6;

export class Picker {
  private grid: SpatialGrid | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    model: FieldViewModel,
    private readonly camera: Camera,
    private readonly projection: Projection,
  ) {
    this.unsubscribe = model.subscribe((change) => {
      if (change === 'field' || change === 'positions') this.grid = new SpatialGrid(model.positions.to);
    });
  }

  /** The neuron under a screen point (CSS pixels), or -1. */
  pick(sx: number, sy: number): number {
    if (!this.grid) return -1;
    const [wx, wy] = this.projection.worldAt(sx, sy);
    return this.grid.nearest(wx, wy, Math.max(MIN_PICK_WORLD, PICK_PIXELS / this.camera.state.zoom));
  }

  dispose(): void {
    this.unsubscribe();
  }
}
