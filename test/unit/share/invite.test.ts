import { strict as assert } from 'node:assert';
import { createInvite, decodeInvite, encodeInvite, InviteError } from '../../../src/share/invite';

describe('share/invite', () => {
  it('creates random rooms and passwords and round-trips the code', () => {
    const a = createInvite(['ws://127.0.0.1:4444']);
    const b = createInvite(['ws://127.0.0.1:4444']);
    assert.notEqual(a.room, b.room);
    assert.notEqual(a.password, b.password);
    assert.ok(a.password.length >= 24);
    const code = encodeInvite(a);
    assert.match(code, /^lnet1\.[A-Za-z0-9_-]+$/);
    assert.deepEqual(decodeInvite(`  ${code}\n`), a);
  });

  it('explains what is wrong with a bad code', () => {
    assert.throws(() => decodeInvite('hello'), /not a Light Network invite/);
    assert.throws(() => decodeInvite('lnet1.%%%'), InviteError);
    const noSignal = 'lnet1.' + Buffer.from(JSON.stringify({ r: 'ln-aaaaaaaaaaaaaaaaaaaa', p: 'x'.repeat(20), s: [] })).toString('base64url');
    assert.throws(() => decodeInvite(noSignal), /no signaling server/);
    const http = 'lnet1.' + Buffer.from(JSON.stringify({ r: 'ln-aaaaaaaaaaaaaaaaaaaa', p: 'x'.repeat(20), s: ['http://x'] })).toString('base64url');
    assert.throws(() => decodeInvite(http), /must start with ws:\/\//);
    const shortPassword = 'lnet1.' + Buffer.from(JSON.stringify({ r: 'ln-aaaaaaaaaaaaaaaaaaaa', p: 'x', s: ['ws://h:1'] })).toString('base64url');
    assert.throws(() => decodeInvite(shortPassword), /valid password/);
  });

  it('carries a team relay address, with or without signaling servers', () => {
    const invite = createInvite([], 'ws://relay.example:8080');
    const back = decodeInvite(encodeInvite(invite));
    assert.equal(back.relay, 'ws://relay.example:8080');
    assert.deepEqual(back.signaling, []);
    assert.equal(decodeInvite(encodeInvite(createInvite(['ws://h:1']))).relay, undefined);
    const badRelay = 'lnet1.' + Buffer.from(JSON.stringify({ r: 'ln-aaaaaaaaaaaaaaaaaaaa', p: 'x'.repeat(20), s: [], v: 'http://x' })).toString('base64url');
    assert.throws(() => decodeInvite(badRelay), /relay address "http:\/\/x" must start with ws:\/\//);
  });
});
