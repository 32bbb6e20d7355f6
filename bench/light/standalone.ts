// Serves the standalone light-field page on loopback and opens it in headless Chromium (SwiftShader
// WebGL), for the bench and for looking at the renderer without VS Code.
import * as esbuild from 'esbuild';
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, normalize, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const ROOT = resolve(__dirname, '../..');
const OUT = join(ROOT, 'bench/results/light');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export async function buildStandalone(): Promise<void> {
  await esbuild.build({
    entryPoints: { bench: join(ROOT, 'bench/light/benchPage.ts'), layoutWorker: join(ROOT, 'src/webview/layout/layoutWorker.ts') },
    outdir: OUT,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    sourcemap: true,
    logLevel: 'warning',
  });
}

/** Serves page.html, the bundles and media/ only; everything else is a 404. */
function serve(): Promise<{ server: Server; url: string }> {
  const routes: Record<string, string> = {
    '/': join(ROOT, 'bench/light/page.html'),
    '/bench.js': join(OUT, 'bench.js'),
    '/dist/layoutWorker.js': join(OUT, 'layoutWorker.js'),
  };
  const server = createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const file = routes[path] ?? (path.startsWith('/media/light/') ? join(ROOT, normalize(path).replace(/^\/+/, '')) : undefined);
    if (!file || !file.startsWith(ROOT)) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    done({ server, url: `http://127.0.0.1:${port}/` });
  }));
}

export interface Standalone {
  page: Page;
  close(): Promise<void>;
}

export async function openStandalone(viewport = { width: 1280, height: 800 }, extraArgs: string[] = [], query = ''): Promise<Standalone> {
  await buildStandalone();
  const { server, url } = await serve();
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: [...CHROMIUM_FLAGS, ...extraArgs] });
    const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${url}${query}`);
    await page.waitForFunction(() => 'bench' in window, undefined, { timeout: 20_000 });
    if (errors.length) throw new Error(`The standalone page failed: ${errors.join('; ')}`);
    const b = browser;
    return {
      page,
      close: async () => {
        await b.close();
        server.close();
      },
    };
  } catch (error) {
    await browser?.close();
    server.close();
    throw error;
  }
}
