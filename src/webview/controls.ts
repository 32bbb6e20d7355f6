// What the user's intents do: camera moves go to the camera and framing, hover, clicks and search
// change the view model, and clicks, searches and "forget" ask the host. A search of several words
// lights their path in the view model (no host needed: the path is made of the words on show).
import type { WebviewToHost } from '../protocol/lightMessages';
import type { Camera } from './camera';
import type { Chrome } from './chrome';
import type { Framing } from './framing';
import type { FieldIntents } from './interaction';
import type { Picker } from './picking';
import type { SurfaceSize } from './projection';
import { describePath, isPhrase, phraseWords } from './phrasePath';
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

  /** As the user types: a phrase lights its path at once; fewer words end a path (one word waits for Enter, as before). */
  searchTyped(query: string): void {
    if (isPhrase(query)) this.lightPhrase(query, false);
    else this.endPath();
  }

  /**
   * Enter: a phrase lights its path (again); one word flies to the word found, selects it and asks
   * the host to ignite it.
   */
  search(query: string): void {
    if (isPhrase(query)) {
      this.lightPhrase(query, true);
      return;
    }
    this.endPath();
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

  /** Lights a phrase's path (framing frames it) and says in the search box what was skipped. */
  private lightPhrase(query: string, relight: boolean): void {
    const path = this.parts.model.lightPath(phraseWords(query), relight);
    this.parts.chrome.setSearchStatus(describePath(path));
  }

  endPath(): void {
    if (!this.parts.model.path) return;
    this.parts.model.endPath();
    this.parts.chrome.setSearchStatus('');
  }

  forgetSelected(): void {
    const { model } = this.parts;
    if (model.selected >= 0) this.parts.post({ type: 'forget', word: model.wordAt(model.selected) });
  }
}
