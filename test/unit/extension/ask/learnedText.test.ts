// learnedText: the current text of a file cut into chunks exactly as learning cuts it (same ids as
// prepareForLearning, secrets and forgotten words blanked), and each chunk's start as line/column
// in the text `find` reads (line ends as \n), also for CRLF files and after edits above a chunk.
import { strict as assert } from 'node:assert';
import { chunkStarts } from '../../../../src/ask/origins';
import { learnedText } from '../../../../src/extension/ask/learnedText';
import { prepareForLearning } from '../../../../src/workspace/learnable';

const SECRET = 'ghp_R8fK2mQ9xZ4vL7pW1sT6yB3nH5jD0cA8eG2u';

function longFile(lines: number, tag: string): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) out.push(i % 9 === 4 ? `  const token${i} = "${SECRET}"; // ${tag}` : `  step${i}(value${i % 13}, "${tag}", ${i});`);
  return out.join('\n');
}

describe('learnedText (Ask the memory in the editor)', () => {
  it('cuts the current text into the chunks learning makes, with secrets and forgotten words blanked', () => {
    const raw = longFile(400, 'alpha');
    const forgotten = new Set(['value3']);
    const learned = prepareForLearning(raw, forgotten);
    assert.ok(learned.chunks.length > 3, 'the file spans several chunks');
    const current = learnedText(raw, forgotten);
    // The chunks learning cuts now come first (then those cut before value3 was forgotten).
    assert.deepEqual([...current.chunkStarts.keys()].slice(0, learned.chunks.length), learned.chunks.map((c) => c.id));
    assert.ok(!current.text.includes(SECRET), 'the secret is blanked');
    assert.ok(!/\bvalue3\b/.test(current.text), 'the forgotten word is blanked');
    assert.equal(current.text.length, raw.length, 'blanking keeps every offset');
    const oracle = chunkStarts(raw, learned.chunks.map((c) => c.start));
    learned.chunks.forEach((chunk, i) => {
      assert.deepEqual(current.chunkStarts.get(chunk.id), oracle[i]);
      const { line, column } = oracle[i];
      assert.ok(current.text.split('\n')[line].slice(column).startsWith(chunk.text.split('\n')[0]), `chunk ${i} begins where it says`);
    });
  });

  it('also places the chunks learned before a word was forgotten (the memory keeps their ids)', () => {
    const raw = longFile(400, 'delta');
    const before = prepareForLearning(raw).chunks;
    const current = learnedText(raw, new Set(['value3']));
    const changed = before.filter((c) => !prepareForLearning(raw, new Set(['value3'])).chunks.some((d) => d.id === c.id));
    assert.ok(changed.length > 0, 'forgetting the word changes some chunk ids (the test can fail)');
    const oracle = chunkStarts(raw, before.map((c) => c.start));
    before.forEach((chunk, i) => assert.deepEqual(current.chunkStarts.get(chunk.id), oracle[i]));
  });

  it('gives CRLF files the lines and columns of their \\n text', () => {
    const raw = longFile(300, 'beta').replace(/\n/g, '\r\n');
    const current = learnedText(raw, new Set());
    assert.ok(!current.text.includes('\r'));
    const lines = current.text.split('\n');
    for (const chunk of prepareForLearning(raw).chunks) {
      const at = current.chunkStarts.get(chunk.id);
      assert.ok(at, 'every chunk has a start');
      assert.ok(lines[at.line].slice(at.column).startsWith(chunk.text.split(/\r?\n/)[0]), 'it begins where it says');
    }
  });

  it('moves an unchanged chunk down when lines are added above it, and drops a changed one', () => {
    const raw = longFile(400, 'gamma');
    const before = learnedText(raw, new Set());
    const edited = `// one\n// two\n// three\n${raw.replace('step398(', 'changed398(')}`;
    const after = learnedText(edited, new Set());
    const ids = [...before.chunkStarts.keys()];
    const [first] = ids;
    const last = ids[ids.length - 1];
    assert.equal(after.chunkStarts.has(last), false, 'the edited last chunk is gone');
    let moved = 0;
    for (const id of ids.slice(1, -1)) {
      const a = before.chunkStarts.get(id)!;
      const b = after.chunkStarts.get(id);
      assert.ok(b, 'an untouched chunk is still there');
      assert.equal(b.line, a.line + 3);
      moved++;
    }
    assert.ok(moved > 0);
    assert.equal(after.chunkStarts.has(first), false, 'the first chunk changed (lines added in it)');
  });
});
