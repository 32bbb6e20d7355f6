import { strict as assert } from 'node:assert';
import { autoIndentMask, keystrokeSavings, nextWordLength, simulateTyping, type GhostTextSource } from '../../../src/evaluation/keystrokes';
import { perFileAllowance, strideFor, typingWindows } from '../../../src/evaluation/sampling';

/** A ghost-text source that knows the text and proposes exactly `n` characters of what follows. */
function oracle(text: string, n: number): GhostTextSource {
  return (before) => text.slice(before.length, before.length + n);
}

describe('evaluation/keystrokes', () => {
  describe('nextWordLength (VS Code acceptNextWord)', () => {
    it('takes the first word when the ghost text starts with one', () => {
      assert.equal(nextWordLength('foo bar'), 3);
      assert.equal(nextWordLength('foo(bar)'), 3);
    });
    it('takes leading separators up to the next word, but only one run of whitespace', () => {
      assert.equal(nextWordLength('(bar)'), 1);
      assert.equal(nextWordLength(' bar'), 1);
      assert.equal(nextWordLength('.map(x'), 1);
      assert.equal(nextWordLength('  '), 2);
    });
    it('takes everything when there is no word', () => {
      assert.equal(nextWordLength('();'), 3);
    });
  });

  it('marks only indentation after a line break as free', () => {
    assert.deepEqual([...autoIndentMask('  a\n  b c\n\tx')], [0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0]);
  });

  it('costs one keystroke per character without ghost text (0% saved)', () => {
    const result = simulateTyping('hello world', () => undefined);
    assert.equal(result.characters, 11);
    assert.equal(result.keystrokes, 11);
    assert.equal(keystrokeSavings([result]), 0);
  });

  it('accepts the whole ghost text with Tab when it is exactly what follows', () => {
    // "ab cd": at the start the ghost shows all five characters: one keystroke.
    const result = simulateTyping('ab cd', oracle('ab cd', 99));
    assert.equal(result.keystrokes, 1);
    assert.equal(result.acceptances, 1);
    assert.equal(keystrokeSavings([result]), 1 - 1 / 5);
  });

  it('accepts only the next word when the rest of the ghost text is wrong', () => {
    // Text "foo bar"; the ghost always says "foo baz": Ctrl+→ takes "foo" (1 key), then " baz"'s
    // next word is " " (1 key), then the ghost at "foo " is wrong from the start: typed b, a, r.
    const text = 'foo bar';
    const ghost: GhostTextSource = (before) => (before === '' ? 'foo baz' : before === 'foo' ? ' baz' : undefined);
    const result = simulateTyping(text, ghost);
    assert.equal(result.keystrokes, 1 + 1 + 3);
    assert.equal(result.characters, 7);
  });

  it('types one character when neither choice matches', () => {
    const result = simulateTyping('abc', () => 'xyz');
    assert.equal(result.keystrokes, 3);
    assert.equal(result.acceptances, 0);
  });

  it('gets indentation after a newline for free and leaves it out of the characters', () => {
    // "a\n    b": typed a, newline, (4 spaces free), b = 3 keystrokes for 3 characters.
    const result = simulateTyping('a\n    b', () => undefined);
    assert.equal(result.characters, 3);
    assert.equal(result.keystrokes, 3);
  });

  it('replays only the window asked for, with the text before it as context', () => {
    const text = 'one two three';
    const seen: string[] = [];
    const result = simulateTyping(text, (before) => (seen.push(before), undefined), { start: 4, end: 7 });
    assert.equal(result.characters, 3);
    assert.deepEqual(seen, ['one ', 'one t', 'one tw']);
  });

  it('never accepts ghost text that runs past the end of the window', () => {
    const text = 'abcdef';
    const result = simulateTyping(text, oracle(text, 99), { start: 0, end: 3 });
    // The whole ghost "abcdef" overruns the window and its next word is the same: typed by hand.
    assert.equal(result.keystrokes, 3);
  });

  it('sums keystrokes and characters over results before dividing', () => {
    const a = { characters: 10, keystrokes: 5, acceptances: 1, acceptedCharacters: 6, completionCalls: 5 };
    const b = { characters: 30, keystrokes: 30, acceptances: 0, acceptedCharacters: 0, completionCalls: 30 };
    assert.equal(keystrokeSavings([a, b]), 1 - 35 / 40);
    assert.equal(keystrokeSavings([]), 0);
  });
});

describe('evaluation/sampling', () => {
  it('scores every token up to the cap, then every s-th', () => {
    assert.equal(strideFor(100, 0), 1);
    assert.equal(strideFor(100, 100), 1);
    assert.equal(strideFor(100, 30), 4);
  });

  it('replays a short text whole and a long one in evenly spaced, disjoint windows from line starts', () => {
    assert.deepEqual(typingWindows('short', 100), [{ start: 0, end: 5 }]);
    const line = 'x'.repeat(99) + '\n';
    const text = line.repeat(100); // 10,000 characters
    const windows = typingWindows(text, 1000, 250);
    assert.equal(windows.length, 4);
    let previousEnd = 0;
    for (const w of windows) {
      assert.ok(w.start >= previousEnd, 'disjoint');
      assert.ok(w.start === 0 || text[w.start - 1] === '\n', 'starts at a line start');
      assert.ok(w.end - w.start <= 250);
      previousEnd = w.end;
    }
    assert.ok(windows[3].start > 7000, 'spread to the end of the text');
    assert.deepEqual(typingWindows(text, 1000, 250), windows, 'deterministic');
  });

  it('starts windows in one long line (a prose paragraph) at word starts', () => {
    const text = 'lorem ipsum dolor sit amet '.repeat(400).trim(); // one line, 10,799 characters
    for (const w of typingWindows(text, 900, 300)) assert.ok(w.start === 0 || text[w.start - 1] === ' ', `window at ${w.start}`);
  });

  it('shares a budget over files', () => {
    assert.equal(perFileAllowance(1000, 3), 334);
    assert.equal(perFileAllowance(1000, 0), 0);
  });
});
