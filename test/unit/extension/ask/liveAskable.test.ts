// The extension's memories as memories to ask: the live memory (an index plus the changes since)
// answers counts, neighbours and occurrences as brute force over its current documents does, and
// `find` over it (origins from the files' current text, learnedText.ts) lists exactly where a
// phrase is now, after edits that move, remove and add occurrences, and never a secret. The team
// memory (collaborators' text: documents `writer/key` of a live memory, share/teamMemory.ts) answers
// counts and neighbours as brute force does. What a collaborator's text holds that looks secret,
// and forgotten words, never come out of complete or neighbors.
import { strict as assert } from 'node:assert';
import type { TextSource } from '../../../../src/ask/askable';
import { complete } from '../../../../src/ask/complete';
import { find } from '../../../../src/ask/find';
import { chunkOrigin, learnedText } from '../../../../src/extension/ask/learnedText';
import { LiveAskable } from '../../../../src/extension/ask/liveAskable';
import { SafePredictor } from '../../../../src/ask/safePredictor';
import { tokenize } from '../../../../src/memory/index';
import { IndexedMemoryBuilder } from '../../../../src/memory/indexedMemory';
import { LiveMemory } from '../../../../src/memory/liveMemory';
import { TeamMemory } from '../../../../src/share/teamMemory';
import { Predictor } from '../../../../src/memory/predictor';
import { chunkDocumentId, fileKeyOfDocument } from '../../../../src/workspace/chunks';
import { isSafeWord } from '../../../../src/workspace/completionFilter';
import { prepareForLearning } from '../../../../src/workspace/learnable';
import { numberedFile, SECRET } from '../../ask/fixtures';

/** The workspace as the extension holds it: files learned as chunks into a live memory. */
class Workspace {
  readonly files = new Map<string, string>();
  readonly forgotten = new Set<string>();
  memory: LiveMemory;

  constructor(initial: Record<string, string>) {
    // The first files go into the index, later changes into the overlay (both paths are read).
    const builder = new IndexedMemoryBuilder();
    for (const [key, text] of Object.entries(initial)) {
      this.files.set(key, text);
      for (const chunk of prepareForLearning(text).chunks) builder.addDocument(chunkDocumentId(key, chunk.id), chunk.text);
    }
    this.memory = new LiveMemory(builder.build(), { groupOf: fileKeyOfDocument });
  }

  /** Learns a file's new text as live updates do: chunks gone are removed, new ones learned. */
  edit(key: string, text: string | undefined): void {
    const prefix = `${key}\u0000`;
    const next = new Map((text === undefined ? [] : prepareForLearning(text).chunks).map((c) => [chunkDocumentId(key, c.id), c.text]));
    for (const id of this.memory.documentIds()) if (id.startsWith(prefix) && !next.has(id)) this.memory.removeDocument(id);
    for (const [id, chunk] of next) if (!this.memory.hasDocument(id)) this.memory.setDocument(id, chunk);
    if (text === undefined) this.files.delete(key);
    else this.files.set(key, text);
  }

  askable(): LiveAskable {
    return new LiveAskable(
      () => this.memory,
      (document) => {
        const key = fileKeyOfDocument(document);
        const text = this.files.get(key);
        return text === undefined ? undefined : chunkOrigin(key, document.slice(key.length + 1), learnedText(text, this.forgotten));
      },
    );
  }

  source(): TextSource {
    return { read: async (key) => (this.files.has(key) ? learnedText(this.files.get(key)!, this.forgotten).text : undefined) };
  }

  /** Every document's tokens, as learned. */
  documents(): string[][] {
    return this.memory.documentIds().map((id) => this.memory.documentTokens(id)!);
  }
}

/** Where the phrase is in the current files as file:line:column (1-based), files by name. */
function places(files: Map<string, string>, phrase: string): string[] {
  const out: string[] = [];
  for (const [key, text] of [...files].sort()) {
    const lines = learnedText(text, new Set()).text.split('\n');
    lines.forEach((line, i) => {
      for (let at = line.indexOf(phrase); at !== -1; at = line.indexOf(phrase, at + 1)) out.push(`${key}:${i + 1}:${at + 1}`);
    });
  }
  return out;
}

function tally(docs: string[][], word: string, side: 1 | -1): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of docs) for (let i = 0; i < d.length; i++) if (d[i] === word && d[i + side] !== undefined && d[i + side] !== '') out.set(d[i + side], (out.get(d[i + side]) ?? 0) + 1);
  return out;
}

