// The bench's scale table: both engines learning growing prefixes of one large pinned corpus (the
// C sources of Debian's linux-source-6.1, about 1.1 GB) through the real `light-network train`,
// each run in a process of its own from start to memory file written, then the memory loaded and
// completed from in another. Peak RSS is the child's own maximum resident set.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Predictor } from '../../memory/index';
import { summarizeLatency, type LatencySummary } from '../../evaluation/latency';
import { CliFailure } from '../command';
import { tool } from './corpora';
import { loadMemory } from '../memoryFile';
import { IndexedMemory } from '../../memory/indexedMemory';
import { LiveMemory } from '../../memory/liveMemory';
import type { TrainReport } from '../commands/train';

const run = promisify(execFile);

/** Debian's kernel sources: one language family (C), 55k files, pinned to one package version. */
export const LARGE_CORPUS = { package: 'linux-source-6.1', version: '6.1.192-3', archive: 'usr/src/linux-source-6.1.tar.xz', folder: 'linux-source-6.1' };
/** Characters per token of C as learned (measured), to size each prefix before learning it. */
const CHARS_PER_TOKEN = 5;
/** Files `train` leaves out by size (lightNetwork.training.maxFileSizeKB's default): not counted. */
const MAX_FILE_BYTES = 1024 * 1024;
/** One file in this many is held out: the texts completions are timed on. */
const HELD_OUT = 100;
/** The trie engine is run up to this many tokens (beyond, it needs more memory than the machine
 *  has, or hits its 2^26-node cap). */
export const TRIE_LIMIT = 12_000_000;

export interface ScalePoint {
  engine: 'indexed' | 'trie';
  targetTokens: number;
  train?: TrainReport;
  bytesPerToken?: number;
  fileBytesPerToken?: number;
  tokensPerSecond?: number;
  probe?: ProbeReport;
  error?: string;
}

/** The live memory (what the extension runs) over the loaded index: edits, and completions after them. */
export interface LiveProbe {
  edits: LatencySummary;
  completions: LatencySummary;
  overlayNgrams: number;
}

export interface ProbeReport {
  loadMs: number;
  completions: LatencySummary;
  live?: LiveProbe;
  peakRssBytes: number;
}

/** Fetches and unpacks the corpus into `cacheDir/linux` once; returns the folder of its sources. */
export async function fetchLargeCorpus(cacheDir: string, log: (m: string) => void): Promise<string> {
  const home = path.join(cacheDir, 'linux');
  const folder = path.join(home, LARGE_CORPUS.folder);
  const stamp = path.join(home, 'fetched.json');
  const pinned = `${LARGE_CORPUS.package}=${LARGE_CORPUS.version}`;
  if ((await fs.readFile(stamp, 'utf8').catch(() => '')) === pinned) return folder;
  log(`fetching Debian ${pinned} (about 140 MB) into ${home}`);
  await fs.rm(home, { recursive: true, force: true });
  await fs.mkdir(home, { recursive: true });
  await tool('apt-get', ['download', pinned], home);
  const deb = (await fs.readdir(home)).find((f) => f.endsWith('.deb'));
  if (!deb) throw new CliFailure(`apt-get download ${pinned} left no .deb file`);
  await tool('dpkg', ['-x', deb, 'deb'], home);
  await tool('tar', ['-xJf', path.join('deb', LARGE_CORPUS.archive)], home);
  await fs.rm(path.join(home, 'deb'), { recursive: true, force: true });
  await fs.rm(path.join(home, deb), { force: true });
  await fs.writeFile(stamp, pinned);
  return folder;
}

/** The corpus's C sources and headers, sorted by path; every HELD_OUT-th is held out. */
async function sourceFiles(folder: string): Promise<{ learn: Array<{ rel: string; bytes: number }>; heldOut: string[] }> {
  const all: Array<{ rel: string; bytes: number }> = [];
  const walk = async (dir: string): Promise<void> => {
    for (const e of await fs.readdir(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && /\.[ch]$/.test(e.name)) {
        const bytes = (await fs.stat(p)).size;
        if (bytes <= MAX_FILE_BYTES) all.push({ rel: path.relative(folder, p), bytes });
      }
    }
  };
  await walk(folder);
  all.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return { learn: all.filter((_, i) => i % HELD_OUT !== HELD_OUT - 1), heldOut: all.filter((_, i) => i % HELD_OUT === HELD_OUT - 1).map((f) => f.rel) };
}

