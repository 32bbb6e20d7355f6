import { strict as assert } from 'node:assert';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { Awareness, applyAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { encodeLoggedBatch } from '../../../src/share/batchFormat';
import { LOG_NAME } from '../../../src/share/deltaLog';
import { withLimits } from '../../../src/share/limits';
import { checkUpdate, createMessageGuard } from '../../../src/share/messageGuard';
import { newWriterKey } from '../../../src/share/writerKey';

function syncMessage(step: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, step);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

describe('share/messageGuard', () => {
  const limits = withLimits({ maxBatchBytes: 1000 });
  const inspect = createMessageGuard(limits)();
  const guard = (message: Uint8Array) => (inspect(message) as { reason: string } | undefined)?.reason;

  it('admits log appends, deletions and state vectors', () => {
    const doc = new Y.Doc();
    doc.getArray(LOG_NAME).push([encodeLoggedBatch(newWriterKey(), 'delta', new Uint8Array(10), { seq: 1, floor: 0, dead: [] })]);
    doc.getArray(LOG_NAME).delete(0, 1);
    assert.equal(guard(syncMessage(1, Y.encodeStateAsUpdate(doc))), undefined);
    assert.equal(guard(syncMessage(0, Y.encodeStateVector(doc))), undefined);
  });

  it('drops updates that write anything but batches into the log', () => {
    const text = new Y.Doc();
    text.getText('other').insert(0, 'hi');
    assert.match(checkUpdate(Y.encodeStateAsUpdate(text), limits)!, /outside the delta log/);
    const map = new Y.Doc();
    map.getMap(LOG_NAME).set('k', 1);
    assert.match(checkUpdate(Y.encodeStateAsUpdate(map), limits)!, /map key/);
    const any = new Y.Doc();
    any.getArray(LOG_NAME).push(['a string']);
    assert.match(checkUpdate(Y.encodeStateAsUpdate(any), limits)!, /not a batch/);
    const big = new Y.Doc();
    big.getArray(LOG_NAME).push([new Uint8Array(5000)]);
    assert.match(guard(syncMessage(2, Y.encodeStateAsUpdate(big)))!, /over the cap/);
  });

  it('drops random and truncated bytes and unknown message types', () => {
    const doc = new Y.Doc();
    doc.getArray(LOG_NAME).push([new Uint8Array(10)]);
    const update = Y.encodeStateAsUpdate(doc);
    assert.ok(guard(syncMessage(2, update.subarray(0, update.length - 3))));
    assert.ok(guard(new Uint8Array([0, 2, 200, 1, 2])));
    assert.match(guard(new Uint8Array([4, 1, 0]))!, /unexpected message type/);
    let dropped = 0;
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    for (let i = 0; i < 200; i++) {
      const junk = new Uint8Array(1 + (i % 40)).map(random);
      junk[0] = 0;
      if (guard(junk)) dropped++;
    }
    assert.ok(dropped > 190, `only ${dropped} of 200 junk messages dropped`);
  });
});

describe('share/messageGuard: every message bounded in items, only signed batches, caps on the log (issue 10, items 2, 3, 5)', () => {
  const limits = withLimits();
  const writer = newWriterKey();
  const batch = (i: number) => encodeLoggedBatch(writer, 'delta', new Uint8Array([i & 0xff]), { seq: i, floor: 0, dead: [] });
  type Outcome = { reason: string; close: boolean } | undefined; // these messages are never rewritten
  const verdictOf = async (inspect: (m: Uint8Array) => unknown, message: Uint8Array) => (await inspect(message)) as Outcome;

  it('drops one message of 300k small junk items before Yjs decodes it, and closes the link', async () => {
    const junk = new Y.Doc();
    const log = junk.getArray<Uint8Array>(LOG_NAME);
    log.push(Array.from({ length: 300_000 }, () => new Uint8Array(10)));
    const message = syncMessage(2, Y.encodeStateAsUpdate(junk));
    assert.ok(message.byteLength > 3_000_000);
    const verdict = await verdictOf(createMessageGuard(limits)(), message);
    assert.deepEqual(verdict, { reason: `update holds more than ${limits.maxItemsPerMessage} items`, close: true });
  });

  it('drops an update holding even one entry that is not a well-formed batch', async () => {
    const doc = new Y.Doc();
    doc.getArray<Uint8Array>(LOG_NAME).push([batch(1), batch(2), new Uint8Array([1, 2, 3, 4]), batch(3)]);
    const verdict = await verdictOf(createMessageGuard(limits)(), syncMessage(2, Y.encodeStateAsUpdate(doc)));
    assert.equal(verdict?.close, true);
    assert.match(verdict!.reason, /log entry refused: not a Light Network batch/);
  });

  it('drops a forged batch, its signatures checked a slice at a time off the arrival turn', async () => {
    const forged = batch(9);
    forged[forged.length - 1] ^= 1;
    const doc = new Y.Doc();
    doc.getArray<Uint8Array>(LOG_NAME).push([...Array.from({ length: 200 }, (_, i) => batch(i)), forged]);
    const pending = createMessageGuard(limits)()(syncMessage(2, Y.encodeStateAsUpdate(doc)));
    assert.ok(pending instanceof Promise, 'checked later, not in the turn the message arrived in');
    assert.match((await pending as { reason: string }).reason, /bad signature/);
  });

  it('keeps the log within its caps, counting only what is new to us', async () => {
    const ours = new Y.Doc();
    ours.getArray<Uint8Array>(LOG_NAME).push([batch(1), batch(2)]);
    const theirs = new Y.Doc();
    Y.applyUpdate(theirs, Y.encodeStateAsUpdate(ours));
    theirs.getArray<Uint8Array>(LOG_NAME).push([batch(3)]);
    const update = syncMessage(2, Y.encodeStateAsUpdate(theirs));
    const capped = withLimits({ maxLogBatches: 3 });
    const view = (batches: number) => ({ clockOf: (client: number) => Y.getState(ours.store, client), size: () => ({ batches, bytes: 0 }) });
    assert.equal(await verdictOf(createMessageGuard(capped, { log: view(2) })(), update), undefined, 'two of the three are ours already');
    assert.match((await verdictOf(createMessageGuard(capped, { log: view(3) })(), update))!.reason, /more than 3 batches/);
    const small = withLimits({ maxLogBytes: 100 });
    assert.match((await verdictOf(createMessageGuard(small, { log: view(0) })(), update))!.reason, /more than 100 bytes/);
  });

  it('caps the items one link sends per second, after a first sync as big as a message may be', async () => {
    let now = 0;
    const capped = withLimits({ maxItemsPerMessage: 100, peerItemsPerSecond: 10 });
    const inspect = createMessageGuard(capped, { now: () => now })();
    const doc = new Y.Doc();
    const sent: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => sent.push(syncMessage(2, update)));
    doc.getArray<Uint8Array>(LOG_NAME).push(Array.from({ length: 100 }, (_, i) => batch(i)));
    assert.equal(await verdictOf(inspect, sent[0]), undefined, 'the first sync may use the whole burst');
    let admitted = 0;
    for (let i = 0; i < 1000; i++) {
      doc.getArray<Uint8Array>(LOG_NAME).push([batch(i)]);
      if ((await verdictOf(inspect, sent.at(-1)!)) === undefined) admitted++;
      now += 10; // 1000 tiny updates in 10 s
    }
    assert.ok(admitted <= 10 * 10 + 1, `${admitted} updates admitted in 10 s at 10 items a second`);
    const over = await verdictOf(inspect, sent.at(-1)!);
    assert.deepEqual(over, { reason: 'peer sends more than 10 items a second', close: true });
  });

  it('answers sync requests and presence queries at a bounded rate per link (30 requests: 3 answered)', async () => {
    let now = 0;
    const inspect = createMessageGuard(limits, { now: () => now })();
    const request = syncMessage(0, Y.encodeStateVector(new Y.Doc()));
    assert.equal(request.byteLength, 4);
    let answered = 0;
    for (let i = 0; i < 30; i++) if ((await verdictOf(inspect, request)) === undefined) answered++;
    assert.equal(answered, Math.ceil(limits.peerRequestsPerMinute / 2));
    assert.equal(await verdictOf(inspect, new Uint8Array([3])).then((v) => v?.close), false, 'a presence query spends the same budget, and is only dropped');
    now += 60_000;
    assert.equal(await verdictOf(inspect, request), undefined, 'the budget refills');
  });
});