describe('LiveAskable and TeamAskable (Ask the memory in the editor)', () => {
  it('counts, neighbours and occurrences of the live memory are those of its current documents', () => {
    const ws = new Workspace({ 'a.ts': numberedFile(300, 1), 'b.ts': numberedFile(200, 2) });
    ws.edit('a.ts', numberedFile(300, 1).replace('step5(', 'render(frame)(')); // overlay: a changed chunk
    ws.edit('c.ts', numberedFile(120, 3)); // overlay: a new file
    ws.edit('b.ts', undefined); // overlay: a file gone
    const askable = ws.askable();
    const docs = ws.documents();
    for (const word of ['render', 'frame', ')', 'const']) {
      for (const [side, list] of [[1, askable.following(word, 1000)], [-1, askable.preceding(word, 1000)]] as const) {
        const expected = tally(docs, word, side);
        assert.deepEqual(new Map(list.map((w) => [w.word, w.count])), expected, `${word} ${side}`);
      }
    }
    const phrase = tokenize('render(frame) +');
    let expected = 0;
    for (const d of docs) for (let i = 0; i + phrase.length <= d.length; i++) if (phrase.every((t, k) => d[i + k] === t)) expected++;
    assert.equal(askable.occurrenceCount(phrase), expected);
    const all = askable.occurrences(phrase, 1000);
    assert.equal(all.length, expected);
    const paged = [...askable.occurrences(phrase, 5), ...askable.occurrences(phrase, 1000, askable.occurrences(phrase, 5)[4].key)];
    assert.deepEqual(paged, all, 'paging by key gives the same occurrences');
    let bigrams = 0;
    for (const d of docs) for (let i = 0; i + 1 < d.length; i++) if (d[i] === 'render' && d[i + 1] === '(') bigrams++;
    assert.ok(bigrams > 0);
    assert.equal(askable.count(['render', '(']), bigrams);
    assert.equal(askable.occurrenceCount(['no_such_word']), 0);
    assert.deepEqual(askable.following('no_such_word', 5), []);
  });

  it('find lists exactly where a phrase is now, following edits, and never a secret or a deleted file', async () => {
    const ws = new Workspace({ 'a.ts': numberedFile(300, 1), 'b.ts': numberedFile(200, 2) });
    const ask = async (phrase: string) => {
      const answer = await find(ws.askable(), ws.source(), tokenize(phrase), 100);
      return answer.occurrences.map((o) => `${o.file}:${o.line}:${o.column}`);
    };
    assert.deepEqual(await ask('render(frame)'), places(ws.files, 'render(frame)'));
    // Lines added above: every occurrence of a.ts moves down.
    ws.edit('a.ts', `// added\n// lines\n${ws.files.get('a.ts')}`);
    assert.deepEqual(await ask('render(frame)'), places(ws.files, 'render(frame)'));
    // One occurrence removed, one added elsewhere.
    ws.edit('b.ts', ws.files.get('b.ts')!.replace('const v2 = render(frame)', 'const v2 = other(frame)').replace('step3(', 'render(frame); step3('));
    assert.deepEqual(await ask('render(frame)'), places(ws.files, 'render(frame)'));
    // The file changed on disk but the memory has not learned it yet: only what is still there is listed.
    ws.files.set('a.ts', ws.files.get('a.ts')!.replace(/render\(frame\) \+ 8/, 'gone + 8'));
    const shown = await ask('render(frame)');
    for (const p of shown) assert.ok(places(ws.files, 'render(frame)').includes(p), `${p} is a real place`);
    // A deleted file is never shown.
    ws.edit('a.ts', undefined);
    assert.ok((await ask('render(frame)')).every((p) => p.startsWith('b.ts:')));
    // A secret never appears: it was never learned, and the line shown is blanked.
    ws.edit('s.ts', `const token = "${SECRET}";\nconst v = render(frame);\n`);
    const answer = await find(ws.askable(), ws.source(), tokenize('const token ='), 10);
    assert.equal(answer.occurrences.length, 1);
    assert.ok(!answer.occurrences[0].text.includes(SECRET));
    assert.equal((await find(ws.askable(), ws.source(), tokenize(SECRET), 10)).total, 0);
  });

  it('find still places occurrences in chunks learned before a word was forgotten', async () => {
    const ws = new Workspace({ 'a.ts': numberedFile(300, 1), 'b.ts': numberedFile(200, 2) });
    const before = await find(ws.askable(), ws.source(), tokenize('render(frame)'), 100);
    // Forgetting blanks the word in the memory's documents where they are; no file is learned again.
    ws.memory.forgetWord('value3');
    ws.forgotten.add('value3');
    const after = await find(ws.askable(), ws.source(), tokenize('render(frame)'), 100);
    assert.equal(after.unreadable, 0, 'every learned occurrence is placed');
    // (The memory's order of documents changed: the forgotten word's documents were rewritten.)
    const shown = (a: typeof after) => a.occurrences.map((o) => `${o.file}:${o.line}:${o.column}: ${o.text}`).sort();
    assert.deepEqual(shown(after), shown(before));
    assert.deepEqual(after.occurrences.map((o) => `${o.file}:${o.line}:${o.column}`).sort(), places(ws.files, 'render(frame)').sort());
  });

  it('the team memory answers counts and neighbours of its n-grams', async () => {
    const team = new TeamMemory();
    const texts = ['a = render(frame) + 1', 'b = render(frame) + 2', 'c = render(view)', 'draw(frame)'];
    const docs = texts.map((t) => tokenize(t));
    docs.forEach((tokens, i) => team.setDocument(`w-${i % 2}/${String(i).padStart(32, '0')}`, tokens));
    await team.whenIdle();
    // As the extension asks it: the team memory's live memory, counts only (no origins: never `find`).
    const askable = new LiveAskable(() => team.live);
    for (const word of ['render', 'frame', '(']) {
      assert.deepEqual(new Map(askable.following(word, 100).map((w) => [w.word, w.count])), tally(docs, word, 1), `after ${word}`);
      assert.deepEqual(new Map(askable.preceding(word, 100).map((w) => [w.word, w.count])), tally(docs, word, -1), `before ${word}`);
    }
    assert.deepEqual(askable.following('render', 1), [{ word: '(', count: 3 }]);
    assert.equal(askable.count(['render', '(', 'frame']), 2);
    assert.equal(askable.count(new Array(20).fill('render')), 0, 'longer than the order');
  });
});

