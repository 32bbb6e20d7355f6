// Loads dist/shareRuntime.js at the moment sharing starts. A bundler-visible `import()` would be
// inlined into dist/extension.js (CommonJS has no code splitting) and slow every activation.
import * as path from 'node:path';
import type * as vscode from 'vscode';

export type ShareRuntime = typeof import('../../share/runtime');

let runtime: ShareRuntime | undefined;

export function loadShareRuntime(context: vscode.ExtensionContext): ShareRuntime {
  const file = path.join(context.extensionPath, 'dist', 'shareRuntime.js');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  runtime ??= require(file) as ShareRuntime;
  return runtime;
}
