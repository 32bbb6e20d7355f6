// The standalone light-field page: the real light field outside VS Code, fed by the bench (or by a
// developer in a browser) with packed fields, with the test probes on `window.lightField`. Messages
// the field sends are kept for inspection.
import { packField } from '../../src/lightfield/packing';
import type { HostToWebview, PeerMessage, PredictionMessage, WebviewToHost } from '../../src/protocol/lightMessages';
import { LightFieldApp } from '../../src/webview/lightFieldApp';
import { createProbes } from '../../test/e2e/harness/lightField/probes';
import { syntheticField } from './syntheticField';

const root = document.getElementById('light-root')!;
const sent: WebviewToHost[] = [];
// ?tonemap=on|off forces the float-buffer path either way (default: GPUs only).
const toneMap = new URLSearchParams(location.search).get('tonemap');
const app = new LightFieldApp(
  root,
  { post: (message) => sent.push(message), saveState: () => undefined },
  { workerUrl: root.dataset.worker ?? '', toneMap: toneMap === 'on' || toneMap === 'off' ? toneMap : 'auto' },
);
const receive = (message: HostToWebview): void => app.receive(message);
receive({ type: 'settings', settings: { reduceMotion: 'off', neuronLimit: 100_000 } });
const probes = createProbes(app.inspector());

Object.assign(window, {
  lightField: probes,
  sentMessages: sent,
  bench: {
    /** Packs a synthetic field (what the host does) and returns it with the time it took. */
    pack(neurons: number, seed = 1, version = 1) {
      const field = syntheticField(neurons, 2, seed, version);
      const t0 = performance.now();
      const bytes = packField(field);
      return { bytes, packMs: performance.now() - t0 };
    },
    /** Delivers a packed field as the host's message would, then draws; ms until the frame is done. */
    deliver(bytes: Uint8Array) {
      const t0 = performance.now();
      receive({ type: 'field', bytes, source: 'training', changedAt: Date.now() });
      app.drawFrame();
      probes.timeFrames(1);
      return performance.now() - t0;
    },
    ignite(word: string, predictions: PredictionMessage[]) {
      receive({ type: 'ignite', word, predictions, origin: 'typing' });
    },
    settings(reduceMotion: 'on' | 'off' | 'auto') {
      receive({ type: 'settings', settings: { reduceMotion, neuronLimit: 100_000 } });
    },
    peers(peers: PeerMessage[]) {
      receive({ type: 'peers', peers });
    },
    /** Any other message, as the host would send it. */
    receive,
  },
});
