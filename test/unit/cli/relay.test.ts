import { strict as assert } from 'node:assert';
import { runCli } from '../../../src/cli/cli';
import { commands } from '../../../src/cli/commands/index';
import type { CliIO } from '../../../src/cli/command';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => void (out += t), err: (t) => void (err += t), isTTY: false };
  const code = await runCli(args, commands, io);
  return { code, out, err };
}

describe('cli relay and peer --relay/--learn/--watch: bad input is refused with a reason', () => {
  it('relay: a Redis address must be redis://host:port', async () => {
    const result = await run(['relay', '--port', '0', '--redis', 'http://x']);
    assert.equal(result.code, 2);
    assert.match(result.err, /--redis takes redis:\/\/host:port/);
  });

  it('peer: --share needs a signaling server or a relay, not both', async () => {
    assert.match((await run(['peer', '--share', '-m', 'x.bin'])).err, /--signal <ws:\/\/host:port>.*or --relay/);
    const both = await run(['peer', '--share', '--signal', 'ws://h:1', '--relay', 'ws://h:2', '-m', 'x.bin']);
    assert.equal(both.code, 2);
    assert.match(both.err, /not both/);
  });

  it('peer: --watch needs --learn, and --learn a folder', async () => {
    assert.match((await run(['peer', '--share', '--relay', 'ws://h:2', '--watch', '-m', 'x.bin'])).err, /give --learn <folder> too/);
    assert.match((await run(['peer', '--share', '--relay', 'ws://h:2', '--learn', 'no-such-folder', '-m', 'x.bin'])).err, /not one/);
    assert.match((await run(['peer', '--share', '--relay', 'ws://h:2', '--learn', '.', '--watch', '--watch-seconds', '0', '-m', 'x.bin'])).err, /between 0\.1 and 86400/);
  });
});
