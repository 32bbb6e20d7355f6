// npm run bench:light — renders synthetic light fields of 10k and 100k neurons (twice as many rays)
// in headless Chromium and reports: frame time, the time from a memory change (the host packing a
// snapshot) to the updated frame, and the layout worker's time. Under SwiftShader (software WebGL)
// the numbers are CPU-bound: compare them between runs on this machine, not with a GPU.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { measureHostField, type HostFieldResult } from './hostField';
import { openStandalone } from './standalone';

const SIZES = (process.env.LIGHT_BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const OUT = resolve(__dirname, '../results');

interface Row {
  neurons: number;
  rays: number;
  packMs: number;
  bytes: number;
  changeToFrameMs: number;
  updateToFrameMs: number;
  frameMs: number;
  fps: number;
  rafFps: number;
  layoutMs: number;
}

async function main(): Promise<void> {
  const standalone = await openStandalone();
  const { page } = standalone;
  const rows: Row[] = [];
  try {
    const renderer = await page.evaluate(() => {
      const gl = document.createElement('canvas').getContext('webgl');
      const info = gl?.getExtension('WEBGL_debug_renderer_info');
      return info && gl ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : 'unknown';
    });
    console.log(`WebGL renderer: ${renderer}`);
    for (const [round, neurons] of SIZES.entries()) {
      const row = await page.evaluate(async ({ n, version }) => {
        const w = window as any;
        const lf = w.lightField;
        // First snapshot: host packs, webview decodes, seeds the layout, uploads and draws.
        const first = w.bench.pack(n, 1, version);
        const changeToFrameMs = first.packMs + w.bench.deliver(first.bytes);
        const layoutStart = performance.now();
        while (lf.layoutVersion() < version) await new Promise((r) => setTimeout(r, 20));
        const layoutMs = performance.now() - layoutStart;
        // An update of the same field (the memory grew): stable layout, tween from old positions.
        const second = w.bench.pack(n, 1, version + 1);
        const updateToFrameMs = second.packMs + w.bench.deliver(second.bytes);
        w.bench.ignite(lf.words(1)[0], []);
        lf.timeFrames(2); // warm up
        const frameMs = lf.timeFrames(n >= 100000 ? 5 : 15);
        // Frames the page's own animation loop manages in two seconds.
        const before = lf.frameTimes().length;
        await new Promise((r) => setTimeout(r, 2000));
        const rafFps = (lf.frameTimes().length - before) / 2;
        return { neurons: lf.neurons(), rays: lf.rays(), packMs: first.packMs, bytes: first.bytes.length, changeToFrameMs, updateToFrameMs, frameMs, fps: 1000 / frameMs, rafFps, layoutMs };
      }, { n: neurons, version: 10 * (round + 1) });
      rows.push(row);
      console.log(
        `${row.neurons.toLocaleString().padStart(8)} neurons ${row.rays.toLocaleString().padStart(8)} rays | ` +
          `frame ${row.frameMs.toFixed(1)} ms (${row.fps.toFixed(1)} fps; rAF ${row.rafFps.toFixed(1)} fps) | ` +
          `change->frame ${row.changeToFrameMs.toFixed(0)} ms (pack ${row.packMs.toFixed(0)} ms, ${(row.bytes / 1e6).toFixed(1)} MB), ` +
          `update->frame ${row.updateToFrameMs.toFixed(0)} ms | layout worker ${row.layoutMs.toFixed(0)} ms`,
      );
    }
    // A real memory: the host builds the snapshot after an edit, the webview shows it.
    const host: (Omit<HostFieldResult, 'bytes'> & { deliverMs: number; changeToFrameMs: number })[] = [];
    for (const neurons of [10_000]) {
      const { bytes, ...measured } = await measureHostField(neurons);
      const deliverMs = await page.evaluate((b) => (window as any).bench.deliver(new Uint8Array(b)), Array.from(bytes));
      const row = { ...measured, deliverMs, changeToFrameMs: measured.editBuildMs + deliverMs };
      host.push(row);
      console.log(
        `real memory (${(row.corpusBytes / 1e6).toFixed(1)} MB of .d.ts, ${row.vocabulary.toLocaleString()} words): ` +
          `${row.neurons.toLocaleString()} neurons ${row.rays.toLocaleString()} rays | host build cold ${row.coldBuildMs.toFixed(0)} ms, ` +
          `after an edit ${row.editBuildMs.toFixed(0)} ms, longest host stall ${row.maxStallMs.toFixed(0)} ms | ` +
          `webview ${deliverMs.toFixed(0)} ms | change->frame ${row.changeToFrameMs.toFixed(0)} ms`,
      );
    }
    mkdirSync(OUT, { recursive: true });
    const file = join(OUT, 'light.json');
    writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), renderer, rows, host }, null, 2));
    console.log(`Results written to ${file}`);
  } finally {
    await standalone.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
