// Messages between the webview and its layout worker.

export interface LayoutJob {
  id: number;
  positions: Float32Array;
  /** Per neuron 0..1: how freely it may move (new words move, known ones mostly stay). */
  mobility: Float32Array;
  from: Uint32Array;
  to: Uint32Array;
  weight: Float32Array;
  iterations: number;
}

export interface LayoutResult {
  id: number;
  positions: Float32Array;
  ms: number;
}
