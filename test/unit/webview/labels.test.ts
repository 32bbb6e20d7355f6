import assert from 'node:assert/strict';
import { chooseLabels, type LabelScreen, type LabelSource } from '../../../src/webview/labels';

/** Neuron i is drawn at (10 i, 10); only x <= 100 is on screen. */
const screen: LabelScreen = { screenOf: (i) => [10 * i, 10], isOnScreen: ([x]) => x <= 100 };

function source(overrides: Partial<LabelSource> = {}): LabelSource {
  const words = Array.from({ length: 20 }, (_, i) => `w${i}`);
  return {
    field: { words },
    litOrder: [],
    light: { energy: new Float32Array(20), igniteAt: new Float32Array(20).fill(-1e6) },
    peers: [],
    selected: -1,
    motion: 1,
    indexOfWord: (word) => (words.includes(word) ? words.indexOf(word) : undefined),
    ...overrides,
  };
}

describe('labels on the light field', () => {
  it('names lit words while their light lasts, brightest strong', () => {
    const energy = new Float32Array(20);
    const igniteAt = new Float32Array(20).fill(-1e6);
    energy[2] = 1;
    igniteAt[2] = 0;
    energy[3] = 0.2;
    igniteAt[3] = 0;
    energy[4] = 1;
    igniteAt[4] = 5; // its light has not arrived yet
    const labels = chooseLabels(source({ litOrder: [2, 3, 4], light: { energy, igniteAt } }), screen, 0.5, 1);
    assert.deepEqual(labels.map((l) => [l.text, !!l.strong]), [['w2', true], ['w3', false]]);
    assert.deepEqual(chooseLabels(source({ litOrder: [2], light: { energy, igniteAt } }), screen, 60, 1), [], 'faded');
  });

  it('names collaborators on their words, the selection, and close up the words in view', () => {
    const peers = [{ id: 'p', name: 'Ada', color: '#40b0e0', word: 'w1' }];
    const labels = chooseLabels(source({ peers, selected: 5 }), screen, 0, 1);
    assert.deepEqual(labels, [
      { text: 'Ada: w1', x: 10, y: 28, color: '#40b0e0', strong: true },
      { text: 'w5', x: 50, y: 10, strong: true },
    ]);
    const close = chooseLabels(source({ selected: 5 }), screen, 0, 20).map((l) => l.text);
    assert.deepEqual(close, ['w5', 'w0', 'w1', 'w2', 'w3', 'w4', 'w6', 'w7', 'w8', 'w9', 'w10'], 'each word once, off-screen ones left out');
  });
});

describe('labels of a phrase’s path', () => {
  it('names the path’s words from when its light reaches them, for as long as the path is shown', () => {
    const path = { steps: [4, 2, 4], litAt: 0, hop: 1 };
    assert.deepEqual(chooseLabels(source({ path }), screen, 0.5, 1).map((l) => [l.text, !!l.strong]), [['w4', true]]);
    assert.deepEqual(chooseLabels(source({ path }), screen, 600, 1).map((l) => l.text), ['w4', 'w2'], 'long after any light faded');
  });
});
