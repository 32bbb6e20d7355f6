// Builds light-field snapshots from the live memories without blocking the extension host:
// neuron selection first, then each neuron's successors in time slices of a few milliseconds.
// Successors are cached per word and dropped when a change touches that word.
import type { DeltaBatch, Prediction } from '../../memory/types';
import { tokenKind } from '../../memory/tokenizer';
import { FLAG_TEAM, packField, type LightField } from '../../lightfield/packing';
import { RayCollector } from '../../lightfield/rays';
import type { RecencyClock } from '../../lightfield/recency';
import { selectNeurons, type Neuron, type WordSource } from '../../lightfield/selection';
import { toneIndex } from '../../lightfield/tone';
import { yieldToEventLoop } from '../../threads/sliceScheduler';

export interface FieldSources {
  local: WordSource & { stats(): { vocabulary: number; ngrams: number; tokens: number } };
  team: WordSource & { stats(): { vocabulary: number; ngrams: number; tokens: number } };
  predictNext(context: string[], k: number): Prediction[];
}

const SLICE_MS = 8;
const PROGRESS_MS = 1000;
const STALE_REFRESH = 2000;
/** Cold successors above which a build first shows its neurons before finding their rays. */
const PROGRESS_MIN_UNCACHED = 2000;
const SUCCESSORS_ASKED = 8;
const RAYS_PER_NEURON = 4;

export interface BuiltField {
  field: LightField;
  bytes: Uint8Array;
}


export class FieldBuilder {
  private readonly successors = new Map<string, Prediction[]>();
  /** Cached successors from before a team change; refreshed a slice per build (see markStale). */
  private readonly stale = new Set<string>();
  private version = 0;

  constructor(private readonly sources: FieldSources, private readonly recency: RecencyClock) {}

  /**
   * Drops cached successors of the words whose bigrams a local change touched. Rays are a word's
   * next-word predictions, which its bigrams decide; looking at bigrams only keeps this cheap when a
   * training batch holds millions of n-grams.
   */
  invalidate(batch: DeltaBatch): void {
    for (const { ngram } of batch.entries) {
      if (ngram.length !== 2) continue;
      this.successors.delete(ngram[0]);
      this.stale.delete(ngram[0]);
    }
  }

  invalidateAll(): void {
    this.successors.clear();
    this.stale.clear();
  }

  /**
   * The team layer changed (no per-word delta is known): every cached successor list may be slightly
   * off. They are kept and refreshed up to STALE_REFRESH per build, so a busy session does not turn
   * every snapshot into a cold build.
   */
  markStale(): void {
    for (const word of this.successors.keys()) this.stale.add(word);
  }

  /**
   * A packed snapshot of the `limit` most important neurons and up to twice as many rays.
   * `isCancelled` is checked between slices so a newer change can supersede this build.
   */
  async build(
    limit: number,
    isCancelled: () => boolean = () => false,
    onProgress?: (partial: BuiltField) => void,
  ): Promise<BuiltField | undefined> {
    const neurons = selectNeurons(this.sources.local, this.sources.team, limit);
    await yieldToEventLoop();
    if (isCancelled()) return undefined;
    const indexOf = new Map<string, number>();
    neurons.forEach((neuron, i) => indexOf.set(neuron.word, i));
    const rays = new RayCollector(indexOf, { perNeuron: RAYS_PER_NEURON });

    // A long cold build (a first opening of a big field) shows its neurons at once, then its rays
    // as they are found, at most once per PROGRESS_MS.
    let lastProgress = Date.now();
    const uncached = onProgress ? neurons.reduce((k, x) => k + (this.successors.has(x.word) ? 0 : 1), 0) : 0;
    if (onProgress && uncached > PROGRESS_MIN_UNCACHED) {
      for (let i = 0; i < neurons.length; i++) {
        const known = this.successors.get(neurons[i].word);
        if (known) rays.add(i, known);
      }
      onProgress(await this.snapshot(neurons, rays));
      lastProgress = Date.now();
    }

    const collected = new RayCollector(indexOf, { perNeuron: RAYS_PER_NEURON });
    let sliceStart = Date.now();
    let refreshed = 0;
    for (let i = 0; i < neurons.length; i++) {
      const word = neurons[i].word;
      let next = this.successors.get(word);
      if (next && this.stale.has(word) && refreshed < STALE_REFRESH) {
        this.stale.delete(word);
        refreshed++;
        next = undefined;
      }
      if (!next) {
        next = this.sources.predictNext([word], SUCCESSORS_ASKED);
        this.successors.set(word, next);
      }
      collected.add(i, next);
      if (Date.now() - sliceStart >= SLICE_MS) {
        await yieldToEventLoop();
        if (isCancelled()) return undefined;
        if (onProgress && Date.now() - lastProgress >= PROGRESS_MS) {
          onProgress(await this.snapshot(neurons, collected));
          lastProgress = Date.now();
        }
        sliceStart = Date.now();
      }
    }
    // Keep the cache to the words on show, so it cannot grow without bound.
    if (this.successors.size > 2 * neurons.length + 1000) {
      for (const word of this.successors.keys()) {
        if (indexOf.has(word)) continue;
        this.successors.delete(word);
        this.stale.delete(word);
      }
    }
    return this.snapshot(neurons, collected);
  }

  /** Packs the neurons and the rays collected so far; yields between the heavier steps. */
  private async snapshot(neurons: Neuron[], rays: RayCollector): Promise<BuiltField> {
    const now = Date.now();
    const n = neurons.length;
    const local = this.sources.local.stats();
    const team = this.sources.team.stats();
    const { from, to, weight } = rays.finish(2 * n);
    await yieldToEventLoop();
    const field: LightField = {
      version: ++this.version,
      words: neurons.map((x) => x.word),
      count: Float32Array.from(neurons, (x) => x.count),
      recency: Float32Array.from(neurons, (x) => this.recency.recency(x.word, now)),
      tone: Uint8Array.from(neurons, (x) => toneIndex(tokenKind(x.word))),
      flags: Uint8Array.from(neurons, (x) => x.flags),
      from,
      to,
      weight,
      stats: {
        vocabulary: local.vocabulary,
        ngrams: local.ngrams + team.ngrams,
        tokens: local.tokens + team.tokens,
        teamWords: neurons.reduce((sum, x) => sum + (x.flags === FLAG_TEAM ? 1 : 0), 0),
      },
    };
    await yieldToEventLoop();
    return { field, bytes: packField(field) };
  }
}
