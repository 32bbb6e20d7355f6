// Synthetic light fields for the bench and the standalone page: Zipf-distributed word counts,
// words grouped in topics, each word with rays to a few likely successors (mostly in its topic).
import { FLAG_LOCAL, type LightField } from '../../src/lightfield/packing';

/** A small deterministic PRNG (mulberry32), so every run draws the same field. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function syntheticField(neurons: number, raysPerNeuron = 2, seed = 1, version = 1): LightField {
  const rand = random(seed);
  const topics = Math.max(4, Math.round(Math.sqrt(neurons) / 3));
  const topicOf = Uint32Array.from({ length: neurons }, () => Math.floor(rand() * topics));
  const members: number[][] = Array.from({ length: topics }, () => []);
  topicOf.forEach((t, i) => members[t].push(i));
  const rays = neurons * raysPerNeuron;
  const from = new Uint32Array(rays);
  const to = new Uint32Array(rays);
  const weight = new Float32Array(rays);
  for (let r = 0; r < rays; r++) {
    const source = Math.floor(r / raysPerNeuron);
    const sameTopic = rand() < 0.85 ? members[topicOf[source]] : undefined;
    let target = sameTopic ? sameTopic[Math.floor(rand() * sameTopic.length)] : Math.floor(rand() * neurons);
    if (target === source) target = (source + 1) % neurons;
    from[r] = source;
    to[r] = target;
    weight[r] = (0.6 * rand() + 0.05) / raysPerNeuron;
  }
  return {
    version,
    words: Array.from({ length: neurons }, (_, i) => `w${i}_${(i * 2654435761 % 100000).toString(36)}`),
    count: Float32Array.from({ length: neurons }, (_, i) => Math.max(1, Math.round(1e6 / (i + 1)))),
    recency: Float32Array.from({ length: neurons }, () => (rand() < 0.1 ? rand() : 0)),
    tone: Uint8Array.from({ length: neurons }, () => Math.floor(rand() * 5)),
    flags: new Uint8Array(neurons).fill(FLAG_LOCAL),
    from,
    to,
    weight,
    stats: { vocabulary: neurons * 3, ngrams: neurons * 40, tokens: neurons * 200, teamWords: 0 },
  };
}
