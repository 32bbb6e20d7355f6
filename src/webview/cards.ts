// The hover card (beside the neuron under the pointer) and the selection card (with "Forget this
// word"), kept in step with the view model and the host's descriptions.
import type { Chrome } from './chrome';
import type { WordDescriptions } from './descriptions';
import type { Projection } from './projection';
import type { FieldViewModel } from './viewModel';

export class Cards {
  private readonly unsubscribe: (() => void)[];

  constructor(
    private readonly model: FieldViewModel,
    private readonly descriptions: WordDescriptions,
    private readonly chrome: Chrome,
    private readonly projection: Projection,
  ) {
    this.unsubscribe = [
      model.subscribe((change) => {
        if (change === 'field') descriptions.clear();
        if (change === 'field' || change === 'hover' || change === 'selection') this.refresh();
      }),
      descriptions.onAdded(() => this.refresh()),
    ];
  }

  dispose(): void {
    for (const unsubscribe of this.unsubscribe) unsubscribe();
  }

  private refresh(): void {
    const { hovered, selected } = this.model;
    if (hovered >= 0) {
      const word = this.model.wordAt(hovered);
      const [sx, sy] = this.projection.screenOf(hovered);
      this.chrome.showHover({ word, ...this.descriptions.get(word) }, sx, sy);
    } else {
      this.chrome.showHover(undefined);
    }
    if (selected >= 0) {
      const word = this.model.wordAt(selected);
      this.chrome.showCard({ word, ...this.descriptions.get(word) });
    } else {
      this.chrome.showCard(undefined);
    }
  }
}
