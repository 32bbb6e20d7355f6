import { strict as assert } from 'node:assert';
import { comparePaths, splitOf, splitProject } from '../../../src/evaluation/split';

describe('evaluation/split', () => {
  it('sends sorted index 9 (mod 10) to test, 8 to validation, the rest to training', () => {
    assert.deepEqual(
      Array.from({ length: 20 }, (_, i) => splitOf(i)),
      [
        ...Array(8).fill('train'), 'validation', 'test',
        ...Array(8).fill('train'), 'validation', 'test',
      ],
    );
  });

  it('sorts paths before splitting, so the input order does not matter', () => {
    const paths = Array.from({ length: 12 }, (_, i) => `f${String(i).padStart(2, '0')}.js`);
    const shuffled = [paths[5], paths[11], paths[0], paths[9], paths[3], paths[8], paths[1], paths[10], paths[2], paths[7], paths[4], paths[6]];
    const split = splitProject(shuffled, (p) => p);
    assert.deepEqual(split.test, ['f09.js']);
    assert.deepEqual(split.validation, ['f08.js']);
    assert.deepEqual(split.train, ['f00.js', 'f01.js', 'f02.js', 'f03.js', 'f04.js', 'f05.js', 'f06.js', 'f07.js', 'f10.js', 'f11.js']);
  });

  it('orders by code units, not by locale (capitals before lower case, "/" before letters)', () => {
    assert.deepEqual(['b', 'a/z', 'B', 'a.js'].sort(comparePaths), ['B', 'a.js', 'a/z', 'b']);
  });

  it('puts every item in exactly one split', () => {
    const items = Array.from({ length: 37 }, (_, i) => ({ path: `dir/${i}` }));
    const split = splitProject(items, (x) => x.path);
    assert.equal(split.train.length + split.validation.length + split.test.length, 37);
    assert.equal(new Set([...split.train, ...split.validation, ...split.test]).size, 37);
    assert.equal(split.test.length, 3);
    assert.equal(split.validation.length, 3);
  });
});
