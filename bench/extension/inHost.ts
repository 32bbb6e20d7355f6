// The extension bench's half that runs inside the real VS Code extension host (loaded as the
// extensionTestsPath): it watches the extension's first-start training of the bench workspace,
// then measures activation, memory use, completion latency and reload, and writes JSON.
import { copyFileSync, readFileSync, rmSync, writeFileSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { LightNetworkApi, LightNetworkTestSeam } from '../../src/extension/api';

const EXTENSION_ID = 'light-network.light-network';

export async function run(): Promise<void> {
  const out = process.env.LIGHT_NETWORK_BENCH_OUT;
  if (!out) throw new Error('LIGHT_NETWORK_BENCH_OUT is not set');
  const drift = driftProbe();
  const cpu = cpuShares();
  const gc = gcPauses();
  const extension = vscode.extensions.getExtension<LightNetworkApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded`);
  const api = (await extension.activate()).testing;
  const memoryAtStart = process.memoryUsage();
  await api.whenIdle();
  const driftMaxMs = drift.stop();
  const machine = { ...cpu.stop(), longestGcPauseMs: gc.stop() };
  const training = api.status().lastTraining;
  if (!training) throw new Error('the extension did not train on start');
  const memoryAfter = process.memoryUsage();
  // And once the workers a training starts (reading files, building the index) have stopped.
  await new Promise((resolve) => setTimeout(resolve, 5_000));
  const memorySettled = process.memoryUsage();
  const stats = api.local.stats();

  const result = {
    activation: { activateMs: api.status().activationMs, phases: api.status().activationPhases, bundleLoadMs: measureBundleLoad(extension.extensionPath) },
    training: { ...training, driftProbeMaxStallMs: driftMaxMs, tokensPerSecond: training.tokens / (training.ms / 1000), machine },
    save: api.status().lastSave,
    memory: {
      ngrams: stats.ngrams,
      tokens: stats.tokens,
      vocabulary: stats.vocabulary,
      countTableBytes: stats.bytes,
      bytesPerNgram: stats.ngrams ? stats.bytes / stats.ngrams : 0,
      rssMB: memoryAfter.rss / 1e6,
      rssGrowthMB: (memoryAfter.rss - memoryAtStart.rss) / 1e6,
      rssSettledMB: memorySettled.rss / 1e6,
      heapUsedMB: memoryAfter.heapUsed / 1e6,
      arrayBuffersMB: memoryAfter.arrayBuffers / 1e6,
      savedFileMB: (await fs.stat(api.storageFile)).size / 1e6,
    },
    latency: await measureProviders(api),
    reload: await measureReload(api),
  };
  writeFileSync(out, JSON.stringify(result, null, 2));
}

/** Time to load (parse and evaluate) the extension bundle in this host, as VS Code does before activate(). */
function measureBundleLoad(extensionPath: string): number {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    // A fresh copy inside the extension folder, so require('vscode') resolves for it as for the real one.
    const copy = path.join(extensionPath, 'dist', `.bench-load-${process.pid}-${i}.js`);
    copyFileSync(path.join(extensionPath, 'dist', 'extension.js'), copy);
    const started = performance.now();
    require(copy);
    samples.push(performance.now() - started);
    delete require.cache[copy];
    rmSync(copy, { force: true });
  }
  return median(samples);
}

/**
 * Replays typing through real files: positions move forward through each document, line by line,
 * as a typist's cursor does, and each provider is asked as VS Code asks it on a keystroke.
 */
async function measureProviders(api: LightNetworkTestSeam): Promise<Record<string, unknown>> {
  const files = (await vscode.workspace.findFiles('**/*.{ts,js,md}', undefined, 60)).slice(0, 30);
  const inline: number[] = [];
  const suggest: number[] = [];
  const complete: number[] = [];
  let shown = 0;
  const context: vscode.InlineCompletionContext = { triggerKind: vscode.InlineCompletionTriggerKind.Automatic, selectedCompletionInfo: undefined };
  for (const uri of files) {
    const document = await vscode.workspace.openTextDocument(uri);
    const lines = Math.min(document.lineCount, 400);
    for (let line = 0; line < lines; line++) {
      const text = document.lineAt(line).text;
      for (const character of [Math.floor(text.length / 2), text.length]) {
        if (character === 0) continue;
        const position = new vscode.Position(line, character);
        const token = new vscode.CancellationTokenSource().token;
        let started = performance.now();
        const items = await api.providers.inline.provideInlineCompletionItems(document, position, context, token);
        inline.push(performance.now() - started);
        if (items && (Array.isArray(items) ? items.length : items.items.length)) shown++;
        started = performance.now();
        await api.providers.suggest.provideCompletionItems(document, position, token, { triggerKind: vscode.CompletionTriggerKind.Invoke, triggerCharacter: undefined });
        suggest.push(performance.now() - started);
        const before = document.getText(new vscode.Range(new vscode.Position(Math.max(0, line - 20), 0), position));
        started = performance.now();
        api.complete(before);
        complete.push(performance.now() - started);
      }
    }
  }
  return {
    files: files.length,
    requests: inline.length,
    withGhostText: shown,
    inlineProviderMs: percentiles(inline),
    suggestProviderMs: percentiles(suggest),
    completeMs: percentiles(complete),
  };
}

async function measureReload(api: LightNetworkTestSeam): Promise<Record<string, unknown>> {
  const started = performance.now();
  const drift = driftProbe();
  const cpu = cpuShares();
  await api.restart();
  await api.whenIdle();
  const maxStallMs = drift.stop();
  return { restartMs: performance.now() - started, decodeMs: api.status().loadMs, installMs: api.status().loadInstallMs, maxStallMs, catchUp: api.status().lastTraining, machine: cpu.stop() };
}

/** A timer-drift probe beside the extension's own sampler: the longest gap between 5 ms ticks. */
function driftProbe(): { stop(): number } {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 5);
    last = now;
  }, 5);
  return {
    stop() {
      clearInterval(timer);
      return worst;
    },
  };
}

/**
 * The machine's CPU time shares over a stretch (Linux /proc/stat): on a virtual machine, `steal`
 * is time the hypervisor gave to others, during which any thread, the host's included, stalls
 * whatever it runs; a stall figure means little without it.
 */
function cpuShares(): { stop(): { busyPercent: number; stealPercent: number } | undefined } {
  const read = (): number[] | undefined => {
    try {
      return readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    } catch {
      return undefined;
    }
  };
  const before = read();
  return {
    stop() {
      const after = read();
      if (!before || !after) return undefined;
      const d = after.map((v, i) => v - (before[i] ?? 0));
      const total = d.reduce((a, b) => a + b, 0) || 1;
      const idle = (d[3] ?? 0) + (d[4] ?? 0);
      return { busyPercent: (100 * (total - idle)) / total, stealPercent: (100 * (d[7] ?? 0)) / total };
    },
  };
}

/** The longest garbage-collection pause of this host (all kinds) while it runs. */
function gcPauses(): { stop(): number } {
  let longest = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longest = Math.max(longest, entry.duration);
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    stop() {
      observer.disconnect();
      return longest;
    },
  };
}

function percentiles(samples: number[]): { p50: number; p90: number; p99: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[sorted.length - 1] ?? 0 };
}

function median(samples: number[]): number {
  return percentiles(samples).p50;
}
