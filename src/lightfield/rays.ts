// Rays of the light field: each neuron's likely successors that are neurons too, brightness by
// transition probability, capped in total so the strongest connections are the ones drawn.
import type { Prediction } from '../memory/types';

export interface Rays {
  from: Uint32Array;
  to: Uint32Array;
  weight: Float32Array;
}

export interface RayOptions {
  /** Successors kept per neuron (default 4). */
  perNeuron?: number;
  /** Rays kept in all (default 2 x neurons); the weakest go first. */
  maxRays?: number;
}

/** Collects rays neuron by neuron, so the host can spread the work over several time slices. */
export class RayCollector {
  private readonly from: number[] = [];
  private readonly to: number[] = [];
  private readonly weight: number[] = [];
  private readonly perNeuron: number;

  constructor(private readonly indexOf: ReadonlyMap<string, number>, options: RayOptions = {}) {
    this.perNeuron = options.perNeuron ?? 4;
  }

  /** Adds the rays of neuron `source` from its ranked successors (best first). */
  add(source: number, successors: readonly Prediction[]): void {
    let kept = 0;
    for (const { token, probability } of successors) {
      if (kept >= this.perNeuron) break;
      const target = this.indexOf.get(token);
      if (target === undefined || target === source || !(probability > 0)) continue;
      this.from.push(source);
      this.to.push(target);
      this.weight.push(Math.min(1, probability));
      kept++;
    }
  }

  finish(maxRays = Number.POSITIVE_INFINITY): Rays {
    let order = this.weight.map((_, i) => i);
    if (order.length > maxRays) {
      order.sort((a, b) => this.weight[b] - this.weight[a] || a - b);
      order = order.slice(0, Math.max(0, Math.floor(maxRays))).sort((a, b) => a - b);
    }
    return {
      from: Uint32Array.from(order, (i) => this.from[i]),
      to: Uint32Array.from(order, (i) => this.to[i]),
      weight: Float32Array.from(order, (i) => this.weight[i]),
    };
  }
}
