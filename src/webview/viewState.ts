// The view a reload brings back (camera and search text), saved through the host channel whenever
// the user places the view.
import type { LightPanelState } from '../protocol/lightMessages';
import type { Camera } from './camera';

export class ViewStateSaver {
  constructor(
    private readonly save: (state: LightPanelState) => void,
    private readonly camera: Camera,
    private readonly search: HTMLInputElement,
  ) {}

  /** Puts a saved view back (before the first frame). */
  restore(state: LightPanelState): void {
    this.camera.lookAt(state.camera);
    if (state.search) this.search.value = state.search;
  }

  persist(): void {
    this.save({ camera: { ...this.camera.state }, search: this.search.value });
  }
}