/**
 * Lays out the first files making about `tokens` tokens as a folder of hard links (cheap, and
 * the same files every run), and the held-out files as another. A target beyond the corpus takes
 * it again, as further copies in folders of their own (a repository with vendored copies).
 */
export async function layOutPrefixes(folder: string, into: string, targets: number[]): Promise<{ prefixes: Map<number, string>; heldOut: string }> {
  const { learn, heldOut } = await sourceFiles(folder);
  const prefixes = new Map<number, string>();
  if (learn.length === 0) throw new CliFailure(`no .c or .h files in ${folder}`);
  const link = async (rel: string, dir: string, as = rel) => {
    const to = path.join(dir, as);
    await fs.mkdir(path.dirname(to), { recursive: true });
    await fs.link(path.join(folder, rel), to).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
  };
  for (const target of targets) {
    const dir = path.join(into, String(target));
    const done = path.join(dir, '.complete');
    prefixes.set(target, dir);
    if (await fs.stat(done).catch(() => undefined)) continue;
    await fs.rm(dir, { recursive: true, force: true });
    let bytes = 0;
    for (let copy = 1; bytes < target * CHARS_PER_TOKEN; copy++) {
      for (const f of learn) {
        if (bytes >= target * CHARS_PER_TOKEN) break;
        await link(f.rel, dir, copy === 1 ? f.rel : path.join(`copy-${copy}`, f.rel));
        bytes += f.bytes;
      }
    }
    await fs.writeFile(done, '');
  }
  const held = path.join(into, 'held-out');
  for (const rel of heldOut) await link(rel, held);
  return { prefixes, heldOut: held };
}

/** Trains one engine on one prefix in a child process, then loads and completes in another. */
export async function measurePoint(
  engine: 'indexed' | 'trie',
  targetTokens: number,
  prefix: string,
  heldOut: string,
  workDir: string,
): Promise<ScalePoint> {
  const point: ScalePoint = { engine, targetTokens };
  const file = path.join(workDir, `scale-${engine}-${targetTokens}.mem`);
  try {
    const { stdout } = await run(process.execPath, [...process.execArgv, process.argv[1], 'train', prefix, '-o', file, '--engine', engine, '--json'], {
      maxBuffer: 16 * 1024 * 1024,
    });
    const train = JSON.parse(stdout) as TrainReport;
    point.train = train;
    point.bytesPerToken = train.peakRssBytes / train.tokens;
    point.fileBytesPerToken = train.fileBytes / train.tokens;
    point.tokensPerSecond = train.tokens / train.totalSeconds;
    const probe = await run(process.execPath, [...process.execArgv, process.argv[1], 'bench', '--probe-memory', file, '--typing', heldOut], { maxBuffer: 16 * 1024 * 1024 });
    point.probe = JSON.parse(probe.stdout) as ProbeReport;
  } catch (error) {
    const e = error as Error & { stderr?: string };
    point.error = (e.stderr?.trim().split('\n').slice(-2).join(' ') || e.message).slice(0, 400);
  } finally {
    await fs.rm(file, { force: true });
  }
  return point;
}

/**
 * In the probe process: loads the memory (timed) and times the real completion path at evenly
 * spaced cursor positions of the held-out files (their own text before the cursor, a recency
 * cache per file that has seen the text up to the keystroke before, as in the editor).
 */
export async function probeMemory(file: string, typingDir: string, calls = 2000): Promise<ProbeReport> {
  const start = performance.now();
  const memory = await loadMemory(file);
  const loadMs = performance.now() - start;
  const predictor = new Predictor([memory]);
  predictor.warmUp();
  const texts: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const e of (await fs.readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else texts.push(await fs.readFile(p, 'utf8'));
    }
  };
  await walk(typingDir);
  const chars = texts.reduce((n, t) => n + t.length, 0);
  const stride = Math.max(1, Math.floor(chars / calls));
  const completions = timeCompletions(predictor, texts, stride);
  const live = memory instanceof IndexedMemory ? probeLiveMemory(memory, texts, stride) : undefined;
  return { loadMs, completions, live, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
}

