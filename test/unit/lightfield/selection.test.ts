import assert from 'node:assert/strict';
import { FLAG_LOCAL, FLAG_TEAM } from '../../../src/lightfield/packing';
import { RayCollector } from '../../../src/lightfield/rays';
import { RecencyClock } from '../../../src/lightfield/recency';
import { selectNeurons, type WordSource } from '../../../src/lightfield/selection';
import { TONES, toneIndex } from '../../../src/lightfield/tone';

function source(counts: Record<string, number>): WordSource {
  const words = Object.entries(counts).map(([word, count]) => ({ word, count })).sort((a, b) => b.count - a.count);
  return { topWords: (n) => words.slice(0, n), wordCount: (w) => counts[w] ?? 0 };
}

describe('neuron selection', () => {
  it('takes the most frequent words of both layers, counted together, without line breaks', () => {
    const local = source({ a: 10, b: 8, '\n': 100, c: 1 });
    const team = source({ c: 20, b: 1, d: 2 });
    const neurons = selectNeurons(local, team, 3);
    assert.deepEqual(neurons.map((x) => x.word), ['c', 'a', 'b']);
    assert.deepEqual(neurons.map((x) => x.count), [21, 10, 9]);
    assert.equal(neurons[0].flags, FLAG_LOCAL | FLAG_TEAM);
    assert.equal(neurons[1].flags, FLAG_LOCAL);
  });

  it('orders ties by word so the field is stable', () => {
    const neurons = selectNeurons(source({ z: 1, y: 1, x: 1 }), source({}), 3);
    assert.deepEqual(neurons.map((x) => x.word), ['x', 'y', 'z']);
  });

  it('marks words only the team knows', () => {
    assert.equal(selectNeurons(source({}), source({ t: 3 }), 1)[0].flags, FLAG_TEAM);
  });

  it('rejects a negative or fractional count', () => {
    assert.throws(() => selectNeurons(source({}), source({}), -1), RangeError);
    assert.throws(() => selectNeurons(source({}), source({}), 1.5), RangeError);
  });
});

describe('rays', () => {
  const indexOf = new Map([['a', 0], ['b', 1], ['c', 2]]);

  it('keeps successors that are neurons, skipping self-loops and unknown words', () => {
    const rays = new RayCollector(indexOf, { perNeuron: 2 });
    rays.add(0, [{ token: 'a', probability: 0.5 }, { token: 'zzz', probability: 0.3 }, { token: 'b', probability: 0.2 }, { token: 'c', probability: 0.1 }]);
    const { from, to, weight } = rays.finish();
    assert.deepEqual(Array.from(from), [0, 0]);
    assert.deepEqual(Array.from(to), [1, 2]);
    assert.deepEqual(Array.from(weight), [Math.fround(0.2), Math.fround(0.1)]);
  });

  it('keeps the strongest rays when over the cap', () => {
    const rays = new RayCollector(indexOf);
    rays.add(0, [{ token: 'b', probability: 0.1 }]);
    rays.add(1, [{ token: 'c', probability: 0.9 }]);
    rays.add(2, [{ token: 'a', probability: 0.5 }]);
    const { from, weight } = rays.finish(2);
    assert.deepEqual(Array.from(from), [1, 2]);
    assert.deepEqual(Array.from(weight), [Math.fround(0.9), Math.fround(0.5)]);
  });
});

describe('recency', () => {
  it('is 1 for a word seen now, halves every half-life, and 0 for words never seen', () => {
    const clock = new RecencyClock(1000);
    clock.touch('x', 5000);
    assert.equal(clock.recency('x', 5000), 1);
    assert.equal(clock.recency('x', 6000), 0.5);
    assert.equal(clock.recency('never', 6000), 0);
    clock.forget('x');
    assert.equal(clock.recency('x', 6000), 0);
  });

  it('holds at most its capacity, dropping the oldest', () => {
    const clock = new RecencyClock(1000, 2);
    clock.touch('a', 1);
    clock.touch('b', 2);
    clock.touch('a', 3);
    clock.touch('c', 4);
    assert.equal(clock.recency('b', 4), 0);
    assert.ok(clock.recency('a', 4) > 0);
  });
});

describe('tone', () => {
  it('gives each kind of word its own index', () => {
    assert.equal(new Set(TONES.map(toneIndex)).size, TONES.length);
    assert.throws(() => toneIndex('bogus' as never), RangeError);
  });
});
