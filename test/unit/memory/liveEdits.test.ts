import assert from 'node:assert/strict';
import { Memory } from '../../../src/memory';
import { LiveMemory } from '../../../src/memory/liveMemory';
import type { LayeredSpacing } from '../../../src/memory/spacing';
import { assertSameAsTrie, netted, rebuild } from './liveHelpers';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const WORDS = ['a', 'b', 'foo', 'bar', 'fooBar', '1.5', '7', 'x1', 'é', 'über', '日本', '(', ')', '.', ';', '=', '$x'];
const BREAKS = ['\n', '\r\n', '\r', '\u2028', '\u2029', '\u0085', '\n\n', '\n  '];

function pick<T>(r: () => number, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)];
}

/** Lines of words with every kind of line break, spaced or not. */
function randomText(r: () => number, words: number): string {
  let text = '';
  for (let i = 0; i < words; i++) {
    const u = r();
    text += u < 0.12 ? pick(r, BREAKS) : u < 0.6 ? ' ' : u < 0.65 ? '\t' : '';
    text += pick(r, WORDS);
  }
  return text;
}

/** What an editor does to a text: types, deletes or replaces a little somewhere in it. */
function edited(r: () => number, text: string): string {
  const at = Math.floor(r() * (text.length + 1));
  const u = r();
  if (u < 0.3) return text.slice(0, at) + pick(r, [' ', '']) + pick(r, WORDS) + text.slice(at);
  if (u < 0.5) return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(r() * 6)));
  if (u < 0.65) return text.slice(0, at) + pick(r, BREAKS) + text.slice(at);
  if (u < 0.8) return text.slice(0, at) + ' ' + text.slice(at);
  return text.slice(0, at) + pick(r, WORDS) + text.slice(Math.min(text.length, at + 3));
}




