// The scene on the GPU, derived from the view model: per-neuron sizes and tones from a new field,
// collaborators' rings at their words' positions, a searched phrase's path. It follows the model's
// changes and hands the renderer exactly the parts that changed; a new renderer (the GPU came back)
// gets everything.
import { ALL_CHANGES, type Scene, type SceneChange } from './render/layer';
import type { Renderer } from './render/renderer';
import type { FieldViewModel, ModelChange } from './viewModel';

const SCENE_CHANGES: Record<ModelChange, readonly SceneChange[]> = {
  field: [...ALL_CHANGES],
  // Collaborators' rings sit on their words, so they move with them.
  positions: ['positions', 'peers'],
  light: ['light'],
  peers: ['peers'],
  hover: [],
  selection: [],
  path: ['path'],
  settings: [],
};

export class FieldScene implements Scene {
  neurons: Scene['neurons'] = { tone: new Float32Array(0), size: new Float32Array(0), recency: new Float32Array(0) };
  peers: Scene['peers'] = { positions: new Float32Array(0), colors: new Float32Array(0) };
  private readonly unsubscribe: () => void;

  constructor(
    private readonly model: FieldViewModel,
    private readonly renderer: () => Renderer | undefined,
  ) {
    this.unsubscribe = model.subscribe((change) => this.follow(change));
  }

  get rays(): Scene['rays'] {
    const field = this.model.field;
    return field ?? { from: new Uint32Array(0), to: new Uint32Array(0), weight: new Float32Array(0) };
  }

  get positions(): Scene['positions'] {
    return this.model.positions;
  }

  get light(): Scene['light'] {
    return this.model.light;
  }

  get path(): Scene['path'] {
    const path = this.model.path;
    return path ? { steps: Uint32Array.from(path.steps), litAt: path.litAt, hop: path.hop } : { steps: new Uint32Array(0), litAt: 0, hop: 0 };
  }

  /** Uploads the whole scene to a renderer that has just started. */
  uploadTo(renderer: Renderer): void {
    if (this.model.field) renderer.update(this, ALL_CHANGES);
  }

  dispose(): void {
    this.unsubscribe();
  }

  private follow(change: ModelChange): void {
    const changes = SCENE_CHANGES[change];
    if (changes.length === 0) return;
    if (change === 'field') this.deriveNeurons();
    if (changes.includes('peers')) this.derivePeers();
    if (this.model.field) this.renderer()?.update(this, new Set(changes));
  }

  /** Sizes grow with the log of a word's count, relative to the most frequent word. */
  private deriveNeurons(): void {
    const field = this.model.field;
    if (!field) return;
    let maxCount = 1;
    for (const c of field.count) maxCount = Math.max(maxCount, c);
    const logMax = Math.log(maxCount + 1);
    this.neurons = {
      tone: Float32Array.from(field.tone),
      size: Float32Array.from(field.count, (c) => 0.35 + 0.9 * (Math.log(c + 1) / logMax)),
      recency: field.recency,
    };
  }

  /** A ring per collaborator whose word is on show, where that word is going. */
  private derivePeers(): void {
    const target = this.model.positions.to;
    const shown = this.model.peers.flatMap((peer) => {
      const i = this.model.indexOfWord(peer.word);
      return i === undefined ? [] : [{ i, color: peer.color }];
    });
    const positions = new Float32Array(2 * shown.length);
    const colors = new Float32Array(3 * shown.length);
    shown.forEach(({ i, color }, k) => {
      positions[2 * k] = target[2 * i];
      positions[2 * k + 1] = target[2 * i + 1];
      colors.set(parseColor(color), 3 * k);
    });
    this.peers = { positions, colors };
  }
}

/** Linear RGB of a `#rrggbb` colour; white for anything else. */
export function parseColor(css: string): [number, number, number] {
  const hex = /^#?([0-9a-f]{6})$/i.exec(css.trim());
  if (!hex) return [1, 1, 1];
  const value = parseInt(hex[1], 16);
  return [((value >> 16) & 255) / 255, ((value >> 8) & 255) / 255, (value & 255) / 255];
}
