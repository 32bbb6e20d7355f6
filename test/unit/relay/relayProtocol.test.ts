import { strict as assert } from 'node:assert';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { RelayConnectionGuard, RoomTally } from '../../../src/relay/relayGuard';
import { documentNameOf, MESSAGE_SYNC, RELAY_LOG, relayLimitsFrom, relayRoom, seal, SEAL_OVERHEAD, sealPresence, SYNC_UPDATE, unseal, unsealPresence } from '../../../src/relay/relayProtocol';
import { withLimits } from '../../../src/share/limits';

function syncUpdate(documentName: string, update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, documentName);
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, SYNC_UPDATE);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

function appendUpdate(entries: Uint8Array[], name = RELAY_LOG): Uint8Array {
  const doc = new Y.Doc();
  doc.getArray<Uint8Array>(name).push(entries);
  return Y.encodeStateAsUpdate(doc);
}

describe('relay/relayProtocol', () => {
  const room = relayRoom('ln-roomroomroomroomroom', 'p'.repeat(32));

  it('derives a token, its document name and a key that differ from each other and between rooms', () => {
    assert.equal(room.documentName, documentNameOf(room.token));
    assert.notEqual(room.token, room.key.toString('base64url'));
    const other = relayRoom('ln-otherotherotherother', 'p'.repeat(32));
    assert.notEqual(other.token, room.token);
    assert.notDeepEqual(other.key, room.key);
    assert.deepEqual(relayRoom('ln-roomroomroomroomroom', 'p'.repeat(32)).key, room.key);
  });

  it('seals so that only the room key opens, and any change is refused', () => {
    const plain = new TextEncoder().encode('the quantum marmalade engine');
    const sealed = seal(room, plain);
    assert.equal(sealed.constructor, Uint8Array, 'Yjs stores only plain Uint8Arrays');
    assert.equal(sealed.byteLength, plain.byteLength + SEAL_OVERHEAD);
    assert.ok(!Buffer.from(sealed).includes(Buffer.from('marmalade')));
    assert.deepEqual(Buffer.from(unseal(room, sealed)!), Buffer.from(plain));
    const tampered = Uint8Array.from(sealed);
    tampered[20] ^= 1;
    assert.equal(unseal(room, tampered), undefined);
    assert.equal(unseal(relayRoom('ln-otherotherotherother', 'p'.repeat(32)), sealed), undefined);
    assert.deepEqual(unsealPresence(room, sealPresence(room, { user: { name: 'Ada' }, word: 'gizmo' })), { user: { name: 'Ada' }, word: 'gizmo' });
    assert.equal(unsealPresence(room, 'not sealed'), undefined);
  });

  it('admits sealed appends to the log and refuses anything else, counted in entries and items', () => {
    const limits = relayLimitsFrom(withLimits(), { maxRoomEntries: 3, maxItemsPerMessage: 10, itemsPerSecond: 1 });
    let now = 0;
    const tally = new RoomTally();
    const guard = new RelayConnectionGuard(limits, room.documentName, { rated: true, room: tally, now: () => now });
    assert.equal(guard.inspect(syncUpdate(room.documentName, appendUpdate([seal(room, new Uint8Array([1]))]))), undefined);
    assert.match(guard.inspect(syncUpdate('another-room', appendUpdate([seal(room, new Uint8Array([1]))])))!.reason, /another room/);
    assert.match(guard.inspect(syncUpdate(room.documentName, appendUpdate([new Uint8Array(40)])))!.reason, /not sealed/);
    assert.match(guard.inspect(syncUpdate(room.documentName, appendUpdate([seal(room, new Uint8Array([1]))], 'elsewhere')))!.reason, /outside/);
    const eleven = Array.from({ length: 11 }, () => seal(room, new Uint8Array([2])));
    assert.match(guard.inspect(syncUpdate(room.documentName, appendUpdate(eleven)))!.reason, /more than 10 items/);
    // The room cap counts what was admitted before it is applied: 1 + 2 fit, a third message does not.
    assert.equal(guard.inspect(syncUpdate(room.documentName, appendUpdate([seal(room, new Uint8Array([3])), seal(room, new Uint8Array([4]))]))), undefined);
    assert.deepEqual(tally.size().entries, 3);
    now += 60_000;
    assert.match(guard.inspect(syncUpdate(room.documentName, appendUpdate([seal(room, new Uint8Array([5]))])))!.reason, /more than 3 entries/);
  });

  it('spends a rate budget per connection at the relay, none at a peer', () => {
    const limits = relayLimitsFrom(withLimits(), { maxItemsPerMessage: 4, itemsPerSecond: 1 });
    const relaySide = new RelayConnectionGuard(limits, room.documentName, { rated: true, now: () => 0 });
    const peerSide = new RelayConnectionGuard(limits, room.documentName, { rated: false, now: () => 0 });
    const message = syncUpdate(room.documentName, appendUpdate([seal(room, new Uint8Array([1])), seal(room, new Uint8Array([2])), seal(room, new Uint8Array([3]))]));
    assert.equal(relaySide.inspect(message), undefined);
    assert.match(relaySide.inspect(message)!.reason, /items a second/);
    assert.equal(peerSide.inspect(message), undefined);
    assert.equal(peerSide.inspect(message), undefined);
  });
});
