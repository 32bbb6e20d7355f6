import assert from 'node:assert/strict';
import { FieldViewModel, type ModelChange } from '../../../src/webview/viewModel';
import { field } from './fields';

function model(options: { reduces?: boolean } = {}) {
  let now = 0;
  const changes: ModelChange[] = [];
  const m = new FieldViewModel({ now: () => now, systemReducesMotion: () => options.reduces ?? false });
  m.subscribe((change) => changes.push(change));
  return { m, changes, advance: (seconds: number) => (now += seconds) };
}

describe('the light field’s view model', () => {
  it('announces every change to its subscribers, and nothing when nothing changed', () => {
    const { m, changes } = model();
    m.setField(field(['a', 'b']), false);
    m.hover(1);
    m.hover(1);
    m.select(0);
    m.ignite('a', []);
    m.setPeers([{ id: 'p', name: 'Ada', color: '#ff0000', word: 'b' }]);
    assert.deepEqual(changes, ['field', 'hover', 'selection', 'light', 'peers']);
  });

  it('keeps the light, the place and the lit words of words still on show in a new field', () => {
    const { m } = model();
    m.setField(field(['a', 'b', 'c'], [[0, 1, 0.9]]), false);
    m.ignite('a', [{ token: 'b', probability: 0.5 }]);
    const [bx, by] = m.positionOf(1);
    const lit = m.litOrder.map((i) => m.wordAt(i));
    assert.ok(lit.includes('a') && lit.includes('b'), `lit ${lit}`);

    const placement = m.setField(field(['z', 'b', 'a'], [], 2), true);
    const b = m.indexOfWord('b')!;
    assert.deepEqual(m.positionOf(b), [bx, by]);
    assert.ok(m.light.energy[m.indexOfWord('a')!] > 0, 'a keeps its light');
    assert.equal(m.light.energy[m.indexOfWord('z')!], 0);
    assert.deepEqual(new Set(m.litOrder.map((i) => m.wordAt(i))), new Set(lit));
    assert.ok(placement.kept.has('b') && !placement.kept.has('z'));
    assert.equal(placement.first, false);
  });

  it('clears hover and selection when the field changes', () => {
    const { m } = model();
    m.setField(field(['a', 'b']), false);
    m.hover(0);
    m.select(1);
    m.setField(field(['a', 'b'], [], 2), false);
    assert.equal(m.hovered, -1);
    assert.equal(m.selected, -1);
  });

  it('tweens to a refined layout of the field on show, and ignores one of a field no longer shown', () => {
    const { m, advance, changes } = model();
    const first = field(['a', 'b']);
    m.setField(first, false);
    const start = m.positionOf(0);
    assert.equal(m.moveTo(first, new Float32Array([start[0] + 10, start[1], 0, 0])), true);
    assert.equal(changes.at(-1), 'positions');
    assert.deepEqual(m.positionOf(0), start, 'the tween starts where the neuron was');
    advance(0.4);
    const mid = m.positionOf(0)[0];
    assert.ok(mid > start[0] && mid < start[0] + 10, `mid-tween at ${mid}`);
    advance(1);
    assert.equal(m.positionOf(0)[0], Math.fround(start[0] + 10));

    m.setField(field(['a', 'b'], [], 2), false);
    assert.equal(m.moveTo(first, new Float32Array(4)), false);
  });

  it('jumps at once, without pulses, under reduced motion: the setting first, the system on auto', () => {
    const { m } = model({ reduces: true });
    assert.equal(m.motion, 0);
    m.setSettings({ reduceMotion: 'off', neuronLimit: 10 });
    assert.equal(m.motion, 1);
    m.setSettings({ reduceMotion: 'on', neuronLimit: 10 });
    assert.equal(m.motion, 0);
    const shown = field(['a']);
    m.setField(shown, false);
    m.moveTo(shown, new Float32Array([5, 5]));
    assert.deepEqual(m.positionOf(0), [5, 5]);
  });

  it('marks when the field grew, for the backlight’s swell', () => {
    const { m, advance } = model();
    m.setField(field(['a']), true);
    assert.equal(m.lastGrowth, -1e9, 'a first field is not growth');
    advance(3);
    m.setField(field(['a', 'b'], [], 2), true);
    assert.equal(m.lastGrowth, 3);
  });
});

describe('a phrase’s path in the view model', () => {
  const words = ['the', 'keeper', 'trims', 'wick', 'oil'];
  const phrase = (...w: string[]) => ({ words: w, cut: false });

  it('lights each word of the path in order, a hop apart, and nothing else', () => {
    const { m, changes } = model();
    m.setField(field(words, [[0, 1, 0.9], [1, 4, 0.5]]), false);
    changes.length = 0;
    const path = m.lightPath(phrase('the', 'keeper', 'lamp', 'wick'));
    assert.deepEqual(path.steps, [0, 1, 3]);
    assert.deepEqual(path.missing, ['lamp']);
    assert.deepEqual(changes, ['light', 'path']);
    const { energy, igniteAt } = m.light;
    assert.deepEqual([0, 1, 3].map((i) => energy[i] > 0), [true, true, true]);
    assert.ok(igniteAt[0] < igniteAt[1] && igniteAt[1] < igniteAt[3], `light arrives in order: ${[...igniteAt]}`);
    assert.equal(energy[4], 0, 'a successor of a path word is not part of the path');
    assert.equal(energy[2], 0);
  });

  it('lights it again only when its words on show change, or when asked to', () => {
    const { m, advance } = model();
    m.setField(field(words), false);
    const first = m.lightPath(phrase('the', 'keeper', 'lam'));
    advance(2);
    const typedOn = m.lightPath(phrase('the', 'keeper', 'lamp'));
    assert.equal(typedOn.litAt, first.litAt, 'the same words on show: the light is not lit again');
    assert.deepEqual(typedOn.missing, ['lamp'], 'but what was skipped is up to date');
    assert.equal(m.lightPath(phrase('the', 'keeper', 'lamp'), true).litAt, 2);
    advance(1);
    assert.equal(m.lightPath(phrase('the', 'keeper', 'wick')).litAt, 3);
  });

  it('lights every word at once under reduced motion', () => {
    const { m } = model({ reduces: true });
    m.setField(field(words), false);
    const path = m.lightPath(phrase('the', 'keeper', 'wick'));
    assert.equal(path.hop, 0);
    assert.deepEqual([0, 1, 3].map((i) => m.light.igniteAt[i]), [0, 0, 0]);
  });

  it('finds the path again in a new field, keeping when it was lit; ends on request', () => {
    const { m, advance, changes } = model();
    m.setField(field(words), false);
    m.lightPath(phrase('the', 'keeper', 'lamp'));
    advance(1);
    m.setField(field(['lamp', 'keeper', 'the'], [], 2), false);
    assert.deepEqual(m.path?.steps, [2, 1, 0]);
    assert.deepEqual(m.path?.missing, []);
    assert.equal(m.path?.litAt, 0);
    changes.length = 0;
    m.endPath();
    m.endPath();
    assert.equal(m.path, undefined);
    assert.deepEqual(changes, ['path'], 'ending twice announces once');
  });
});
