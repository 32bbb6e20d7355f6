// How much room a training should reserve in the store before applying files. The store grows by
// doubling and each growth rehashes everything inside one small job (seconds at millions of
// n-grams); making room once, before the first file, keeps every job short.
//
// Distinct n-grams grow slower than text (Heaps' law). Measured at order 8 with the CLI: 1.9 MB of
// code gave 0.92 n-grams per byte, 8.9 MB of docs 0.99, 21 MB of npm package sources (the
// extension bench) 0.57; bytes^0.8 fits the code and npm points. The margin covers corpora above
// the curve (docs, prose); the doubling it replaces left as much slack, and a room left mostly
// unused is not written to the saved file.

const REFERENCE_BYTES = 2e6;
const PER_BYTE_AT_REFERENCE = 0.92;
const GROWTH_EXPONENT = 0.8;
const MARGIN = 1.25;
const MEASURED_ORDER = 8;

/** The n-grams `bytes` of new text are expected to add to a memory of `order`, generously. */
export function expectedNgrams(bytes: number, order: number): number {
  if (!(bytes > 0)) return 0;
  const scaled = bytes <= REFERENCE_BYTES ? bytes : REFERENCE_BYTES * (bytes / REFERENCE_BYTES) ** GROWTH_EXPONENT;
  return Math.ceil(MARGIN * PER_BYTE_AT_REFERENCE * scaled * (order / MEASURED_ORDER));
}

/**
 * The room to reserve for `newBytes` of files the memory has not learned yet, capped by the
 * memory budget (`maxNgrams`, 0 = none) given the `held` n-grams: training above the budget is
 * pruned afterwards, so reserving past it would only waste memory.
 */
export function ngramsToReserve(newBytes: number, order: number, held: number, budget: number): number {
  const expected = expectedNgrams(newBytes, order);
  return budget > 0 ? Math.min(expected, Math.max(0, budget - held)) : expected;
}
