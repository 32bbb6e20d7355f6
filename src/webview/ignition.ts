// Light entering the field: the typed (or clicked) word ignites, its light reaches the words the
// completion predicts (with their probabilities, the same ranking as the ghost text) and then
// spreads further along the rays. Each neuron gets an energy and the time its light arrives.
import { buildGraph, spreadActivation, UNREACHED, type WeightedGraph } from '../lightfield/activation';
import type { LightField } from '../lightfield/packing';
import type { PredictionMessage } from '../protocol/lightMessages';

/** Seconds light takes to cross one hop, so it visibly flows from the word to its successors. */
export const HOP_SECONDS = 0.45;
/** Light each word of a searched phrase receives: as much as a typed word. */
const PATH_ENERGY = 1;

export class Ignition {
  readonly energy: Float32Array;
  readonly igniteAt: Float32Array;
  private readonly graph: WeightedGraph;

  constructor(field: LightField, private readonly indexOf: ReadonlyMap<string, number>) {
    const n = field.words.length;
    this.graph = buildGraph(n, field.from, field.to, field.weight);
    this.energy = new Float32Array(n);
    this.igniteAt = new Float32Array(n).fill(-1e6);
  }

  /** Keeps the light of words that are still on show when a new field replaces an old one. */
  carryFrom(previous: Ignition, previousWords: readonly string[]): void {
    previousWords.forEach((word, i) => {
      const j = this.indexOf.get(word);
      if (j === undefined) return;
      this.energy[j] = previous.energy[i];
      this.igniteAt[j] = previous.igniteAt[i];
    });
  }

  /**
   * Lights `word` at `now` (seconds) and its predicted successors one hop later. Returns the neurons
   * lit, brightest first. Predictions are relative to the best one, so the ghost text's word glows most.
   */
  ignite(word: string, predictions: readonly PredictionMessage[], now: number): number[] {
    const seeds = [];
    const source = this.indexOf.get(word);
    if (source !== undefined) seeds.push({ index: source, energy: 1, hop: 0 });
    const best = predictions.reduce((m, p) => Math.max(m, p.probability), 0);
    for (const p of predictions) {
      const index = this.indexOf.get(p.token);
      if (index === undefined || index === source || best <= 0) continue;
      seeds.push({ index, energy: 0.9 * (p.probability / best), hop: 1 });
    }
    if (seeds.length === 0) return [];
    const activation = spreadActivation(this.graph, seeds, { steps: 3, decay: 0.55, threshold: 0.01 });
    for (const i of activation.lit) {
      if (activation.hop[i] === UNREACHED) continue;
      this.energy[i] = Math.min(1.5, activation.energy[i]);
      this.igniteAt[i] = now + activation.hop[i] * HOP_SECONDS;
    }
    return activation.lit.slice().sort((a, b) => activation.energy[b] - activation.energy[a]);
  }

  /**
   * Lights a phrase's path: each of its neurons in turn, `hop` seconds apart from `now`, as light
   * typed word after word would arrive (a repeated word keeps its first arrival). Nothing spreads
   * beyond the path: its words are the answer, their neighbours would blur it.
   */
  ignitePath(steps: readonly number[], now: number, hop: number): void {
    const seen = new Set<number>();
    steps.forEach((i, k) => {
      if (seen.has(i)) return;
      seen.add(i);
      this.energy[i] = PATH_ENERGY;
      this.igniteAt[i] = now + k * hop;
    });
  }
}
