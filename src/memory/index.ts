// The public surface of the memory engine (pure: no vscode import anywhere under src/memory).
export * from './types';
export { tokenize, tokenizeWithOffsets, tokenizeWithSpacing, tokenKind, endsInsideWord, isWordy } from './tokenizer';
export { Memory, DEFAULT_ORDER, MAX_ORDER, type MemoryOptions, type DeltaOptions } from './memory';
export { Predictor, type PredictorOptions } from './predictor';
export { RecencyCache } from './recencyCache';
export type { Smoothing } from './levelScorer';
export { SNAPSHOT_VERSION } from './snapshotCodec';
