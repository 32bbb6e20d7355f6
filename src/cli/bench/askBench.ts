// The bench's "ask" section: `light-network mcp` on a memory of 25M+ tokens of C (the scale table's
// Linux prefix, learned once by the real `train` and kept in the cache), driven as an agent drives
// it: the SDK's Client over stdio in this process, the server in its own. Reported: the server's
// start (spawn to the end of the MCP handshake: process start, memory load), its first answer (after
// the predictor warmed up), find and
// complete latency as the client sees it (p50/p99 over phrases and texts taken from the corpus),
// neighbors of the most frequent tokens of C and of words from the corpus (the slowest named), and
// the server's peak RSS beside the memory file's size.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { tokenizeWithOffsets } from '../../memory/index';
import { summarizeLatency, type LatencySummary } from '../../evaluation/latency';
import { originsFileOf } from '../../ask/origins';
import type { TrainReport } from '../commands/train';

const run = promisify(execFile);

export interface AskBenchReport {
  tokens: number;
  memoryFileBytes: number;
  memoryFile: string;
  /** Spawn to the MCP handshake done (the memory loaded). */
  startMs: number;
  /** The handshake to the first answer (the server warms its predictor up first). */
  firstAnswerMs: number;
  /** The server's own time to load the memory and its origins (it says so on stderr). */
  serverLoadMs: number;
  /** The machine's 1-minute load average before and after (2 cores: above 2, everything waits). */
  loadAverage: [number, number];
  /** Client-side latency; serverCpuMs: the server's CPU time per question (mean). */
  find: LatencySummary & { meanOccurrences: number; serverCpuMs: number };
  complete: LatencySummary & { serverCpuMs: number };
  /** Neighbors of the most frequent tokens of C and of words starting the find phrases; the slowest word named. */
  neighbors: LatencySummary & { slowestWord: string; slowestMs: number };
  serverPeakRssBytes: number;
  serverRssBytes: number;
  trainedNow: boolean;
}

/** Tokens that occur a million times and more in C (the neighbours' worst case), and some common words. */
const FREQUENT = [';', '(', ')', ',', '\n', '=', '{', '}', '*', '.', '-', '>', '#', '[', ']', '&', 'struct', 'return', 'if', 'define', 'int', 'static', 'void', 'the', 'include'];

/** Words of C that start phrases: identifiers, not punctuation (what an agent looks for). */
const WORD = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Deterministic pseudo-random numbers (the same questions every run). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Every file under `dir` (sorted), relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of (await fs.readdir(d, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && /\.[ch]$/.test(e.name)) out.push(p);
    }
  };
  await walk(dir);
  return out;
}

/**
 * Questions taken from the corpus: find phrases of 1-4 tokens starting at an identifier of a
 * learned file, and complete texts ending at a random place of a held-out file (its last 2,000
 * characters: the server reads the last 1,024).
 */
async function questions(learned: string, heldOut: string, count: number): Promise<{ phrases: string[]; texts: string[] }> {
  const next = random(11);
  const learnedFiles = await filesUnder(learned);
  const heldFiles = await filesUnder(heldOut);
  const phrases: string[] = [];
  const texts: string[] = [];
  while (phrases.length < count) {
    const text = await fs.readFile(learnedFiles[Math.floor(next() * learnedFiles.length)], 'utf8');
    const tokens = tokenizeWithOffsets(text);
    if (tokens.length < 8) continue;
    const at = Math.floor(next() * (tokens.length - 5));
    if (!WORD.test(tokens[at].text)) continue;
    const length = 1 + Math.floor(next() * 4);
    const last = tokens[Math.min(tokens.length - 1, at + length - 1)];
    if (last.text === '\n') continue;
    phrases.push(text.slice(tokens[at].start, last.end));
  }
  while (texts.length < count) {
    const text = await fs.readFile(heldFiles[Math.floor(next() * heldFiles.length)], 'utf8');
    if (text.length < 200) continue;
    const at = 100 + Math.floor(next() * (text.length - 100));
    texts.push(text.slice(Math.max(0, at - 2000), at));
  }
  return { phrases, texts };
}

