// Finding a word of the field from what the user typed in the search box.

/** The exact word, else the first word starting with the query, else the first containing it (case-insensitive); -1 if none. */
export function findWord(words: readonly string[], indexOf: (word: string) => number | undefined, query: string): number {
  if (!query) return -1;
  const exact = indexOf(query);
  if (exact !== undefined) return exact;
  const lower = query.toLowerCase();
  const prefix = words.findIndex((w) => w.toLowerCase().startsWith(lower));
  return prefix >= 0 ? prefix : words.findIndex((w) => w.toLowerCase().includes(lower));
}
