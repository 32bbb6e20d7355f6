import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { framedWrtc } from '../../../src/share/framedWrtc';
import { remoteWrtc, type RemoteWrtc } from '../../../src/share/remoteWrtc';
import { sleep, waitUntil } from '../../integration/share/harness';
import { linkedChannels } from './linkedChannels';


function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function roundTrip(link: Awaited<ReturnType<typeof linkedChannels>>, sizes: number[], seed: number): Promise<void> {
  const messages = sizes.map((size, k) => new Uint8Array(size).map((_, i) => (i * 7 + k + seed) & 0xff));
  const got: Uint8Array[] = [];
  const all = new Promise<void>((resolve) => {
    link.receiver.onmessage = (e: { data: ArrayBuffer }) => {
      got.push(new Uint8Array(e.data));
      if (got.length === messages.length) resolve();
    };
  });
  for (const message of messages) link.sender.send(message);
  await all;
  assert.deepEqual(got, messages);
}

describe('share/remoteWrtc (real @roamhq/wrtc in its own process)', function () {
  this.timeout(60_000);
  let wrtc: RemoteWrtc | undefined;
  afterEach(async () => {
    await wrtc?.close();
    wrtc = undefined;
  });

  it('links two peers through the WebRTC process and delivers framed messages far over the channel limit whole', async () => {
    wrtc = remoteWrtc();
    const framed = framedWrtc(wrtc, { maxMessageBytes: 16 * 1024 * 1024 });
    for (let round = 0; round < 2; round++) {
      const link = await linkedChannels(framed);
      try {
        assert.ok(wrtc.pid && wrtc.pid !== process.pid, 'the native module runs in another process');
        await roundTrip(link, [3 * 1024 * 1024, 700 * 1024, 10], round);
      } finally {
        link.close();
      }
    }
  });

  it('survives the WebRTC process crashing: links close, calls fail with the reason, and the next link starts a new process', async () => {
    const exits: string[] = [];
    wrtc = remoteWrtc({ onExit: (reason) => exits.push(reason) });
    const link = await linkedChannels(wrtc);
    await roundTrip(link, [1000], 1);
    const first = wrtc.pid!;
    const closes: string[] = [];
    link.sender.onclose = () => closes.push('sender');
    link.receiver.onclose = () => closes.push('receiver');
    link.a.oniceconnectionstatechange = () => closes.push(`a:${link.a.iceConnectionState}`);

    // What the native module's race does to its process.
    process.kill(first, 'SIGSEGV');
    await waitUntil(() => exits.length === 1, 10_000, 'the crash is reported');
    assert.match(exits[0], /WebRTC process was killed by SIGSEGV/);
    assert.deepEqual(closes.sort(), ['a:closed', 'receiver', 'sender']);
    assert.equal(link.sender.readyState, 'closed');
    assert.throws(() => link.sender.send(new Uint8Array(1)), /InvalidStateError/);
    assert.equal(link.b.connectionState, 'closed');
    assert.equal(wrtc.pid, undefined);

    // Right after a crash, new connections wait: their calls fail, saying why.
    const early: any = new (wrtc.RTCPeerConnection as any)({ iceServers: [] });
    await assert.rejects(early.createOffer(), /paused after its process was killed by SIGSEGV/);

    await sleep(700);
    const again = await linkedChannels(wrtc);
    try {
      assert.ok(wrtc.pid && wrtc.pid !== first, 'a new process');
      await roundTrip(again, [200 * 1024, 5], 2);
    } finally {
      again.close();
    }
    assert.equal(exits.length, 1);
    assert.ok(!alive(first));
  });

  it('says why when the native module does not load', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ln-wrtc-'));
    const script = path.join(dir, 'broken.js');
    writeFileSync(script, "process.send({ op: 'ready', error: 'the WebRTC module did not load: no binary for this platform' }, () => process.exit(1));\n");
    const exits: string[] = [];
    wrtc = remoteWrtc({ script, onExit: (reason) => exits.push(reason) });
    const pc: any = new (wrtc.RTCPeerConnection as any)({ iceServers: [] });
    const offer = pc.createOffer();
    await assert.rejects(offer, /exited with code 1: the WebRTC module did not load: no binary/);
    assert.equal(exits.length, 1);
    assert.equal(pc.iceConnectionState, 'closed');
  });

  it('ends its process on close', async () => {
    wrtc = remoteWrtc();
    const link = await linkedChannels(wrtc);
    const pid = wrtc.pid!;
    link.close();
    await wrtc.close();
    assert.ok(!alive(pid));
    const pc: any = new (wrtc.RTCPeerConnection as any)({ iceServers: [] });
    await assert.rejects(pc.createOffer(), /session closed/);
  });
});
