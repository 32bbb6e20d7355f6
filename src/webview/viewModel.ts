// The light field as the user sees it, in one place: the field on show, where its neurons are, the
// light they received, the collaborators, the hovered and the selected word, the phrase whose path
// is lit, the motion setting.
// It changes only through its methods, and every change is announced to its subscribers (the scene
// on the GPU, the cards, picking, framing), so no caller has to remember what to refresh.
// No DOM here: the clock and the system's motion preference are handed in.
import { seedPositions } from '../lightfield/layout';
import type { LightField } from '../lightfield/packing';
import type { FieldSettings, PeerMessage, PredictionMessage } from '../protocol/lightMessages';
import { HOP_SECONDS, Ignition } from './ignition';
import { resolvePath, sameSteps, type Phrase, type ResolvedPath } from './phrasePath';
import { PositionTween } from './tween';

/** What changed. 'field' means everything did: a new field replaces positions, light and selection. */
export type ModelChange = 'field' | 'positions' | 'light' | 'peers' | 'hover' | 'selection' | 'path' | 'settings';

/** How many of the words an ignition lit keep their names on screen. */
const NAMED_LIT_WORDS = 12;

/** A phrase's path on show: its words found in the field on show, and when its light entered. */
export interface LitPath extends ResolvedPath {
  /** When the path was lit (seconds on the view's clock); a new field keeps it. */
  readonly litAt: number;
  /** Seconds between one word's light and the next's (0 under reduced motion: all at once). */
  readonly hop: number;
}

/** Where a new field's neurons start, for the layout that refines them. */
export interface FieldPlacement {
  seeded: Float32Array;
  /** Words that were on show before and keep their place (they move less in the layout). */
  kept: { has(word: string): boolean };
  first: boolean;
}

export interface ViewModelEnvironment {
  /** Seconds on the view's clock. */
  now(): number;
  /** Whether the system asks for reduced motion (followed when the setting says 'auto'). */
  systemReducesMotion(): boolean;
}

export class FieldViewModel {
  private current: LightField | undefined;
  private indexOf: ReadonlyMap<string, number> = new Map();
  private ignition: Ignition | undefined;
  private lit: number[] = [];
  private hoveredIndex = -1;
  private selectedIndex = -1;
  private litPath: LitPath | undefined;
  /** Lower-cased word -> its most frequent neuron, built when a path first needs it. */
  private caseless: Map<string, number> | undefined;
  private peerList: readonly PeerMessage[] = [];
  private settings: FieldSettings = { reduceMotion: 'auto', neuronLimit: 0 };
  private grewAt = -1e9;
  private readonly tween = new PositionTween();
  private readonly listeners = new Set<(change: ModelChange) => void>();

  constructor(private readonly env: ViewModelEnvironment) {}

