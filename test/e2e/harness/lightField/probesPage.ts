// Bundled into dist/test/lightFieldProbes.js and evaluated in the light panel's webview by UI tests
// (install.ts): puts the probes on `window.lightField` once the field answers.
import { createProbes, requestInspector } from './probes';

const page = window as unknown as { lightField?: unknown };
if (!page.lightField) {
  const inspector = requestInspector();
  if (inspector) page.lightField = createProbes(inspector);
}