describe('share/messageGuard: presence (issue 10, item 6)', () => {
  const limits = withLimits();

  /** An awareness message (y-webrtc's type 1) with the given (client, state) entries. */
  function presence(entries: [number, unknown][]): Uint8Array {
    const update = encoding.createEncoder();
    encoding.writeVarUint(update, entries.length);
    for (const [client, state] of entries) {
      encoding.writeVarUint(update, client);
      encoding.writeVarUint(update, 1);
      encoding.writeVarString(update, JSON.stringify(state));
    }
    const message = encoding.createEncoder();
    encoding.writeVarUint(message, 1);
    encoding.writeVarUint8Array(message, encoding.toUint8Array(update));
    return encoding.toUint8Array(message);
  }

  /** Applies what the guard lets through to a real Awareness, as y-webrtc would. */
  function receive(awareness: Awareness, inspect: (m: Uint8Array) => unknown, message: Uint8Array): unknown {
    const verdict = inspect(message) as { replace?: Uint8Array; reason?: string } | undefined;
    const delivered = verdict === undefined ? message : verdict.replace;
    if (delivered) {
      const decoder = decoding.createDecoder(delivered);
      decoding.readVarUint(decoder);
      applyAwarenessUpdate(awareness, decoding.readVarUint8Array(decoder), 'link');
    }
    return verdict;
  }

  /** A link's inspector after the peer's sync request, as y-webrtc sends it when the link connects. */
  function connected(guard: () => (m: Uint8Array) => unknown): (m: Uint8Array) => unknown {
    const inspect = guard();
    inspect(syncMessage(0, Y.encodeStateVector(new Y.Doc())));
    return inspect;
  }

  it('holds one entry per link however many fake clients its messages name (60 full messages)', () => {
    const ours = new Awareness(new Y.Doc());
    const inspect = connected(createMessageGuard(limits, { ownClientId: ours.clientID }));
    let fakes = 0;
    for (let m = 0; m < 60; m++) {
      const entries: [number, unknown][] = [];
      for (let i = 0; i < 8000; i++) entries.push([1_000_000 + fakes++, {}]);
      const message = presence(entries);
      assert.ok(message.byteLength < limits.maxPresenceBytes);
      receive(ours, inspect, message);
    }
    assert.equal(fakes, 480_000);
    assert.equal(ours.getStates().size, 2, 'ours and the link\'s own');
    ours.destroy();
  });

  it('lets a peer set only its own state: never ours, never another peer\'s', () => {
    const ours = new Awareness(new Y.Doc());
    ours.setLocalState({ user: { name: 'me' } });
    const guard = createMessageGuard(limits, { ownClientId: ours.clientID });
    const honest = connected(guard);
    // An honest peer's first message: itself first, then what it knows of others.
    receive(ours, honest, presence([[11, { user: { name: 'b' } }], [12, { user: { name: 'c' } }]]));
    assert.deepEqual([...ours.getStates().keys()].sort(), [ours.clientID, 11].sort());
    const evil = connected(guard);
    receive(ours, evil, presence([[66, { user: { name: 'evil' } }]]));
    receive(ours, evil, presence([[11, { user: { name: 'not b' } }]]));
    assert.equal((ours.getStates().get(11) as { user: { name: string } }).user.name, 'b');
    const impostor = connected(guard);
    receive(ours, impostor, presence([[ours.clientID, { user: { name: 'not me' } }], [77, { user: { name: 'impostor' } }]]));
    assert.equal((ours.getLocalState() as { user: { name: string } }).user.name, 'me');
    ours.destroy();
  });

  it("takes a link's own presence from its full state after the sync request, not from what it relayed before", () => {
    const ours = new Awareness(new Y.Doc());
    const inspect = createMessageGuard(limits, { ownClientId: ours.clientID })();
    // Carol's link is still connecting when she relays Bob's state (y-webrtc relays every change
    // to every link): cut, and the link is not Bob's.
    receive(ours, inspect, presence([[21, { user: { name: 'bob' } }]]));
    assert.deepEqual([...ours.getStates().keys()], [ours.clientID]);
    // Connected: her sync request, then every state she knows, her own first.
    inspect(syncMessage(0, Y.encodeStateVector(new Y.Doc())));
    receive(ours, inspect, presence([[31, { user: { name: 'carol' } }], [21, { user: { name: 'bob' } }]]));
    assert.deepEqual([...ours.getStates().keys()].sort(), [ours.clientID, 31].sort());
    assert.equal((ours.getStates().get(31) as { user: { name: string } }).user.name, 'carol');
    // Later relays of Bob are still cut; her own changes still pass.
    receive(ours, inspect, presence([[21, { user: { name: 'bob', word: 'x' } }]]));
    assert.equal(ours.getStates().has(21), false);
    ours.destroy();
  });

  it('answers presence queries at the bounded request rate', () => {
    const inspect = createMessageGuard(limits)();
    let answered = 0;
    for (let i = 0; i < 30; i++) if (inspect(new Uint8Array([3])) === undefined) answered++;
    assert.equal(answered, Math.ceil(limits.peerRequestsPerMinute / 2));
  });
});

