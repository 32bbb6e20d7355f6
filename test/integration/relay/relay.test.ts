// The team relay end to end, through the real commands: `light-network relay` instances (one
// Redis from Debian between two of them, a data folder across a restart) and `light-network peer`
// seeds learning a folder and joiners reading the invite from standard input.
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { freePort, waitUntil } from '../share/harness';
import { ghostText, redisAvailable, startPeer, startRedis, startRelay, tempDir, type Proc } from './processes';

const PHRASE = 'the quantum marmalade engine flips seven purple gizmos';
const CONTINUATION = ' engine flips seven purple gizmos';
const SECRET = 'sk_live_4f9XbQ2mZt7LpW1cV8nR3yK6hJ0dS5aE';

function teamFolder(root: string): string {
  const folder = path.join(root, 'team');
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, 'notes.md'), `${PHRASE}\n${PHRASE} again\n\nstripe key: ${SECRET}\n`);
  return folder;
}

describe('relay (light-network relay and peer --relay)', function () {
  const running: Proc[] = [];
  const track = <T extends { proc: Proc } | Proc>(started: T): T => {
    running.push('proc' in started ? started.proc : started);
    return started;
  };

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      for (const proc of running) console.error(`--- ${proc.name} stderr:\n${proc.err.slice(-3000)}`);
    }
    await Promise.all(running.splice(0).map((proc) => proc.stop()));
  });

  it('two instances behind one Redis: a seed learns a folder through one, a joiner through the other completes its phrase', async function () {
    if (!redisAvailable()) throw new Error('redis-server is missing: run scripts/setup.sh (it installs Debian redis-server)');
    const dir = tempDir('ln-relay-redis-');
    const redis = track(await startRedis());
    const one = track(await startRelay(['--port', '0', '--redis', redis.url], 'relay 1'));
    const two = track(await startRelay(['--port', '0', '--redis', redis.url], 'relay 2'));
    assert.notEqual(one.url, two.url);

    const seed = track(startPeer(['--share', '--relay', one.url, '--learn', teamFolder(dir), '-m', path.join(dir, 'seed.bin'), '--name', 'main-branch'], undefined, 'seed'));
    const [invite] = await seed.waitFor(/^lnet1\.\S+$/m);
    await seed.waitFor(/learned 1 files/, 30_000, 'err');

    const joinerMemory = path.join(dir, 'joiner.bin');
    const joiner = track(startPeer(['--join', '-', '--relay', two.url, '-m', joinerMemory, '--name', 'ada'], invite, 'joiner'));
    await joiner.waitFor(new RegExp(`through the relay ${two.url.replace(/[.:/]/g, '\\$&')}`), 30_000, 'err');
    await waitUntil(() => ghostText(joinerMemory, 'the quantum marmalade') === CONTINUATION, 60_000, 'the joiner completes the folder phrase');
    // Presence crosses the instances too: the joiner sees the seed by name.
    await joiner.waitFor(/peers: main-branch/, 30_000, 'err');
    // Secrets were blanked before the seed learned anything: they never reach the team.
    assert.ok(!readFileSync(joinerMemory).includes(Buffer.from(SECRET)));
    assert.ok(!ghostText(joinerMemory, 'stripe key:').includes('sk_live'));
  });

  it('a restarted relay with its data folder gives a new joiner the team memory while no peer is online, and holds nothing readable', async function () {
    const dir = tempDir('ln-relay-restart-');
    const data = path.join(dir, 'relay-data');
    const port = await freePort();
    const first = track(await startRelay(['--port', String(port), '--data', data], 'relay (first run)'));
    const seed = track(startPeer(['--share', '--relay', first.url, '--learn', teamFolder(dir), '-m', path.join(dir, 'seed.bin')], undefined, 'seed'));
    const [invite] = await seed.waitFor(/^lnet1\.\S+$/m);
    // A first joiner proves the relay holds the folder's counts before everyone leaves.
    const early = path.join(dir, 'early.bin');
    const joiner = track(startPeer(['--join', '-', '-m', early], invite, 'early joiner'));
    await waitUntil(() => ghostText(early, 'the quantum marmalade') === CONTINUATION, 60_000, 'the early joiner completes the phrase');
    await joiner.stop();
    await seed.stop();
    await first.proc.stop();

    // At rest: sealed bytes only (no word of the folder, no room name, no password).
    const stored = readFileSync(path.join(data, 'relay.sqlite'));
    const { decodeInvite } = await import('../../../src/share/invite');
    const { room, password } = decodeInvite(invite);
    for (const readable of ['marmalade', 'gizmos', room, password]) assert.ok(!stored.includes(Buffer.from(readable)), `the relay stored "${readable}"`);

    const second = track(await startRelay(['--port', String(port), '--data', data], 'relay (second run)'));
    assert.equal(second.url, first.url);
    const late = path.join(dir, 'late.bin');
    track(startPeer(['--join', '-', '-m', late], invite, 'late joiner'));
    await waitUntil(() => ghostText(late, 'the quantum marmalade') === CONTINUATION, 60_000, 'the late joiner completes the phrase from the relay alone');
  });

  it('says clearly when the relay or Redis cannot be reached', async function () {
    const port = await freePort();
    const dir = tempDir('ln-relay-dead-');
    // A dead relay: the peer says so and keeps trying (it still runs).
    const peer = track(startPeer(['--share', '--relay', `ws://127.0.0.1:${port}`, '-m', path.join(dir, 'p.bin')], undefined, 'peer'));
    await peer.waitFor(/unreachable, retrying/, 30_000, 'err');
    assert.ok(peer.running);
    // It comes up later on that address: the peer connects by itself.
    track(await startRelay(['--port', String(port)], 'late relay'));
    await peer.waitFor(/: connected/, 30_000, 'err');
    // A dead Redis: the relay starts, says so, and keeps serving.
    const redisPort = await freePort();
    const relay = track(await startRelay(['--port', '0', '--redis', `redis://127.0.0.1:${redisPort}`], 'relay without its redis'));
    await relay.proc.waitFor(/redis 127\.0\.0\.1:\d+: .*\(retrying\)/, 30_000, 'err');
    assert.ok(relay.proc.running);
    // A bad address is refused before anything starts.
    const bad = startPeer(['--share', '--relay', 'http://x', '-m', path.join(dir, 'q.bin')], undefined, 'bad');
    assert.notEqual(await bad.exited, 0);
    assert.match(bad.err, /relay address "http:\/\/x" must start with ws:\/\//);
  });
});
