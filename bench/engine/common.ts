// What the engine's bench scripts share: reading `--name value` options and listing corpus files.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const args = process.argv.slice(2);

/** The value after `--name`, or `fallback` when the option is absent. */
export function opt(name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
}

/** Every file below `dir`, in sorted (deterministic) order. */
export function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else out.push(p);
  }
  return out;
}
