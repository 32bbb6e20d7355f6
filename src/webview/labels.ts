// Which words are named on screen each frame: the words of a searched phrase's path (while it is
// shown, from when its light reaches them), the words an ignition lit (while their light lasts),
// collaborators with the word they type, the selected word, and close up the biggest words in view.
import type { PeerMessage } from '../protocol/lightMessages';

export interface Label {
  text: string;
  x: number;
  y: number;
  color?: string;
  strong?: boolean;
}

/** What labelling reads; the view model provides it. */
export interface LabelSource {
  readonly field: { readonly words: readonly string[] } | undefined;
  readonly litOrder: readonly number[];
  readonly light: { readonly energy: Float32Array; readonly igniteAt: Float32Array };
  readonly peers: readonly PeerMessage[];
  readonly selected: number;
  readonly motion: number;
  readonly path?: { readonly steps: readonly number[]; readonly litAt: number; readonly hop: number };
  indexOfWord(word: string): number | undefined;
}

export interface LabelScreen {
  screenOf(i: number): [number, number];
  isOnScreen(at: readonly [number, number]): boolean;
}

/** Zoom (pixels per world unit) past which the biggest words on screen are named too. */
const CLOSE_UP_ZOOM = 18;
const MAX_CLOSE_UP_LABELS = 40;
const MAX_LABELS = 60;
/** Light below which a lit word's name goes. */
const NAMED_LIGHT = 0.08;
const STRONG_LIGHT = 0.5;
/** Collaborators' names sit below their ring. */
const PEER_LABEL_OFFSET = 18;

export function chooseLabels(source: LabelSource, screen: LabelScreen, time: number, zoom: number): Label[] {
  const field = source.field;
  if (!field) return [];
  const labels: Label[] = [];
  const named = new Set<number>();
  const fade = source.motion ? 3 : 8;
  const { energy, igniteAt } = source.light;
  const path = source.path;
  path?.steps.forEach((i, k) => {
    if (named.has(i) || time < path.litAt + k * path.hop) return;
    const at = screen.screenOf(i);
    if (screen.isOnScreen(at)) labels.push({ text: field.words[i], x: at[0], y: at[1], strong: true });
    named.add(i);
  });
  for (const i of source.litOrder) {
    if (named.has(i)) continue;
    const light = energy[i] * Math.exp(-Math.max(0, time - igniteAt[i]) / fade);
    if (time < igniteAt[i] || light < NAMED_LIGHT) continue;
    const at = screen.screenOf(i);
    if (screen.isOnScreen(at)) labels.push({ text: field.words[i], x: at[0], y: at[1], strong: light > STRONG_LIGHT });
    named.add(i);
  }
  for (const peer of source.peers) {
    const i = source.indexOfWord(peer.word);
    if (i === undefined) continue;
    const at = screen.screenOf(i);
    if (screen.isOnScreen(at)) labels.push({ text: `${peer.name}: ${peer.word}`, x: at[0], y: at[1] + PEER_LABEL_OFFSET, color: peer.color, strong: true });
  }
  const selected = source.selected;
  if (selected >= 0 && !named.has(selected)) {
    const at = screen.screenOf(selected);
    if (screen.isOnScreen(at)) labels.push({ text: field.words[selected], x: at[0], y: at[1], strong: true });
    named.add(selected);
  }
  if (zoom > CLOSE_UP_ZOOM) {
    for (let i = 0, shown = 0; i < field.words.length && shown < MAX_CLOSE_UP_LABELS && labels.length < MAX_LABELS; i++) {
      const at = screen.screenOf(i);
      if (named.has(i) || !screen.isOnScreen(at)) continue;
      labels.push({ text: field.words[i], x: at[0], y: at[1] });
      shown++;
    }
  }
  return labels;
}
