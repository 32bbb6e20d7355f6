import { strict as assert } from 'node:assert';
import { framedWrtc, type WrtcImplementation } from '../../../src/share/framedWrtc';
import { linkedChannels } from './linkedChannels';

describe('share/framedWrtc (real @roamhq/wrtc, in process)', function () {
  this.timeout(30_000);

  it('delivers messages far over the 256 KiB channel limit whole, sent right as the channel opens', async () => {
    const wrtc = framedWrtc(require('@roamhq/wrtc') as WrtcImplementation, { maxMessageBytes: 16 * 1024 * 1024 });
    for (let round = 0; round < 3; round++) {
      const { sender, receiver, close } = await linkedChannels(wrtc);
      try {
        const messages = [3 * 1024 * 1024, 700 * 1024, 10].map((size, k) => new Uint8Array(size).map((_, i) => (i * 7 + k + round) & 0xff));
        const got: Uint8Array[] = [];
        const all = new Promise<void>((resolve) => {
          receiver.onmessage = (e: { data: ArrayBuffer }) => {
            got.push(new Uint8Array(e.data));
            if (got.length === messages.length) resolve();
          };
        });
        for (const message of messages) sender.send(message);
        await all;
        assert.deepEqual(got, messages);
      } finally {
        close();
      }
    }
  });

  it('caps what waits to be sent on a link that does not drain, and closes it (issue 10, item 5)', () => {
    const rejected: string[] = [];
    const cap = 4 * 1024 * 1024;
    const wrtc = framedWrtc(require('@roamhq/wrtc') as WrtcImplementation, { maxMessageBytes: cap, maxSendQueueBytes: cap, onReject: (r) => rejected.push(r) });
    const pc: any = new (wrtc.RTCPeerConnection as any)({ iceServers: [] });
    try {
      // Never connected: nothing drains, as with a peer that never reads. 30 answers of 1 MiB each.
      const channel = pc.createDataChannel('stuck');
      let most = 0;
      for (let i = 0; i < 30; i++) {
        channel.send(new Uint8Array(1024 * 1024));
        most = Math.max(most, channel.bufferedAmount);
      }
      assert.ok(most <= cap, `${most} bytes queued`);
      assert.equal(channel.bufferedAmount, 0, 'the queue is dropped with the link');
      assert.equal(rejected.length, 1);
      assert.match(rejected[0], /does not read what we send.*link closed/);
    } finally {
      pc.close();
    }
  });
});
