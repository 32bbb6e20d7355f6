// What the user's intents do: camera moves go to the camera and framing, hover, clicks and search
// change the view model, and clicks, searches and "forget" ask the host.
import type { WebviewToHost } from '../protocol/lightMessages';
import type { Camera } from './camera';
import type { Chrome } from './chrome';
import type { Framing } from './framing';
import type { FieldIntents } from './interaction';
import type { Picker } from './picking';
import type { SurfaceSize } from './projection';
import { findWord } from './search';
import type { FieldViewModel } from './viewModel';

export interface ControlParts {
  model: FieldViewModel;
  camera: Camera;
  framing: Framing;
  picker: Picker;
  chrome: Pick<Chrome, 'setSearchStatus'>;
  size(): SurfaceSize;
  post(message: WebviewToHost): void;
}

export class FieldControls implements FieldIntents {
  constructor(private readonly parts: ControlParts) {}

  panBy(dx: number, dy: number): void {
    this.parts.camera.panByPixels(dx, dy);
  }

  zoomAt(factor: number, x: number, y: number): void {
    const { width, height } = this.parts.size();
    this.parts.camera.zoomAt(factor, x, y, width, height);
  }

  placedView(): void {
    this.parts.framing.userPlaced();
  }

  fitAll(): void {
    this.parts.framing.fitAll();
  }

  hoverAt(x: number, y: number): void {
    this.parts.model.hover(this.parts.picker.pick(x, y));
  }

  hoverNothing(): void {
    this.parts.model.hover(-1);
  }

  clickAt(x: number, y: number): void {
    const { model, picker } = this.parts;
    const picked = picker.pick(x, y);
    model.select(picked);
    if (picked >= 0) this.parts.post({ type: 'ignite', word: model.wordAt(picked), origin: 'click' });
  }

  deselect(): void {
    this.parts.model.select(-1);
  }

  /** Flies to the word found, selects it and asks the host to ignite it. */
  search(query: string): void {
    const { model, chrome, framing } = this.parts;
    const found = model.field ? findWord(model.field.words, (w) => model.indexOfWord(w), query) : -1;
    if (found < 0) {
      chrome.setSearchStatus(query ? `“${query}” is not among the words on show` : '');
      return;
    }
    chrome.setSearchStatus('');
    model.select(found);
    framing.focus(found);
    this.parts.post({ type: 'ignite', word: model.wordAt(found), origin: 'search' });
  }

  forgetSelected(): void {
    const { model } = this.parts;
    if (model.selected >= 0) this.parts.post({ type: 'forget', word: model.wordAt(model.selected) });
  }
}
