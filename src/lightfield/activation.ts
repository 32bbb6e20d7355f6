// Spreading activation: the light each neuron receives from the words that were just typed,
// carried along the connections (word -> likely successor) and fading at every hop, in the spirit
// of personalised PageRank. Pure maths over a compact graph; used by the light field.

/** Outgoing connections in compressed sparse rows: neighbours of i are targets[offsets[i]..offsets[i+1]). */
export interface WeightedGraph {
  readonly size: number;
  readonly offsets: Uint32Array;
  readonly targets: Uint32Array;
  /** Transition probability of each connection (0..1; a source's weights sum to at most 1). */
  readonly weights: Float32Array;
}

export interface Seed {
  index: number;
  /** Light put into this neuron directly (1 for the typed word, a probability for a prediction). */
  energy: number;
  /** The hop at which the light arrives (0 for the typed word, 1 for its predictions). */
  hop: number;
}

export interface SpreadOptions {
  /** How many hops light travels beyond the seeds (default 3). */
  steps?: number;
  /** Share of the light that survives each hop (default 0.6). */
  decay?: number;
  /** Light below this is dropped, so a spread touches only the lit part of the graph (default 1e-4). */
  threshold?: number;
}

export interface Activation {
  /** Total light received by each neuron. */
  energy: Float32Array;
  /** Hop at which light first reached each neuron; UNREACHED where none did. */
  hop: Uint8Array;
  /** Neurons with energy > 0, in the order light reached them. */
  lit: number[];
}

export const UNREACHED = 255;

/** Builds the sparse graph from parallel edge arrays; out-of-range endpoints are a RangeError. */
export function buildGraph(size: number, from: ArrayLike<number>, to: ArrayLike<number>, weight: ArrayLike<number>): WeightedGraph {
  const edges = from.length;
  if (to.length !== edges || weight.length !== edges) throw new RangeError('Edge arrays must have equal lengths');
  const offsets = new Uint32Array(size + 1);
  for (let i = 0; i < edges; i++) {
    if (from[i] >= size || to[i] >= size || from[i] < 0 || to[i] < 0) throw new RangeError(`Edge ${i} leaves the graph`);
    offsets[from[i] + 1]++;
  }
  for (let i = 0; i < size; i++) offsets[i + 1] += offsets[i];
  const fill = offsets.slice(0, size);
  const targets = new Uint32Array(edges);
  const weights = new Float32Array(edges);
  for (let i = 0; i < edges; i++) {
    const at = fill[from[i]]++;
    targets[at] = to[i];
    weights[at] = weight[i];
  }
  return { size, offsets, targets, weights };
}

export function spreadActivation(graph: WeightedGraph, seeds: readonly Seed[], options: SpreadOptions = {}): Activation {
  const steps = options.steps ?? 3;
  const decay = options.decay ?? 0.6;
  const threshold = options.threshold ?? 1e-4;
  const energy = new Float32Array(graph.size);
  const hop = new Uint8Array(graph.size).fill(UNREACHED);
  const lit: number[] = [];
  const lastHop = Math.max(steps, ...seeds.map((s) => s.hop));

  // `wave` holds the light arriving at the current hop; only its non-zero entries are visited.
  let wave = new Map<number, number>();
  for (let step = 0; step <= lastHop; step++) {
    for (const seed of seeds) {
      if (seed.hop !== step) continue;
      if (seed.index < 0 || seed.index >= graph.size) throw new RangeError(`Seed ${seed.index} is not a neuron`);
      if (!(seed.energy > 0)) continue;
      wave.set(seed.index, (wave.get(seed.index) ?? 0) + seed.energy);
    }
    const next = new Map<number, number>();
    for (const [node, light] of wave) {
      if (hop[node] === UNREACHED) {
        hop[node] = Math.min(step, UNREACHED - 1);
        lit.push(node);
      }
      energy[node] += light;
      if (step === lastHop) continue;
      const carried = light * decay;
      for (let k = graph.offsets[node]; k < graph.offsets[node + 1]; k++) {
        const passed = carried * graph.weights[k];
        if (passed < threshold) continue;
        const target = graph.targets[k];
        next.set(target, (next.get(target) ?? 0) + passed);
      }
    }
    wave = next;
  }
  return { energy, hop, lit };
}
