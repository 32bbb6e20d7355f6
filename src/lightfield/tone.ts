// Tone (hue) of a neuron: the kind of word it is. One small index per kind keeps the packed field
// compact and lets the shader pick the colour from a palette.
import type { TokenKind } from '../memory/types';

export const TONES = ['identifier', 'keyword', 'number', 'punctuation', 'word', 'newline'] as const;
export type Tone = (typeof TONES)[number];

const TONE_INDEX: ReadonlyMap<TokenKind, number> = new Map(TONES.map((t, i) => [t, i]));

export function toneIndex(kind: TokenKind): number {
  const index = TONE_INDEX.get(kind);
  if (index === undefined) throw new RangeError(`Unknown token kind: ${kind}`);
  return index;
}

/** Linear RGB (0..1) per tone, chosen to stay distinct under additive blending on a dark field. */
export const TONE_COLORS: readonly (readonly [number, number, number])[] = [
  [0.35, 0.75, 1.0], // identifier: cool blue
  [1.0, 0.55, 0.25], // keyword: amber
  [0.55, 1.0, 0.45], // number: green
  [0.75, 0.6, 1.0], // punctuation: violet
  [1.0, 0.9, 0.6], // prose word: warm white
  [0.6, 0.6, 0.6], // newline: grey (normally not shown)
];

/** Words for the legend, in tone order. */
export const TONE_LABELS: readonly string[] = [
  'identifiers',
  'keywords',
  'numbers',
  'punctuation',
  'prose words',
  'line breaks',
];
