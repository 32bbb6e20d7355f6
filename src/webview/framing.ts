// What the camera frames: the whole field, kept in frame as it grows, until the user pans, zooms or
// searches; then the view stays where they put it (until they ask for the whole field again, key 0).
import type { Camera } from './camera';
import type { SurfaceSize } from './projection';
import type { FieldViewModel } from './viewModel';

/** Zoom at which a word searched for is shown: close enough to read its neighbourhood. */
const FOCUS_ZOOM = 40;

export class Framing {
  private readonly unsubscribe: () => void;

  constructor(
    private readonly camera: Camera,
    private readonly model: FieldViewModel,
    private readonly size: () => SurfaceSize,
    /** Called when the user placed the view, to save it. */
    private readonly onUserPlaced: () => void,
    /** False when a saved view was restored: it stays until the user asks for the whole field. */
    private followField: boolean,
  ) {
    this.unsubscribe = model.subscribe((change) => {
      if ((change === 'field' || change === 'positions') && this.followField) this.fitNow();
    });
  }

  /** The canvas changed size. */
  resized(): void {
    if (this.followField) this.fitNow();
  }

  /** The user moved the camera. */
  userPlaced(): void {
    this.followField = false;
    this.onUserPlaced();
  }

  /** The user asked to see the whole field: framing follows the field again. */
  fitAll(): void {
    this.followField = true;
    this.fitNow();
    this.onUserPlaced();
  }

  /** Centres a neuron and zooms in on it. */
  focus(i: number): void {
    const [x, y] = this.model.positionOf(i);
    this.camera.lookAt({ x, y, zoom: Math.max(this.camera.state.zoom, FOCUS_ZOOM) });
    this.userPlaced();
  }

  dispose(): void {
    this.unsubscribe();
  }

  /** Frames where the field is going; while the canvas has no size yet, resized() does it later. */
  private fitNow(): void {
    const { width, height } = this.size();
    if (width > 0 && height > 0) this.camera.fit(this.model.positions.to, width, height);
  }
}
