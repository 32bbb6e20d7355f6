import { strict as assert } from 'node:assert';
import { flag, integerOption, parseCommandArgs, requiredString, stringOption } from '../../../src/cli/args';
import { UsageError } from '../../../src/cli/command';

describe('cli/args', () => {
  const spec = { output: { type: 'string', short: 'o' }, json: { type: 'boolean' }, order: { type: 'string' } } as const;

  it('reads options, short forms, flags and positionals', () => {
    const parsed = parseCommandArgs(['a', '-o', 'm.bin', 'b', '--json', '--order=4'], { ...spec });
    assert.deepEqual(parsed.positionals, ['a', 'b']);
    assert.equal(stringOption(parsed, 'output'), 'm.bin');
    assert.equal(flag(parsed, 'json'), true);
    assert.equal(integerOption(parsed, 'order', 6, 2, 10), 4);
  });

  it('turns unknown options and missing values into usage errors', () => {
    assert.throws(() => parseCommandArgs(['--nope'], { ...spec }), (e: unknown) => e instanceof UsageError && /--nope/.test(e.message));
    assert.throws(() => parseCommandArgs(['-o'], { ...spec }), UsageError);
  });

  it('validates integers and their range', () => {
    const bad = parseCommandArgs(['--order', 'six'], { ...spec });
    assert.throws(() => integerOption(bad, 'order', 6, 2, 10), /must be an integer/);
    const far = parseCommandArgs(['--order', '11'], { ...spec });
    assert.throws(() => integerOption(far, 'order', 6, 2, 10), /between 2 and 10/);
    assert.equal(integerOption(parseCommandArgs([], { ...spec }), 'order', 6, 2, 10), 6);
  });

  it('requires required options', () => {
    assert.throws(() => requiredString(parseCommandArgs([], { ...spec }), 'output'), /missing required option --output/);
  });
});
