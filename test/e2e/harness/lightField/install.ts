// Puts the light-field probes (probes.ts, bundled by esbuild.mjs into dist/test/lightFieldProbes.js)
// into a light panel's webview as `window.lightField`. The page's scripts are not touched: the bundle
// is evaluated in the frame, and retried until the field has started and answers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { repoRoot } from '../paths';

const BUNDLE = join(repoRoot, 'dist/test/lightFieldProbes.js');

export async function installLightFieldProbes(frame: Frame, timeoutMs = 60_000): Promise<void> {
  const source = readFileSync(BUNDLE, 'utf8');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await frame.evaluate(source);
    if (await frame.evaluate(() => 'lightField' in window)) return;
    if (Date.now() > deadline) throw new Error(`the light field in ${frame.url()} did not answer the probes within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
