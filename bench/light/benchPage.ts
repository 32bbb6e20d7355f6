// The standalone light-field page: the real FieldView outside VS Code, fed by the bench (or by a
// developer in a browser) with packed fields. Messages the view sends are kept for inspection.
import { packField } from '../../src/lightfield/packing';
import type { PeerMessage, WebviewToHost } from '../../src/protocol/lightMessages';
import { FieldView } from '../../src/webview/fieldView';
import { syntheticField } from './syntheticField';

const root = document.getElementById('light-root')!;
const sent: WebviewToHost[] = [];
// ?tonemap=on|off forces the float-buffer path either way (default: GPUs only).
const toneMap = new URLSearchParams(location.search).get('tonemap');
const view = new FieldView(
  root,
  { post: (m) => sent.push(m), saveState: () => undefined },
  root.dataset.worker ?? '',
  undefined,
  toneMap === 'on' || toneMap === 'off' ? toneMap : 'auto',
);
view.receive({ type: 'settings', settings: { reduceMotion: 'off', neuronLimit: 100_000 } });

Object.assign(window, {
  lightField: view.debugApi(),
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
      view.receive({ type: 'field', bytes, source: 'training', changedAt: Date.now() });
      view.drawFrame();
      view.debugApi().timeFrames(1);
      return performance.now() - t0;
    },
    ignite(word: string, predictions: { token: string; probability: number }[]) {
      view.receive({ type: 'ignite', word, predictions, origin: 'typing' });
    },
    settings(reduceMotion: 'on' | 'off' | 'auto') {
      view.receive({ type: 'settings', settings: { reduceMotion, neuronLimit: 100_000 } });
    },
    peers(peers: PeerMessage[]) {
      view.receive({ type: 'peers', peers });
    },
  },
});
