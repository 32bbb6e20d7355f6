// The animation loop: draws a frame per display refresh until stopped. Where frames are slow
// (software WebGL), it leaves the processor idle at least as long as a frame takes, so the panel
// never holds a whole core.

/** Frames slower than this (ms) are followed by a rest twice as long as they took. */
const SLOW_FRAME_MS = 30;

export class AnimationLoop {
  private frame = 0;
  private nextFrameAt = 0;
  private running = false;

  constructor(private readonly drawFrame: () => void) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.frame = requestAnimationFrame(this.tick);
  }

  stop(): void {
    this.running = false;
    cancelAnimationFrame(this.frame);
  }

  private readonly tick = (now: number): void => {
    if (!this.running) return;
    this.frame = requestAnimationFrame(this.tick);
    if (now < this.nextFrameAt) return;
    const started = performance.now();
    this.drawFrame();
    const cost = performance.now() - started;
    this.nextFrameAt = cost > SLOW_FRAME_MS ? now + 2 * cost : 0;
  };
}
