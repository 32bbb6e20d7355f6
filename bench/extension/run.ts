// npm run bench:extension — the extension in a real VS Code (code-server + headless Chromium) on a
// large real workspace: activation time, first-start training time with the longest event-loop
// stall, memory use, completion provider latency and reload. Prints a table, writes JSON to
// bench/results/.
//   tsx bench/extension/run.ts [--workspace DIR] [--mb N]
// Without --workspace it assembles N MB (default 24) of real source files of npm packages from
// this repository's node_modules (JavaScript, TypeScript, Markdown), as a typical large project.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as esbuild from 'esbuild';
import { launchVSCode, removeDir, repoRoot, scratchDir } from '../../test/e2e/harness/index';
import { DEFAULT_EXCLUDES } from '../../src/workspace/fileFilter';
import { walkWorkspace } from '../../src/workspace/walk';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};

async function main(): Promise<void> {
  const bundle = join(repoRoot, 'dist/bench/extension/inHost.js');
  await esbuild.build({
    entryPoints: [join(repoRoot, 'bench/extension/inHost.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    logLevel: 'warning',
  });
  const scratch = scratchDir('bench-extension');
  const workspace = option('--workspace') ?? (await assembleWorkspace(join(scratch, 'workspace'), Number(option('--mb') ?? 24)));
  const out = join(scratch, 'result.json');
  console.log(`Light Network extension bench on ${workspace}`);
  const session = await launchVSCode({
    workspace,
    label: 'bench-extension',
    extensionTestsPath: bundle,
    env: { LIGHT_NETWORK_BENCH_OUT: out },
  });
  let exit: number | 'timeout';
  try {
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 20 * 60_000).unref());
    exit = await Promise.race([session.workbench.exitCode, timeout]);
  } finally {
    await session.stop();
  }
  if (exit !== 0 || !existsSync(out)) throw new Error(`the in-host bench failed (exit ${exit}); see ${session.logFile}`);
  const result = JSON.parse(readFileSync(out, 'utf8'));
  removeDir(scratch);
  const resultsDir = join(repoRoot, 'bench/results');
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `extension-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ workspace: option('--workspace') ?? `node_modules sample`, ...result }, null, 2));
  printTable(result);
  console.log(`\nJSON: ${relative(repoRoot, file)}`);
}

/** Copies real package sources (learnable files only) until `megabytes` are gathered. */
async function assembleWorkspace(target: string, megabytes: number): Promise<string> {
  const source = join(repoRoot, 'node_modules');
  let bytes = 0;
  for await (const file of walkWorkspace(source, { exclude: [...DEFAULT_EXCLUDES, '.bin/**', '.package-lock.json'], gitignore: false })) {
    if (!/\.(js|ts|mjs|cjs|md|json)$/.test(file.rel) || file.size < 200) continue;
    const dest = join(target, 'packages', file.rel);
    cpSync(file.path, dest);
    bytes += file.size;
    if (bytes >= megabytes * 1e6) break;
  }
  writeFileSync(join(target, 'README.md'), `Bench workspace: ${(bytes / 1e6).toFixed(1)} MB of npm package sources.\n`);
  return target;
}

function printTable(r: any): void {
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  const shares = (m?: { busyPercent: number; stealPercent: number }) => (m ? `${m.busyPercent.toFixed(0)}% / ${m.stealPercent.toFixed(0)}%` : '–');
  const rows: [string, string, string][] = [
    ['activation: activate() call', ms(r.activation.activateMs), '≤ 50 ms (with load)'],
    ['activation: bundle load', ms(r.activation.bundleLoadMs), ''],
    ['activation: total', ms(r.activation.activateMs + r.activation.bundleLoadMs), '≤ 50 ms'],
    ['training: files learned / skipped', `${r.training.filesLearned} / ${r.training.filesSkipped}`, ''],
    ['training: text learned', `${(r.training.bytes / 1e6).toFixed(1)} MB, ${r.training.tokens} tokens`, ''],
    ['training: wall time', `${(r.training.ms / 1000).toFixed(1)} s (${Math.round(r.training.tokensPerSecond)} tokens/s)`, ''],
    ['training: longest event-loop stall', ms(r.training.maxStallMs), '≤ 50 ms'],
    ['training: machine busy / CPU stolen by the hypervisor', shares(r.training.machine), ''],
    ['training: longest garbage-collection pause', ms(r.training.machine?.longestGcPauseMs ?? 0), ''],
    ['training: longest memory job / slice', `${ms(r.training.longestJobMs)} / ${ms(r.training.longestSliceMs ?? 0)}`, ''],
    ['training: longest job was', String(r.training.longestJobLabel ?? '–'), ''],
    ['training: host time applying / workers', `${(r.training.applyMs / 1000).toFixed(1)} s / ${(r.training.prepareMs / 1000).toFixed(1)} s`, ''],
    ['save after training: copy (host) / encode (worker) / total', r.save ? `${ms(r.save.copyMs ?? 0)} / ${ms(r.save.encodeMs)} / ${ms(r.save.ms)}` : '–', ''],
    ['longest stall, start to saved (drift probe)', ms(r.training.driftProbeMaxStallMs), ''],
    ['memory: n-grams', `${r.memory.ngrams} (${r.memory.bytesPerNgram.toFixed(1)} B/n-gram)`, '≤ 24 B'],
    ['memory: extension host RSS', `${r.memory.rssMB.toFixed(0)} MB (+${r.memory.rssGrowthMB.toFixed(0)} MB while training)`, ''],
    ['memory: host RSS 5 s later (workers stopped)', `${r.memory.rssSettledMB.toFixed(0)} MB`, '≤ 400 MB'],
    ['memory: saved file', `${r.memory.savedFileMB.toFixed(1)} MB`, ''],
    ['latency: inline provider p50/p99', `${ms(r.latency.inlineProviderMs.p50)} / ${ms(r.latency.inlineProviderMs.p99)}`, '0.5 / 5 ms'],
    ['latency: suggest provider p50/p99', `${ms(r.latency.suggestProviderMs.p50)} / ${ms(r.latency.suggestProviderMs.p99)}`, ''],
    ['latency: requests with ghost text', `${r.latency.withGhostText} of ${r.latency.requests}`, ''],
    ['reload: restart / load (worker) / install (host)', `${ms(r.reload.restartMs)} / ${ms(r.reload.decodeMs ?? 0)} / ${ms(r.reload.installMs ?? 0)}`, ''],
    ['reload: longest stall (of it, the catch-up training)', `${ms(r.reload.maxStallMs)} (${ms(r.reload.catchUp?.maxStallMs ?? 0)})`, ''],
    ['reload: machine busy / CPU stolen by the hypervisor', shares(r.reload.machine), ''],
  ];
  const width = Math.max(...rows.map((row) => row[0].length));
  for (const [name, value, target] of rows) console.log(`${name.padEnd(width)}  ${value}${target ? `   (target ${target})` : ''}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