/** Times the completion path every `stride` characters of the texts, as a typist meets it. */
function timeCompletions(predictor: Predictor, texts: string[], stride: number): LatencySummary {
  const times: number[] = [];
  texts.forEach((text, i) => {
    for (let at = stride; at < text.length; at += stride) {
      // As a typist: the cache has seen the text up to the previous keystroke; the call is timed.
      predictor.complete(text.slice(0, at - 1), { cacheKey: `file-${i}`, alternatives: 3 });
      const t0 = performance.now();
      predictor.complete(text.slice(0, at), { cacheKey: `file-${i}`, alternatives: 3 });
      times.push(performance.now() - t0);
    }
  });
  return summarizeLatency(times);
}

/**
 * The extension's path over an indexed memory: the live memory (the index plus an overlay of
 * changes). Times edits as the editor makes them, to learned files: 400 of the index's documents
 * (chunks of files), evenly spread, each replaced by itself with a word typed into its middle (as
 * the learner swaps an edited chunk), then completions with those changes in the overlay.
 */
function probeLiveMemory(memory: IndexedMemory, texts: string[], stride: number): LiveProbe {
  const live = new LiveMemory(memory);
  const edits: number[] = [];
  const ids = memory.documentIds();
  const step = Math.max(1, Math.floor(ids.length / 400));
  for (let d = 0; d < ids.length && edits.length < 400; d += step) {
    const tokens = memory.documentTokens(ids[d]) as string[];
    if (tokens.length < 8 || tokens.includes('')) continue;
    // The chunk's text as learned, spacing included (its tokens read back the same), with
    // "lightly " typed before its middle token: the edit changes only the spacing around the word.
    const { bits } = memory.documentIdsAndBits(ids[d]) as { bits: Uint8Array };
    const half = tokens.length >> 1;
    const typed = tokens.map((t, i) => (i === half ? ' lightly ' : (bits[i >> 3] >> (i & 7)) & 1 ? ' ' : '') + t).join('');
    const t0 = performance.now();
    live.swapDocument(ids[d], `${ids[d]}.typed`, typed);
    edits.push(performance.now() - t0);
  }
  const completions = timeCompletions(new Predictor([live]), texts, stride);
  return { edits: summarizeLatency(edits), completions, overlayNgrams: live.overlaySize };
}

/** The scale table, one row per engine and size. */
export function corpusScaleSection(points: ScalePoint[]): string {
  const rows = [['engine', 'tokens', 'peak RSS', 'B/token', 'train tok/s', 'file B/token', 'save s', 'load ms', 'complete ms p50 / p99', 'live: edit ms p50 / p99', 'live: complete ms p50 / p99']];
  for (const p of points) {
    if (!p.train || !p.probe) {
      rows.push([p.engine, `~${(p.targetTokens / 1e6).toFixed(0)}M`, p.error ?? 'failed', '', '', '', '', '', '', '', '']);
      continue;
    }
    rows.push([
      p.engine,
      `${(p.train.tokens / 1e6).toFixed(1)}M`,
      `${(p.train.peakRssBytes / 1048576).toFixed(0)} MB`,
      (p.bytesPerToken ?? 0).toFixed(1),
      Math.round(p.tokensPerSecond ?? 0).toLocaleString('en-US'),
      (p.fileBytesPerToken ?? 0).toFixed(1),
      p.train.saveSeconds.toFixed(2),
      p.probe.loadMs.toFixed(0),
      `${p.probe.completions.p50.toFixed(3)} / ${p.probe.completions.p99.toFixed(2)}`,
      p.probe.live ? `${p.probe.live.edits.p50.toFixed(2)} / ${p.probe.live.edits.p99.toFixed(2)}` : '-',
      p.probe.live ? `${p.probe.live.completions.p50.toFixed(3)} / ${p.probe.live.completions.p99.toFixed(2)}` : '-',
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const lines = rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd());
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return (
    `== at scale: ${LARGE_CORPUS.package} ${LARGE_CORPUS.version} C sources, each run a process of its own ` +
    `(train: start to file written; targets <= 32 B/token, >= 1.5M tok/s, file <= 12 B/token, load <= 1 s, complete <= 0.5 / 5 ms; ` +
    `live: the extension's memory over the index, 400 learned chunks each replaced by itself with a word typed in; edit <= 1 ms p99)\n` +
    lines.join('\n') +
    '\n'
  );
}