describe('Ask the memory in the editor: defence in depth on the way out', () => {
  // A hostile peer's text may hold anything: a token that looks like a credential after
  // `apiToken = "`, many times, and a word the user forgot. Neither may come out of complete or
  // neighbors, as neither comes out as ghost text. (The team memory's live memory, as a TeamMemory holds it.)
  const TOKEN = 'ghp_R8fK2mQ9xZ4vL7pW1sT6yB3nH5jD0cA8eG2u';
  const team = new LiveMemory();
  for (let i = 0; i < 20; i++) team.setDocumentTokens(`w-peer/${String(i).padStart(32, '0')}`, ['apiToken', '=', '"', TOKEN, '"', ';', 'call', '(', 'moonrake', ')']);
  const local = new LiveMemory();
  const forgotten = new Set(['moonrake']);
  const keep = (word: string) => isSafeWord(word, forgotten);

  it('complete never offers a secret-looking or forgotten continuation', () => {
    const askable = new LiveAskable(() => local, undefined, keep);
    const teamAskable = new LiveAskable(() => team, undefined, keep);
    const raw = complete(new Predictor([local, team]), askable, teamAskable, 'const apiToken = "', 5);
    assert.ok(raw.alternatives.some((a) => a.text.includes('ghp_')), 'the bare predictor would offer it (the test can fail)');
    const safe = complete(new SafePredictor([local, team], () => forgotten), askable, teamAskable, 'const apiToken = "', 5);
    assert.ok(!JSON.stringify(safe).includes('ghp_'));
    const safeCall = complete(new SafePredictor([local, team], () => forgotten), askable, teamAskable, 'call(', 5);
    assert.ok(!JSON.stringify(safeCall).includes('moonrake'));
  });

  it('neighbors never lists a secret-looking or forgotten word', () => {
    const open = new LiveAskable(() => team);
    assert.ok(open.following('"', 5).some((w) => w.word === TOKEN), 'unfiltered, the peer word is there (the test can fail)');
    const filtered = new LiveAskable(() => team, undefined, keep);
    assert.deepEqual(filtered.following('"', 5).map((w) => w.word), [';']);
    assert.deepEqual(filtered.preceding('"', 5).map((w) => w.word), ['=']);
    assert.deepEqual(filtered.following('(', 5), []);
    assert.deepEqual(filtered.preceding(')', 5), []);
  });
});
