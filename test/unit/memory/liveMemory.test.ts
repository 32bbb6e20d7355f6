import assert from 'node:assert/strict';
import { Memory } from '../../../src/memory';
import { IndexedMemoryBuilder } from '../../../src/memory/indexedMemory';
import { addSnapshot, LiveMemory } from '../../../src/memory/liveMemory';
import { CODE_A, CODE_B, PROSE } from './helpers';
import { assertSameAsTrie, netted, rebuild } from './liveHelpers';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const WORDS = ['a', 'b', 'c', 'd', 'e', '(', ')', ';', 'if', 'x', 'y', 'return', '\n', 'zeta', 'omega'];

function randomText(r: () => number, words: number): string {
  const parts: string[] = [];
  const n = Math.floor(r() * words);
  for (let i = 0; i < n; i++) parts.push(WORDS[Math.floor(r() * r() * WORDS.length)]);
  return parts.join(r() < 0.5 ? ' ' : '');
}




describe('LiveMemory (an indexed memory with an overlay of changes)', () => {
  it('learns, replaces and removes documents exactly as the trie memory, before and after rebuilds', () => {
    for (const order of [3, 8]) {
      const trie = new Memory({ order });
      const live = new LiveMemory(undefined, { order });
      const texts = [CODE_A, CODE_B, PROSE];
      for (const [i, text] of texts.entries()) {
        trie.setDocument(`d${i}`, text);
        live.setDocument(`d${i}`, text);
      }
      assertSameAsTrie(trie, live, texts, `order ${order}, learned into the overlay`);
      rebuild(live);
      assert.equal(live.overlaySize, 0);
      assertSameAsTrie(trie, live, texts, `order ${order}, rebuilt`);
      trie.setDocument('d1', CODE_A);
      live.setDocument('d1', CODE_A);
      trie.removeDocument('d2');
      live.removeDocument('d2');
      assertSameAsTrie(trie, live, texts, `order ${order}, replaced and removed over the index`);
    }
  });

  it('makes room in its overlay between edits when asked, and stays exact', () => {
    const trie = new Memory({ order: 4 });
    const live = new LiveMemory(undefined, { order: 4 });
    const texts: string[] = [];
    for (let i = 0; !live.wantsRoom; i++) {
      assert.ok(i < 10_000, 'the overlay never came close to full');
      const text = `${CODE_A}\nconst value${i} = compute(${i}, "item${i}");\n`;
      texts.push(text);
      trie.setDocument(`d${i}`, text);
      live.setDocument(`d${i}`, text);
    }
    const bytes = live.bytes;
    live.makeRoom();
    assert.equal(live.wantsRoom, false);
    assert.ok(live.bytes > bytes, 'the overlay grew');
    assertSameAsTrie(trie, live, texts.slice(-3), 'after making room');
    const grown = live.bytes;
    live.makeRoom();
    assert.equal(live.bytes, grown, 'no room is made while there is room');
  });

  it('stays exact through random edits, renames, forgotten words and rebuilds with changes during them', () => {
    for (const seed of [1, 2, 3, 4]) {
      const r = rng(seed);
      const order = 2 + Math.floor(r() * 7);
      const trie = new Memory({ order });
      const live = new LiveMemory(undefined, { order });
      const texts: string[] = [];
      const step = (label: string, i: number): void => {
        const pick = r();
        const id = `doc${Math.floor(r() * 12)}`;
        if (pick < 0.55) {
          const text = randomText(r, 60);
          texts.push(text);
          const a = trie.setDocument(id, text, { collectDelta: true });
          const b = live.setDocument(id, text, { collectDelta: true });
          assert.deepEqual(netted(b.entries), netted(a.entries), `${label}: delta of setting ${id}`);
        } else if (pick < 0.65 && trie.hasDocument(id)) {
          // An edited chunk: the same text with a word typed into it, under a new id.
          const tokens = trie.documentTokens(id) as string[];
          const at = Math.floor(r() * (tokens.length + 1));
          const text = [...tokens.slice(0, at), WORDS[Math.floor(r() * WORDS.length)], ...tokens.slice(at)].filter((t) => t !== '').join(' ');
          const to = `edited${i}`;
          texts.push(text);
          const a = [...trie.removeDocument(id, { collectDelta: true }).entries, ...trie.setDocument(to, text, { collectDelta: true }).entries];
          const b = live.swapDocument(id, to, text, { collectDelta: true });
          assert.deepEqual(netted(b.entries), netted(a), `${label}: delta of editing ${id}`);
        } else if (pick < 0.75) {
          const a = trie.removeDocument(id, { collectDelta: true });
          const b = live.removeDocument(id, { collectDelta: true });
          assert.deepEqual(netted(b.entries), netted(a.entries), `${label}: delta of removing ${id}`);
        } else if (pick < 0.88) {
          const to = `doc${Math.floor(r() * 12)}`;
          trie.renameDocument(id, to);
          live.renameDocument(id, to);
        } else if (pick < 0.93) {
          const word = WORDS[Math.floor(r() * 4)];
          const a = trie.forgetWord(word);
          const b = live.forgetWord(word);
          assert.deepEqual(netted(b.entries), netted(a.entries), `${label}: delta of forgetting ${word}`);
        } else {
          rebuild(live, () => {
            // Changes while the rebuild runs are learned again over the new index.
            for (let k = 0; k < 3; k++) {
              const changed = `doc${Math.floor(r() * 12)}`;
              const text = randomText(r, 40);
              texts.push(text);
              trie.setDocument(changed, text);
              live.setDocument(changed, text);
            }
            trie.removeDocument('doc0');
            live.removeDocument('doc0');
          });
        }
      };
      for (let i = 0; i < 60; i++) {
        step(`seed ${seed} step ${i}`, i);
        if (i % 12 === 11) assertSameAsTrie(trie, live, texts.slice(-6), `seed ${seed} after step ${i}`);
      }
      assertSameAsTrie(trie, live, texts.slice(-10), `seed ${seed} at the end`);
    }
  });

  it('stays exact in busy contexts (summarized while building) that edits touch', () => {
    const r = rng(7);
    const many = Array.from({ length: 90 }, (_, i) => `w${i}`);
    const text = (n: number) => Array.from({ length: n }, () => (r() < 0.3 ? 'hub' : many[Math.floor(r() * r() * many.length)])).join(' ');
    const trie = new Memory({ order: 4 });
    const live = new LiveMemory(undefined, { order: 4 });
    const texts: string[] = [];
    for (let d = 0; d < 24; d++) {
      const t = text(500);
      texts.push(t);
      trie.setDocument(`d${d}`, t);
      live.setDocument(`d${d}`, t);
    }
    rebuild(live);
    assert.ok(live.base.index.summaryAt(live.base.index.wordLo(live.vocab.get('hub') as number), 1), 'the busy context has a built summary');
    assertSameAsTrie(trie, live, texts.slice(0, 3), 'rebuilt');
    for (let d = 0; d < 6; d++) {
      const t = text(300);
      texts.push(t);
      trie.setDocument(`d${d * 3}`, t);
      live.setDocument(`d${d * 3}`, t);
      trie.removeDocument(`d${d * 3 + 1}`);
      live.removeDocument(`d${d * 3 + 1}`);
      assertSameAsTrie(trie, live, [t, 'hub w1 hub w2 hub'], `edit ${d}`);
    }
  });

  it('says where a sequence occurs and what surrounds a word, exactly as its current documents hold them', () => {
    const r = rng(11);
    const live = new LiveMemory(undefined, { order: 3 });
    for (let d = 0; d < 10; d++) live.setDocument(`doc${d}`, randomText(r, 80));
    rebuild(live);
    for (let d = 0; d < 10; d += 2) live.setDocument(`doc${d}`, randomText(r, 80));
    live.removeDocument('doc3');
    live.setDocument('new', randomText(r, 80));
    const docs = live.documentIds().map((id) => ({ id, tokens: live.documentTokens(id) as string[] }));
    const ids = (tokens: string[]) => Int32Array.from(tokens, (t) => live.vocab.get(t) ?? -1);
    for (const phrase of [['a'], ['a', 'b'], ['(', 'a'], ['a', 'b', 'c', 'd'], ['x', 'y', '(', ')', ';']]) {
      const expected: string[] = [];
      for (const { id, tokens } of docs) {
        for (let i = 0; i + phrase.length <= tokens.length; i++) if (phrase.every((t, k) => tokens[i + k] === t)) expected.push(`${id}@${i}`);
      }
      assert.equal(live.occurrenceCount(ids(phrase)), expected.length, `count of ${phrase.join(' ')}`);
      const all = live.occurrences(ids(phrase), 1_000);
      assert.deepEqual(all.map((o) => `${o.document}@${o.offset}`).sort(), expected.sort(), `where ${phrase.join(' ')}`);
      // Paging by key gives the same occurrences in the same order.
      const paged: string[] = [];
      let after = -1;
      for (;;) {
        const page = live.occurrences(ids(phrase), 3, after);
        if (page.length === 0) break;
        paged.push(...page.map((o) => `${o.document}@${o.offset}`));
        after = page[page.length - 1].key;
      }
      assert.deepEqual(paged, all.map((o) => `${o.document}@${o.offset}`));
    }
    const around = (word: string, side: -1 | 1) => {
      const tally = new Map<string, number>();
      for (const { tokens } of docs) {
        for (let i = 0; i < tokens.length; i++) {
          const other = tokens[i + side];
          if (tokens[i] === word && other !== undefined && other !== '') tally.set(other, (tally.get(other) ?? 0) + 1);
        }
      }
      return [...tally].map(([w, count]) => ({ word: w, count })).sort((x, y) => (x.word < y.word ? -1 : 1));
    };
    const sorted = (list: Array<{ word: string; count: number }>) => list.slice().sort((x, y) => (x.word < y.word ? -1 : 1));
    for (const word of ['a', 'b', '(', 'x']) {
      const id = live.vocab.get(word) as number;
      assert.deepEqual(sorted(live.following(id)), around(word, 1), `after ${word}`);
      assert.deepEqual(sorted(live.preceding(id)), around(word, -1), `before ${word}`);
    }
  });

  it('takes a changed group of documents from the memory, not from the rebuild', () => {
    const groupOf = (id: string) => id.split('#')[0];
    const live = new LiveMemory(undefined, { order: 4, groupOf });
    live.setDocument('f#1', 'alpha beta gamma');
    live.setDocument('f#2', 'delta epsilon');
    const snapshot = live.beginRebuild();
    const builder = new IndexedMemoryBuilder({ order: 4 });
    // The rebuild learns the file again (a training read it from disk)...
    builder.addDocument('f#3', 'old version of the file');
    addSnapshot(builder, snapshot, new Set(['f#1', 'f#2']));
    // ...while the editor changed it: the editor's chunks win, the training's go.
    live.removeDocument('f#2');
    live.setDocument('f#4', 'newest words here');
    live.finishRebuild(builder.build());
    assert.deepEqual(live.documentIds().sort(), ['f#1', 'f#4']);
    assert.equal(live.count(['old']), 0);
    assert.equal(live.count(['newest', 'words']), 1);
    assert.equal(live.count(['alpha', 'beta']), 1);
  });

  it('refuses a second rebuild while one is under way and keeps working after an aborted one', () => {
    const live = new LiveMemory(undefined, { order: 3 });
    live.setDocument('a', 'one two three');
    live.beginRebuild();
    assert.throws(() => live.beginRebuild(), /already under way/);
    live.abortRebuild();
    live.setDocument('b', 'two three four');
    assert.equal(live.count(['two', 'three']), 2);
    rebuild(live);
    assert.equal(live.count(['two', 'three']), 2);
    assert.equal(live.overlaySize, 0);
  });
});

