// Measures how long the extension host's event loop was blocked, with Node's own sampler.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export class StallProbe {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 5 });

  constructor() {
    this.histogram.enable();
  }

  /** Longest delay seen so far, in ms (the sampling interval itself is subtracted by Node). */
  get maxMs(): number {
    return this.histogram.max / 1e6;
  }

  stop(): number {
    this.histogram.disable();
    return this.maxMs;
  }
}
