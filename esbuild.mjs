// Builds every bundle of the project: the extension host, its worker, the webview, the CLI, and for
// tests the light field's probes and the in-VS-Code test suites. `--watch` rebuilds on change;
// `--production` minifies for packaging.
import * as esbuild from 'esbuild';
import { vscodeSuites } from './scripts/lib/vscodeSuitesPlugin.mjs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  sourcemap: true,
  minify: production,
  logLevel: 'info',
  legalComments: 'none',
};

const node = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // The native WebRTC addon and the relay's SQLite (better-sqlite3) ship their own .node binaries;
  // they are loaded from node_modules at run time.
  external: ['vscode', '@roamhq/wrtc', 'better-sqlite3', 'bufferutil', 'utf-8-validate'],
};

/** @type {import('esbuild').BuildOptions[]} */
const builds = [
  { ...node, entryPoints: { extension: 'src/extension/extension.ts' }, outdir: 'dist' },
  // Sharing's heavy modules, loaded by the extension only when a session starts.
  { ...node, entryPoints: { shareRuntime: 'src/share/runtime.ts' }, outdir: 'dist' },
  // The process that runs the native WebRTC module for a share session (src/share/remoteWrtc.ts).
  { ...node, entryPoints: { wrtcProcess: 'src/share/wrtcProcess.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { trainWorker: 'src/extension/training/trainWorker.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { memoryFileWorker: 'src/extension/store/memoryFileWorker.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  {
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: { webview: 'src/webview/main.ts', layoutWorker: 'src/webview/layout/layoutWorker.ts' },
    outdir: 'dist',
  },
  // Test probes of the light field, injected into the panel's webview by UI tests; never packaged.
  {
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: { lightFieldProbes: 'test/e2e/harness/lightField/probesPage.ts' },
    outdir: 'dist/test',
  },
  // Suites that run inside a real VS Code extension host (test/vscode/suites/**, gathered by the
  // plugin; run by scripts/test.sh through code-server).
  {
    ...node,
    entryPoints: { index: 'test/vscode/index.ts' },
    outdir: 'dist/test/vscode',
    plugins: [vscodeSuites()],
    // mocha's parallel mode (unused here) resolves worker files at run time.
    logOverride: { 'require-resolve-not-external': 'silent' },
  },
];

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