describe('LiveMemory edits (documents changed a little, as an editor changes them)', () => {
  it('reads an edited text exactly as learning it afresh would: every kind of line break, spacing, forgotten words', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const r = rng(seed);
      const order = 2 + Math.floor(r() * 7);
      const trie = new Memory({ order });
      const live = new LiveMemory(undefined, { order });
      const current = new Map<string, string>();
      for (let d = 0; d < 6; d++) {
        const text = randomText(r, 40 + Math.floor(r() * 80));
        current.set(`doc${d}`, text);
        trie.setDocument(`doc${d}`, text);
        live.setDocument(`doc${d}`, text);
      }
      if (seed % 2 === 1) rebuild(live); // edits then start from the index's documents
      let swaps = 0;
      for (let step = 0; step < 80; step++) {
        const label = `seed ${seed} step ${step}`;
        const ids = [...current.keys()];
        const id = pick(r, ids);
        const u = r();
        if (u < 0.08) {
          const word = pick(r, WORDS);
          assert.deepEqual(netted(live.forgetWord(word).entries), netted(trie.forgetWord(word).entries), `${label}: forgetting ${word}`);
          continue;
        }
        if (u < 0.12) rebuild(live);
        const text = edited(r, current.get(id) as string);
        if (u < 0.55) {
          const a = trie.setDocument(id, text, { collectDelta: true });
          const b = live.setDocument(id, text, { collectDelta: true });
          assert.deepEqual(netted(b.entries), netted(a.entries), `${label}: delta of setting ${id}`);
          current.set(id, text);
          assert.deepEqual(live.documentTokens(id), trie.documentTokens(id), `${label}: tokens of ${id}`);
        } else {
          const to = `swapped${swaps++}`;
          const a = [...trie.removeDocument(id, { collectDelta: true }).entries, ...trie.setDocument(to, text, { collectDelta: true }).entries];
          const b = live.swapDocument(id, to, text, { collectDelta: true });
          assert.deepEqual(netted(b.entries), netted(a), `${label}: delta of editing ${id} into ${to}`);
          current.delete(id);
          current.set(to, text);
          assert.deepEqual(live.documentTokens(to), trie.documentTokens(to), `${label}: tokens of ${to}`);
        }
        if (step % 20 === 19) assertSameAsTrie(trie, live, [...current.values()].slice(0, 3), label, 4, 13);
      }
      assertSameAsTrie(trie, live, [...current.values()], `seed ${seed} at the end`, 4, 13);
    }
  });

  it('changes at most order² n-grams for a word typed into a long document, whatever its length', () => {
    const r = rng(9);
    const order = 8;
    const live = new LiveMemory(undefined, { order });
    const trie = new Memory({ order });
    const text = randomText(r, 3000);
    live.setDocument('long', text);
    trie.setDocument('long', text);
    rebuild(live);
    const at = text.length >> 1;
    const typed = `${text.slice(0, at)} lightly ${text.slice(at)}`;
    const delta = live.swapDocument('long', 'long2', typed, { collectDelta: true });
    assert.ok(delta.entries.length <= order * order, `${delta.entries.length} n-grams changed`);
    assert.ok(live.overlaySize <= 2 * order * order, `${live.overlaySize} n-grams in the overlay`);
    trie.removeDocument('long');
    trie.setDocument('long2', typed);
    assertSameAsTrie(trie, live, [typed.slice(at - 200, at + 200)], 'after the edit', 4, 13);
  });

  it('relearns no spacing pair when only the space before the first word changed', () => {
    const r = rng(10);
    const order = 4;
    const live = new LiveMemory(undefined, { order });
    const trie = new Memory({ order });
    const text = `foo${randomText(r, 400)}`;
    live.setDocument('chunk', `  ${text}`);
    trie.setDocument('chunk', `  ${text}`);
    rebuild(live);
    // The chunk loses its indentation and has a word typed into its middle.
    const at = text.length >> 1;
    const typed = `${text.slice(0, at)} lightly ${text.slice(at)}`;
    live.swapDocument('chunk', 'chunk2', typed);
    trie.removeDocument('chunk');
    trie.setDocument('chunk2', typed);
    // The spacing's own changes (over the index's table) hold only the pairs around the typed word.
    const changed = (live as unknown as { spacingTable: LayeredSpacing }).spacingTable.changes.pairs.size;
    assert.ok(changed <= 4, `${changed} spacing pairs changed`);
    assertSameAsTrie(trie, live, [typed.slice(0, 300), typed.slice(at - 150, at + 150)], 'after the edit', 4, 13);
  });

  it('stays exact once the overlay has grown far past the room it was made with', () => {
    const r = rng(12);
    const order = 6;
    const trie = new Memory({ order });
    const live = new LiveMemory(undefined, { order });
    const texts: string[] = [];
    for (let d = 0; d < 4; d++) {
      const text = randomText(r, 300);
      texts.push(text);
      trie.setDocument(`base${d}`, text);
      live.setDocument(`base${d}`, text);
    }
    rebuild(live);
    // Many new words make n-grams no document had: each is a new entry of the overlay.
    for (let d = 0; d < 40; d++) {
      const text = Array.from({ length: 250 }, (_, i) => (i % 3 === 0 ? `w${d}_${i}` : pick(r, WORDS))).join(' ');
      texts.push(text);
      trie.setDocument(`new${d}`, text);
      live.setDocument(`new${d}`, text);
      if (d % 10 === 9) {
        trie.removeDocument(`base${d % 4}`);
        live.removeDocument(`base${d % 4}`);
      }
    }
    assert.ok(live.overlaySize > 4 * 4096, `${live.overlaySize} n-grams in the overlay`);
    assertSameAsTrie(trie, live, [texts[0], texts[5], texts[texts.length - 1]], 'grown', 4, 13);
    // A word forgotten in every document: one change of far more n-grams than an edit, then edits again.
    assert.deepEqual(netted(live.forgetWord('foo').entries), netted(trie.forgetWord('foo').entries), 'forgetting foo');
    const text = `${texts[7]} bar foo`;
    texts.push(text);
    assert.deepEqual(netted(live.setDocument('new7', text, { collectDelta: true }).entries), netted(trie.setDocument('new7', text, { collectDelta: true }).entries), 'setting new7 again');
    assertSameAsTrie(trie, live, [texts[7], text], 'after forgetting foo', 4, 13);
  });
});
