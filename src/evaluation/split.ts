// The deterministic corpus split of DESIGN.md: within a project, sort the file paths; the file at
// sorted index i is test when i % 10 == 9, validation when i % 10 == 8, training otherwise.

export interface CorpusSplit<T> {
  train: T[];
  validation: T[];
  test: T[];
}

export type SplitName = keyof CorpusSplit<unknown>;

export function splitOf(sortedIndex: number): SplitName {
  const slot = sortedIndex % 10;
  return slot === 9 ? 'test' : slot === 8 ? 'validation' : 'train';
}

/** Plain code-unit order, so the split never depends on the machine's locale. */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Splits one project's files by their (relative) paths. The input order does not matter. */
export function splitProject<T>(items: T[], pathOf: (item: T) => string): CorpusSplit<T> {
  const sorted = [...items].sort((x, y) => comparePaths(pathOf(x), pathOf(y)));
  const split: CorpusSplit<T> = { train: [], validation: [], test: [] };
  sorted.forEach((item, index) => split[splitOf(index)].push(item));
  return split;
}
