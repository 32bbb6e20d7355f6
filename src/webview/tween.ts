// Where neurons are drawn: positions tween smoothly from the layout on screen to a new one, so the
// field never jumps when the layout worker answers.

const TWEEN_SECONDS = 0.8;

export class PositionTween {
  private start: Float32Array = new Float32Array(0);
  private end: Float32Array = new Float32Array(0);
  private startedAt = -1e9;

  /** Positions (x0, y0, x1, y1, ...) the tween starts from. */
  get from(): Float32Array {
    return this.start;
  }

  /** Positions the tween ends at: where the field is going. */
  get to(): Float32Array {
    return this.end;
  }

  /** Puts neurons at `positions` at once (a new field, seeded where its words were). */
  place(positions: Float32Array): void {
    this.start = positions;
    this.end = positions.slice();
  }

  /** Starts moving from where neurons are drawn now (at `progress`) towards `target`. */
  moveTo(target: Float32Array, now: number, progress: number): void {
    const current = new Float32Array(this.end.length);
    for (let i = 0; i < current.length / 2; i++) {
      const [x, y] = this.positionAt(i, progress);
      current[2 * i] = x;
      current[2 * i + 1] = y;
    }
    this.start = current;
    this.end = target;
    this.startedAt = now;
  }

  /** 0..1 along the tween at `now` (seconds), eased; 1 at once without motion. */
  progress(now: number, motion: number): number {
    if (motion === 0) return 1;
    const t = Math.min(1, Math.max(0, (now - this.startedAt) / TWEEN_SECONDS));
    return t * t * (3 - 2 * t);
  }

  positionAt(i: number, progress: number): [number, number] {
    const { start, end } = this;
    return [start[2 * i] + (end[2 * i] - start[2 * i]) * progress, start[2 * i + 1] + (end[2 * i + 1] - start[2 * i + 1]) * progress];
  }
}
