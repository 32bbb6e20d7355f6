import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/cli';
import { commands } from '../../../src/cli/commands/index';
import { INVITE_ENV } from '../../../src/cli/commands/peer';
import type { CliIO } from '../../../src/cli/command';
import { createInvite, encodeInvite } from '../../../src/share/invite';

const root = path.resolve(__dirname, '../../..');

/** Runs `light-network peer` as its own process (it reads standard input and the environment). */
function peer(args: string[], options: { input?: string; env?: Record<string, string> } = {}) {
  const env = { ...process.env, ...options.env };
  if (!options.env?.[INVITE_ENV]) delete env[INVITE_ENV];
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'peer', ...args, '--memory', path.join(root, 'no-such-dir', 'team.bin')], {
    cwd: root,
    input: options.input ?? '',
    env,
    encoding: 'utf8',
  });
}

describe('cli peer: the invite code never on the command line', () => {
  it('refuses an invite given as an argument, and says how to pass it', async () => {
    const code = encodeInvite(createInvite(['ws://127.0.0.1:4444']));
    let err = '';
    const io: CliIO = { out: () => {}, err: (t) => void (err += t), isTTY: false };
    assert.equal(await runCli(['peer', '--join', code, '--memory', 'team.bin'], commands, io), 2);
    assert.match(err, /not taken on the command line/);
    assert.match(err, /--join -/);
    assert.match(err, new RegExp(INVITE_ENV));
    assert.ok(!err.includes(code), 'the refusal does not echo the code');
  });

  // An invalid code reaches the invite decoder only if it was read: its message proves where from.
  it('reads the invite code from standard input with --join -', () => {
    const run = peer(['--join', '-'], { input: 'lnet0.not-a-code\nmore lines\n' });
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /not a Light Network invite code/);
    const empty = peer(['--join', '-'], { input: '' });
    assert.equal(empty.status, 2);
    assert.match(empty.stderr, /no invite code on standard input/);
  });

  it(`reads the invite code from ${INVITE_ENV} without --join, and refuses --share while it is set`, () => {
    const run = peer([], { env: { [INVITE_ENV]: 'lnet0.not-a-code' } });
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /not a Light Network invite code/);
    const share = peer(['--share', '--signal', 'ws://127.0.0.1:4444'], { env: { [INVITE_ENV]: 'lnet0.x' } });
    assert.equal(share.status, 2);
    assert.match(share.stderr, new RegExp(`${INVITE_ENV} is set`));
    const none = peer([]);
    assert.equal(none.status, 2);
    assert.match(none.stderr, /give --join -/);
  });
});
