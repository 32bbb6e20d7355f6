import type { WrtcImplementation } from '../../../src/share/framedWrtc';

// Two real peer connections of a WebRTC implementation (in process or in the WebRTC process), linked
// directly (no signaling server), as simple-peer links them for a session.
export async function linkedChannels(wrtc: WrtcImplementation) {
  const a: any = new (wrtc.RTCPeerConnection as any)({ iceServers: [] });
  const b: any = new (wrtc.RTCPeerConnection as any)({ iceServers: [] });
  // No trickle: each description is sent once its candidates are gathered into it.
  const gathered = (pc: any) =>
    new Promise<void>((resolve) => {
      if (pc.iceGatheringState === 'complete') return resolve();
      pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && resolve();
    });
  const received = new Promise<any>((resolve) => (b.ondatachannel = (e: any) => resolve(e.channel)));
  const sender = a.createDataChannel('test');
  // Listened for from the start: the channel can open before setRemoteDescription's promise settles.
  const opened = new Promise<void>((resolve) => (sender.onopen = () => resolve()));
  await a.setLocalDescription(await a.createOffer());
  await gathered(a);
  await b.setRemoteDescription(a.localDescription);
  await b.setLocalDescription(await b.createAnswer());
  await gathered(b);
  await a.setRemoteDescription(b.localDescription);
  if (sender.readyState !== 'open') await opened;
  return { a, b, sender, receiver: await received, close: () => (a.close(), b.close()) };
}