describe('share/messageGuard: no update waits forever for items that never come (issue 10, item 4)', () => {
  const limits = withLimits();
  const writer = newWriterKey();
  const batch = (i: number) => encodeLoggedBatch(writer, 'delta', new Uint8Array([i]), { seq: i, floor: 0, dead: [] });

  it('refuses an update that skips items or builds on items we do not have, and admits it in order', async () => {
    const theirs = new Y.Doc();
    const updates: Uint8Array[] = [];
    theirs.on('update', (update: Uint8Array) => updates.push(update));
    theirs.getArray<Uint8Array>(LOG_NAME).push([batch(1)]);
    theirs.getArray<Uint8Array>(LOG_NAME).push([batch(2)]);
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(theirs));
    const builtOn: Uint8Array[] = [];
    other.on('update', (update: Uint8Array) => builtOn.push(update));
    other.getArray<Uint8Array>(LOG_NAME).insert(1, [batch(3)]); // its origin is theirs
    other.getArray<Uint8Array>(LOG_NAME).delete(0, 1);
    const ours = new Y.Doc();
    // A link that has answered our sync request: what it sends next must stand on what we hold.
    const inspect = () => {
      const guard = createMessageGuard(limits, { log: { clockOf: (client) => Y.getState(ours.store, client), size: () => ({ batches: 0, bytes: 0 }) }, dependencyWaitMs: 0 })();
      guard(syncMessage(1, Y.encodeStateAsUpdate(new Y.Doc())));
      return guard;
    };
    const verdict = async (update: Uint8Array) => (await inspect()(syncMessage(2, update))) as { reason: string } | undefined;
    assert.match((await verdict(updates[1]))!.reason, /skips items/);
    assert.match((await verdict(builtOn[0]))!.reason, /refers to items we do not have/);
    assert.match((await verdict(builtOn[1]))!.reason, /refers to items we do not have/);
    for (const update of [updates[0], updates[1], builtOn[0], builtOn[1]]) {
      assert.equal(await verdict(update), undefined);
      Y.applyUpdate(ours, update);
    }
    assert.equal(ours.store.pendingStructs, null);
    assert.equal(ours.store.pendingDs, null);
  });

  it('holds an update whose items are on their way until they arrive (a mesh delivers out of order), then admits it', async () => {
    const theirs = new Y.Doc();
    const first: Uint8Array[] = [];
    theirs.on('update', (update: Uint8Array) => first.push(update));
    theirs.getArray<Uint8Array>(LOG_NAME).push([batch(1)]);
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(theirs));
    const builtOn: Uint8Array[] = [];
    other.on('update', (update: Uint8Array) => builtOn.push(update));
    other.getArray<Uint8Array>(LOG_NAME).push([batch(2)]); // follows theirs
    const ours = new Y.Doc();
    const guard = createMessageGuard(limits, { log: { clockOf: (client) => Y.getState(ours.store, client), size: () => ({ batches: 0, bytes: 0 }) }, dependencyWaitMs: 5_000 })();
    assert.equal(guard(syncMessage(1, Y.encodeStateAsUpdate(new Y.Doc()))), undefined, "the link's sync answer");
    const waiting = guard(syncMessage(2, builtOn[0]));
    assert.ok(waiting instanceof Promise, 'held, not refused');
    // What it builds on arrives over another link meanwhile.
    setTimeout(() => Y.applyUpdate(ours, first[0]), 60);
    assert.equal(await waiting, undefined);
    Y.applyUpdate(ours, builtOn[0]);
    assert.equal(ours.store.pendingStructs, null);
  });

  it("drops quietly, keeping the link, an update that needs items before the link's sync answer, which carries them", async () => {
    const theirs = new Y.Doc();
    const updates: Uint8Array[] = [];
    theirs.on('update', (update: Uint8Array) => updates.push(update));
    theirs.getArray<Uint8Array>(LOG_NAME).push([batch(1)]);
    theirs.getArray<Uint8Array>(LOG_NAME).push([batch(2)]);
    const ours = new Y.Doc();
    const guard = createMessageGuard(limits, { log: { clockOf: (client) => Y.getState(ours.store, client), size: () => ({ batches: 0, bytes: 0 }) }, dependencyWaitMs: 5_000 })();
    // The peer's second append, broadcast before it read our sync request: not held (the answer
    // behind it on the channel would wait too), not a reason to close the link, not reported.
    const early = guard(syncMessage(2, updates[1]));
    assert.ok(!(early instanceof Promise), 'not held');
    const dropped = early as { reason: string; close: boolean; quiet?: boolean };
    assert.deepEqual({ close: dropped.close, quiet: dropped.quiet }, { close: false, quiet: true });
    assert.match(dropped.reason, /skips items/);
    // The answer holds both appends.
    const answer = Y.encodeStateAsUpdate(theirs);
    assert.equal(await guard(syncMessage(1, answer)), undefined);
    Y.applyUpdate(ours, answer);
    assert.equal(ours.getArray(LOG_NAME).length, 2);
    assert.equal(ours.store.pendingStructs, null);
  });
});

