// A Memory as the team layer's sink and view, with the bulk path for peers' batches.
import type { Memory } from '../memory';
import type { TeamMemoryView } from './batchValidator';
import type { TeamSink } from './teamLayer';

/** `memory` is read on every call (the extension swaps its team memory when it loads one). */
export function memoryTeam(memory: () => Memory, onChanged: () => void = () => {}): TeamSink & TeamMemoryView {
  return {
    get order() {
      return memory().order;
    },
    wordCount: (word) => memory().wordCount(word),
    stats: () => memory().stats(),
    applyDelta(batch) {
      memory().applyDelta(batch);
      onChanged();
    },
    applyBulkDelta(batch, from, to, sign) {
      memory().applyBulkDelta(batch, from, to, sign);
      onChanged();
    },
  };
}
