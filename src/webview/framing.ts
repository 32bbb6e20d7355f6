// What the camera frames: the whole field, kept in frame as it grows, until the user pans, zooms or
// searches; then the view stays where they put it (until they ask for the whole field again, key 0).
// A phrase's path, when one is lit, is framed instead, and kept in frame while the layout settles,
// until the user moves the view.
import { MIN_ZOOM, type Camera } from './camera';
import type { SurfaceSize } from './projection';
import type { FieldViewModel } from './viewModel';

/** Zoom at which a word searched for is shown: close enough to read its neighbourhood. */
const FOCUS_ZOOM = 40;
/** Share of the canvas a framed path spans, leaving room for its words' names. */
const PATH_MARGIN = 0.7;

type Follow = 'field' | 'path' | 'nothing';

export class Framing {
  private readonly unsubscribe: () => void;
  private follow: Follow;
  /** When the path last framed was lit: a field that re-finds the same path does not frame it again. */
  private framedPathAt: number | undefined;

  constructor(
    private readonly camera: Camera,
    private readonly model: FieldViewModel,
    private readonly size: () => SurfaceSize,
    /** Called when the user placed the view, to save it. */
    private readonly onUserPlaced: () => void,
    /** False when a saved view was restored: it stays until the user asks for the whole field. */
    followField: boolean,
  ) {
    this.follow = followField ? 'field' : 'nothing';
    this.unsubscribe = model.subscribe((change) => {
      if (change === 'field' || change === 'positions') this.frameFollowed();
      if (change === 'path') this.pathChanged();
    });
  }

  /** The canvas changed size. */
  resized(): void {
    this.frameFollowed();
  }

  /** The user moved the camera. */
  userPlaced(): void {
    this.follow = 'nothing';
    this.onUserPlaced();
  }

  /** The user asked to see the whole field: framing follows the field again. */
  fitAll(): void {
    this.follow = 'field';
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

  /** A newly lit path is framed and followed; a path that ends leaves the view where it is. */
  private pathChanged(): void {
    const path = this.model.path;
    if (!path) {
      if (this.follow === 'path') this.follow = 'nothing';
      return;
    }
    if (path.litAt === this.framedPathAt || path.steps.length === 0) return;
    this.framedPathAt = path.litAt;
    this.follow = 'path';
    this.framePathNow();
    this.onUserPlaced();
  }

  private frameFollowed(): void {
    if (this.follow === 'field') this.fitNow();
    else if (this.follow === 'path') this.framePathNow();
  }

  /** Frames where the path's words are going: all of them, no closer than a searched word is shown. */
  private framePathNow(): void {
    const steps = this.model.path?.steps ?? [];
    const { width, height } = this.size();
    if (steps.length === 0 || width <= 0 || height <= 0) return;
    const to = this.model.positions.to;
    let [left, right, bottom, top] = [Infinity, -Infinity, Infinity, -Infinity];
    for (const i of steps) {
      left = Math.min(left, to[2 * i]);
      right = Math.max(right, to[2 * i]);
      bottom = Math.min(bottom, to[2 * i + 1]);
      top = Math.max(top, to[2 * i + 1]);
    }
    const fitted = PATH_MARGIN * Math.min(width / Math.max(right - left, 1e-6), height / Math.max(top - bottom, 1e-6));
    this.camera.lookAt({ x: (left + right) / 2, y: (bottom + top) / 2, zoom: Math.max(MIN_ZOOM, Math.min(FOCUS_ZOOM, fitted)) });
  }

  /** Frames where the field is going; while the canvas has no size yet, resized() does it later. */
  private fitNow(): void {
    const { width, height } = this.size();
    if (width > 0 && height > 0) this.camera.fit(this.model.positions.to, width, height);
  }
}
