// Shared by the ask tests (the CLI's indexed memory and the extension's live memory answer the same
// questions over the same kind of text).

/** A token a secret scanner recognizes (GitHub's format): never found, completed or shown. */
export const SECRET = 'ghp_R8fK2mQ9xZ4vL7pW1sT6yB3nH5jD0cA8eG2u';

/** A long file (many chunks): numbered statements, every seventh calling `render(frame)`. */
export function numberedFile(lines: number, seed: number): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    if (i % 7 === seed % 7) out.push(`  const v${i} = render(frame) + ${i};`);
    else if (i % 11 === 0) out.push('');
    else out.push(`  step${i}(value${i % 13}, ${i});`);
  }
  return out.join('\n');
}
