import assert from 'node:assert/strict';
import { measureRecall, recallProbes } from '../../../src/evaluation/recall';

describe('evaluation/recall', () => {
  const train = [{ text: 'const total = add(one, two);\nconst total = add(one, two);\nreturn once;\n' }];
  const test = [{ text: 'x\n  const total = add(one, two);\nreturn once;\n' }];

  it('probes only test lines seen at least twice in training, at half their length', () => {
    const probes = recallProbes(train, test, 100);
    assert.equal(probes.eligible, 1);
    const [p] = probes.probes;
    const line = 'const total = add(one, two);';
    assert.equal(test[0].text.slice(0, p.cursor), `x\n  ${line.slice(0, line.length / 2)}`);
    assert.equal(p.rest, line.slice(line.length / 2));
  });

  it('counts a hit only when the ghost text starts with the very next word', () => {
    const probes = recallProbes(train, test, 100);
    const rest = probes.probes[0].rest;
    assert.equal(rest, 'add(one, two);');
    assert.equal(measureRecall(test, probes, () => () => rest).hits, 1);
    assert.equal(measureRecall(test, probes, () => () => 'add(other').hits, 1); // the next word is "add"
    assert.equal(measureRecall(test, probes, () => () => 'x').hits, 0);
    assert.equal(measureRecall(test, probes, () => () => undefined).recall, 0);
  });

  it('samples evenly down to the asked number of lines', () => {
    const many = [{ text: 'a b\n'.repeat(50) }];
    const probes = recallProbes([{ text: 'a b\na b\n' }], many, 10);
    assert.equal(probes.eligible, 50);
    assert.equal(probes.probes.length, 10);
  });
});