  /** Calls `listener` after every change; returns the unsubscribe. */
  subscribe(listener: (change: ModelChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(change: ModelChange): void {
    for (const listener of this.listeners) listener(change);
  }

  get field(): LightField | undefined {
    return this.current;
  }

  wordAt(i: number): string {
    return this.current?.words[i] ?? '';
  }

  indexOfWord(word: string): number | undefined {
    return this.indexOf.get(word);
  }

  get hovered(): number {
    return this.hoveredIndex;
  }

  get selected(): number {
    return this.selectedIndex;
  }

  get peers(): readonly PeerMessage[] {
    return this.peerList;
  }

  /** The phrase whose path is lit, resolved against the field on show; undefined when none. */
  get path(): LitPath | undefined {
    return this.litPath;
  }

  /** Neurons lit by the last ignition, brightest first. */
  get litOrder(): readonly number[] {
    return this.lit;
  }

  /** Light per neuron: how much, and when it arrives (seconds on the view's clock). */
  get light(): { readonly energy: Float32Array; readonly igniteAt: Float32Array } {
    return this.ignition ?? { energy: new Float32Array(0), igniteAt: new Float32Array(0) };
  }

  /** When the field last grew from training or the team (the backlight swells). */
  get lastGrowth(): number {
    return this.grewAt;
  }

  /** 1 when pulses and travelling light are on, 0 under reduced motion. */
  get motion(): number {
    if (this.settings.reduceMotion === 'on') return 0;
    if (this.settings.reduceMotion === 'off') return 1;
    return this.env.systemReducesMotion() ? 0 : 1;
  }

  /** The two ends of the position tween (see PositionTween). */
  get positions(): { readonly from: Float32Array; readonly to: Float32Array } {
    return this.tween;
  }

  /** 0..1 along the position tween now. */
  tweenProgress(): number {
    return this.tween.progress(this.env.now(), this.motion);
  }

  /** Where a neuron is drawn now (mid-tween included). */
  positionOf(i: number): [number, number] {
    return this.tween.positionAt(i, this.tweenProgress());
  }

  setSettings(settings: FieldSettings): void {
    this.settings = settings;
    this.changed('settings');
  }

  /**
   * Shows a new field: words still on show keep their place and their light, new words are seeded
   * beside their neighbours; hover and selection are cleared. `grew`: it grew from training or the team.
   */
  setField(field: LightField, grew: boolean): FieldPlacement {
    const previous = this.current;
    const previousPositions = new Map<string, readonly [number, number]>();
    previous?.words.forEach((word, i) => previousPositions.set(word, this.positionOf(i)));
    const graph = { size: field.words.length, from: field.from, to: field.to, weight: field.weight };
    const seeded = seedPositions(field.words, graph, previousPositions);

    const indexOf = new Map(field.words.map((w, i) => [w, i]));
    const ignition = new Ignition(field, indexOf);
    if (this.ignition && previous) ignition.carryFrom(this.ignition, previous.words);
    this.lit = previous ? this.lit.map((i) => indexOf.get(previous.words[i]) ?? -1).filter((i) => i >= 0) : [];
    this.current = field;
    this.indexOf = indexOf;
    this.caseless = undefined;
    this.ignition = ignition;
    // The phrase stays lit: its words are found again among the new field's (some may come or go).
    if (this.litPath) this.litPath = { ...this.resolve(this.litPath), litAt: this.litPath.litAt, hop: this.litPath.hop };
    this.hoveredIndex = -1;
    this.selectedIndex = -1;
    this.tween.place(seeded);
    if (grew && previous) this.grewAt = this.env.now();
    this.changed('field');
    return { seeded, kept: previousPositions, first: !previous };
  }

  /** Moves the neurons of `field` (if it is still the one on show) towards refined positions. */
  moveTo(field: LightField, positions: Float32Array): boolean {
    if (field !== this.current) return false;
    this.tween.moveTo(positions, this.env.now(), this.tweenProgress());
    this.changed('positions');
    return true;
  }

  /** Lights a word and what the memory expects after it. */
  ignite(word: string, predictions: readonly PredictionMessage[]): void {
    if (!this.ignition) return;
    const lit = this.ignition.ignite(word, predictions, this.env.now());
    if (lit.length) this.lit = lit.slice(0, NAMED_LIT_WORDS);
    this.changed('light');
  }

  /**
   * Lights the path of a phrase: its words on show, in order, light arriving at each in turn (see
   * Ignition.ignitePath). When the words found are the ones already lit, the light is not lit again
   * (typing the next letters of a word not on show changes only what was skipped) unless `relight`.
   */
  lightPath(phrase: Phrase, relight = false): LitPath {
    const resolved = this.resolve(phrase);
    const previous = this.litPath;
    if (previous && !relight && sameSteps(previous.steps, resolved.steps)) {
      this.litPath = { ...resolved, litAt: previous.litAt, hop: previous.hop };
    } else {
      const now = this.env.now();
      this.litPath = { ...resolved, litAt: now, hop: this.motion ? HOP_SECONDS : 0 };
      if (this.ignition && resolved.steps.length) {
        this.ignition.ignitePath(resolved.steps, now, this.litPath.hop);
        this.changed('light');
      }
    }
    this.changed('path');
    return this.litPath;
  }

  /** The phrase's path goes (its light fades as any light does). */
  endPath(): void {
    if (!this.litPath) return;
    this.litPath = undefined;
    this.changed('path');
  }

  setPeers(peers: readonly PeerMessage[]): void {
    this.peerList = peers;
    this.changed('peers');
  }

  /** The neuron under the pointer, or -1. */
  hover(i: number): void {
    if (i === this.hoveredIndex) return;
    this.hoveredIndex = i;
    this.changed('hover');
  }

  /** The neuron whose card is open, or -1. */
  select(i: number): void {
    this.selectedIndex = i;
    this.changed('selection');
  }

  private resolve(phrase: Phrase): ResolvedPath {
    return resolvePath(phrase, (w) => this.indexOf.get(w), (lower) => this.caselessIndex().get(lower));
  }

  private caselessIndex(): ReadonlyMap<string, number> {
    if (this.caseless) return this.caseless;
    const caseless = new Map<string, number>();
    // Words come most frequent first: the first of a spelling's cases wins.
    this.current?.words.forEach((w, i) => {
      const lower = w.toLowerCase();
      if (!caseless.has(lower)) caseless.set(lower, i);
    });
    return (this.caseless = caseless);
  }
}