describe('LiveMemory.watchDocuments (what a share session republishes)', () => {
  it('reports every document set, removed, renamed, holed, cleared, or added and dropped by a rebuild', () => {
    const live = new LiveMemory(undefined, { order: 4 });
    const seen: string[][] = [];
    const stop = live.watchDocuments((ids) => seen.push([...ids].sort()));
    live.setDocument('a', CODE_A);
    live.setDocument('b', CODE_B);
    live.removeDocument('a');
    live.renameDocument('b', 'c');
    live.setDocumentTokens('d', ['secretWord', 'x', '', 'y']);
    live.forgetWord('secretWord');
    assert.deepEqual(seen, [['a'], ['b'], ['a'], ['b', 'c'], ['d'], ['d']]);
    assert.deepEqual(live.documentTokens('d'), ['', 'x', '', 'y']);
    seen.length = 0;
    // A rebuild fed a document the live memory never saw (a training), and dropped 'c'.
    const snapshot = live.beginRebuild();
    const builder = new IndexedMemoryBuilder({ order: 4 });
    addSnapshot(builder, snapshot, new Set(['c']));
    builder.addDocument('fed', PROSE);
    live.setDocument('e', 'during the rebuild');
    live.finishRebuild(builder.build());
    const reported = new Set(seen.flat());
    assert.ok(reported.has('fed') && reported.has('c') && reported.has('e'), JSON.stringify(seen));
    assert.ok(!reported.has('d'), 'an unchanged document is not reported');
    seen.length = 0;
    live.clear();
    assert.deepEqual(seen, [['d', 'e', 'fed']]);
    stop();
    live.setDocument('z', 'after');
    assert.equal(seen.length, 1);
  });
});