/** Learns the prefix into `memoryFile` with the real train, unless it is already there (with its origins record). */
async function ensureMemory(prefix: string, memoryFile: string, log: (m: string) => void): Promise<boolean> {
  const have = await Promise.all([memoryFile, originsFileOf(memoryFile)].map((f) => fs.stat(f).then(() => true, () => false)));
  if (have.every(Boolean)) return false;
  log(`ask: learning ${prefix} into ${memoryFile} (once; about a minute)`);
  await fs.mkdir(path.dirname(memoryFile), { recursive: true });
  const { stdout } = await run(process.execPath, [...process.execArgv, process.argv[1], 'train', prefix, '-o', memoryFile, '--json'], { maxBuffer: 16 * 1024 * 1024 });
  log(`ask: learned ${(JSON.parse(stdout) as TrainReport).tokens.toLocaleString('en-US')} tokens`);
  return true;
}

/** CPU time (user + system) a process has used, in ms, from /proc (Linux; clock ticks of 10 ms). */
async function cpuOf(pid: number): Promise<number> {
  const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // Fields after the command name (which may hold spaces, so split after its closing parenthesis).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** RSS and peak RSS of a process, from /proc (Linux). */
async function rssOf(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

export async function runAskBench(prefix: string, heldOut: string, memoryFile: string, calls: number, log: (m: string) => void): Promise<AskBenchReport> {
  const trainedNow = await ensureMemory(prefix, memoryFile, log);
  const { phrases, texts } = await questions(prefix, heldOut, calls);
  const transport = new StdioClientTransport({ command: process.execPath, args: [...process.execArgv, process.argv[1], 'mcp', '--memory', memoryFile], stderr: 'pipe' });
  let serverLog = '';
  transport.stderr?.on('data', (d: Buffer) => (serverLog += d.toString()));
  const client = new Client({ name: 'light-network-bench', version: '1.0.0' });
  const loadBefore = os.loadavg()[0];
  const start = performance.now();
  await client.connect(transport);
  const startMs = performance.now() - start;
  try {
    let tokens = 0;
    const findTimes: number[] = [];
    const completeTimes: number[] = [];
    let occurrences = 0;
    const ask = async (name: string, args: Record<string, unknown>) => {
      const t0 = performance.now();
      const result = (await client.callTool({ name, arguments: args })) as {
        isError?: boolean;
        content: Array<{ text: string }>;
        structuredContent?: { occurrences?: unknown[]; memories?: { local: number } };
      };
      const ms = performance.now() - t0;
      if (result.isError) throw new Error(`${name} failed: ${result.content[0]?.text}`);
      return { ms, result };
    };
    // The first questions of each kind warm the JIT up; they are not counted.
    // The first questions of each kind warm the JIT up; they are not counted. Then each kind in a
    // run of its own, with the server's CPU time over the run (what a question costs whatever the
    // machine's load does to the wall-clock figures).
    const warm = Math.min(50, calls);
    let firstAnswerMs = 0;
    for (let i = 0; i < warm; i++) {
      await ask('find', { phrase: phrases[i] });
      if (i === 0) firstAnswerMs = performance.now() - start - startMs;
      tokens = (await ask('complete', { text: texts[i] })).result.structuredContent?.memories?.local ?? tokens;
    }
    const pid = transport.pid ?? 0;
    let cpu = await cpuOf(pid);
    for (let i = warm; i < calls; i++) {
      const found = await ask('find', { phrase: phrases[i] });
      findTimes.push(found.ms);
      occurrences += found.result.structuredContent?.occurrences?.length ?? 0;
    }
    const findCpuMs = (await cpuOf(pid)) - cpu;
    cpu = await cpuOf(pid);
    for (let i = warm; i < calls; i++) completeTimes.push((await ask('complete', { text: texts[i] })).ms);
    const completeCpuMs = (await cpuOf(pid)) - cpu;
    const neighborTimes: number[] = [];
    let slowest = { word: '', ms: 0 };
    const words = [...FREQUENT, ...phrases.slice(warm, warm + 200).map((p) => /^[A-Za-z_][A-Za-z0-9_]*/.exec(p)?.[0] ?? p)];
    for (const word of words) {
      const { ms } = await ask('neighbors', { word });
      neighborTimes.push(ms);
      if (ms > slowest.ms) slowest = { word, ms };
    }
    const rss = transport.pid ? await rssOf(transport.pid) : { rss: 0, peak: 0 };
    return {
      tokens,
      memoryFile,
      memoryFileBytes: (await fs.stat(memoryFile)).size,
      startMs,
      firstAnswerMs,
      serverLoadMs: Number(/loaded in (\d+) ms/.exec(serverLog)?.[1] ?? NaN),
      loadAverage: [loadBefore, os.loadavg()[0]],
      find: { ...summarizeLatency(findTimes), meanOccurrences: occurrences / Math.max(1, findTimes.length), serverCpuMs: findCpuMs / Math.max(1, findTimes.length) },
      complete: { ...summarizeLatency(completeTimes), serverCpuMs: completeCpuMs / Math.max(1, completeTimes.length) },
      neighbors: { ...summarizeLatency(neighborTimes), slowestWord: slowest.word, slowestMs: slowest.ms },
      serverPeakRssBytes: rss.peak,
      serverRssBytes: rss.rss,
      trainedNow,
    };
  } catch (error) {
    throw new Error(`${(error as Error).message}${serverLog ? ` (server: ${serverLog.trim().split('\n').slice(-2).join(' ')})` : ''}`);
  } finally {
    await client.close();
  }
}

export function askSection(report: AskBenchReport, command: string): string {
  const mb = (b: number) => `${(b / 1048576).toFixed(0)} MB`;
  return [
    `== ask the memory: light-network mcp on ${(report.tokens / 1e6).toFixed(1)}M tokens of C (SDK client over stdio, one process per side; targets: find and complete <= 5 ms p99, start <= 1 s)`,
    `machine load average ${report.loadAverage.map((l) => l.toFixed(1)).join(' -> ')} (2 cores)`,
    `server start (spawn to handshake done)  ${report.startMs.toFixed(0)} ms (memory loaded in ${report.serverLoadMs} ms of it); first answer ${report.firstAnswerMs.toFixed(0)} ms later (the predictor warms up after the handshake)`,
    `find      p50 ${report.find.p50.toFixed(2)} ms  p99 ${report.find.p99.toFixed(2)} ms  server CPU ${report.find.serverCpuMs.toFixed(2)} ms a question  (${report.find.samples} phrases of 1-4 tokens, limit 10; ${report.find.meanOccurrences.toFixed(1)} places listed on average)`,
    `complete  p50 ${report.complete.p50.toFixed(2)} ms  p99 ${report.complete.p99.toFixed(2)} ms  server CPU ${report.complete.serverCpuMs.toFixed(2)} ms a question  (${report.complete.samples} texts from held-out files, 5 continuations)`,
    `neighbors p50 ${report.neighbors.p50.toFixed(2)} ms  p99 ${report.neighbors.p99.toFixed(2)} ms  slowest ${report.neighbors.slowestMs.toFixed(2)} ms (${JSON.stringify(report.neighbors.slowestWord)})  (${report.neighbors.samples} words: ${FREQUENT.length} of the most frequent tokens of C, the others starting the find phrases)`,
    `server RSS ${mb(report.serverRssBytes)} (peak ${mb(report.serverPeakRssBytes)}) for a memory file of ${mb(report.memoryFileBytes)}`,
    `reproduce: ${command}`,
    '',
  ].join('\n');
}
