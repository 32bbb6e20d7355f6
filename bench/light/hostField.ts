// The host side of a memory change, measured on a real memory: trains the engine on real text (the
// TypeScript compiler's own .d.ts files shipped in node_modules), then times FieldBuilder snapshots
// cold, and again after a small edit (the live path: only the touched words' successors are redone).
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FieldBuilder } from '../../src/extension/lightPanel/fieldBuilder';
import { RecencyClock } from '../../src/lightfield/recency';
import { Memory } from '../../src/memory/memory';
import { Predictor } from '../../src/memory/predictor';

const CORPUS = resolve(__dirname, '../../node_modules/typescript/lib');

export interface HostFieldResult {
  corpusBytes: number;
  vocabulary: number;
  neurons: number;
  rays: number;
  coldBuildMs: number;
  editBuildMs: number;
  /** Longest the event loop was held during the builds (the extension host's budget is 50 ms). */
  maxStallMs: number;
  bytes: Uint8Array;
}

export async function measureHostField(neurons: number, maxBytes = 4_000_000): Promise<HostFieldResult> {
  const local = new Memory();
  const team = new Memory();
  let corpusBytes = 0;
  for (const name of readdirSync(CORPUS).filter((f) => f.endsWith('.d.ts')).sort()) {
    if (corpusBytes >= maxBytes) break;
    const text = readFileSync(join(CORPUS, name), 'utf8');
    corpusBytes += text.length;
    local.setDocument(name, text);
  }
  const predictor = new Predictor([local, team]);
  const builder = new FieldBuilder({ local, team, predictNext: (c, k) => predictor.predictNext(c, k) }, new RecencyClock());
  // A timer-drift probe: the longest gap between 2 ms ticks is the longest stall.
  let maxStallMs = 0;
  let lastTick = performance.now();
  const tick = (): void => {
    const now = performance.now();
    maxStallMs = Math.max(maxStallMs, now - lastTick - 2);
    lastTick = now;
  };
  let probe = setInterval(tick, 2);
  await new Promise((resolve) => setTimeout(resolve, 20));
  maxStallMs = 0;
  let t0 = performance.now();
  const cold = await builder.build(neurons);
  const coldBuildMs = performance.now() - t0;
  // An edit: one small document changes; its words' cached successors are dropped. The engine's
  // own work is not the panel's: the probe does not count it.
  clearInterval(probe);
  const delta = local.setDocument('edit.ts', 'export function lanternKeeper(wick: number): string { return String(wick); }\n', { collectDelta: true });
  builder.invalidate(delta);
  lastTick = performance.now();
  probe = setInterval(tick, 2);
  t0 = performance.now();
  const edited = await builder.build(neurons);
  const editBuildMs = performance.now() - t0;
  await new Promise((resolve) => setTimeout(resolve, 10));
  clearInterval(probe);
  if (!cold || !edited) throw new Error('a field build was cancelled');
  return {
    corpusBytes,
    vocabulary: local.stats().vocabulary,
    neurons: edited.field.words.length,
    rays: edited.field.from.length,
    coldBuildMs,
    editBuildMs,
    maxStallMs,
    bytes: edited.bytes,
  };
}
