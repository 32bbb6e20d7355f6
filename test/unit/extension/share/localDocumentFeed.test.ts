// The local document changes a share session publishes after its snapshot: none before it, each
// document's latest version (a removal when it is gone), a burst a slice at a time with the event
// loop free in between, nothing once the session is gone.
import { strict as assert } from 'node:assert';
import { LocalDocumentFeed } from '../../../../src/extension/share/localDocumentFeed';
import { LiveMemory } from '../../../../src/memory/liveMemory';

type Change = { id: string; tokens: readonly string[] | undefined };
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('LocalDocumentFeed (what a share session publishes of local changes)', () => {
  it('waits for the snapshot, then publishes each changed document as it is then', async () => {
    const memory = new LiveMemory();
    const published: Change[][] = [];
    const feed = new LocalDocumentFeed(memory, (changes) => published.push(changes), () => true);
    const unwatch = memory.watchDocuments((ids) => feed.changed(ids));
    memory.setDocument('a', 'one two');
    memory.setDocument('b', 'three');
    memory.setDocument('a', 'one two four');
    memory.removeDocument('b');
    await settle();
    assert.deepEqual(published, [], 'nothing before the snapshot went');
    feed.open();
    await settle();
    assert.deepEqual(published, [[{ id: 'a', tokens: ['one', 'two', 'four'] }, { id: 'b', tokens: undefined }]]);
    memory.setDocument('c', 'five');
    await settle();
    assert.deepEqual(published.at(-1), [{ id: 'c', tokens: ['five'] }]);
    unwatch();
  });

  it('publishes a burst a slice at a time, yielding in between, and stops when the session is gone', async () => {
    const memory = new LiveMemory();
    for (let i = 0; i < 1000; i++) memory.setDocument(`d${i}`, `word${i} more`);
    const published: Change[][] = [];
    let live = true;
    const feed = new LocalDocumentFeed(memory, (changes) => published.push(changes), () => live);
    feed.open();
    feed.changed(memory.documentIds());
    assert.equal(published.length, 1, 'one slice in this turn');
    assert.equal(published[0].length, 256);
    await settle();
    assert.deepEqual(published.map((slice) => slice.length), [256, 256, 256, 232]);
    assert.deepEqual(published.flat().map((change) => change.id).sort(), memory.documentIds().sort());
    published.length = 0;
    feed.changed(memory.documentIds());
    live = false;
    await settle();
    assert.equal(published.length, 1, 'the slice of the turn it started in, then nothing');
  });
});
