// Processes for the relay integration tests, all on loopback: Debian's redis-server on a free port,
// `light-network relay` instances and `light-network peer` seeds and joiners, each its own Node
// process running the real command, stopped by PID.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, waitUntil } from '../share/harness';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = ['--import', 'tsx', 'src/cli/main.ts'];

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A running child with its output gathered (shown when a test fails). */
export class Proc {
  out = '';
  err = '';
  readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (chunk) => (this.out += chunk));
    child.stderr?.on('data', (chunk) => (this.err += chunk));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async waitFor(pattern: RegExp, timeoutMs = 30_000, stream: 'out' | 'err' = 'out'): Promise<RegExpExecArray> {
    return waitUntil(
      () => {
        if (!this.running) throw new Error(`${this.name} exited: ${this.err.trim().slice(-2000)}`);
        return pattern.exec(this[stream]) ?? undefined;
      },
      timeoutMs,
      `${this.name} printed no ${pattern} (stderr: ${this.err.trim().slice(-1000)})`,
    );
  }

  /** SIGTERM (the commands save and close on it), SIGKILL if it lingers. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (!this.running) return;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 8000);
    await this.exited;
    clearTimeout(timer);
  }
}

export function redisAvailable(): boolean {
  return spawnSync('redis-server', ['--version']).status === 0;
}

export async function startRedis(): Promise<{ proc: Proc; url: string }> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const proc = new Proc('redis-server', child);
  await proc.waitFor(/Ready to accept connections/);
  return { proc, url: `redis://127.0.0.1:${port}` };
}

export async function startRelay(args: string[], name = 'relay'): Promise<{ proc: Proc; url: string }> {
  const child = spawn(process.execPath, [...CLI, 'relay', '--host', '127.0.0.1', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const proc = new Proc(name, child);
  const [url] = await proc.waitFor(/ws:\/\/\S+/);
  return { proc, url };
}

/** `light-network peer …`, the invite (if any) written to its standard input. */
export function startPeer(args: string[], invite: string | undefined, name: string): Proc {
  const child = spawn(process.execPath, [...CLI, 'peer', ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  if (invite !== undefined) child.stdin!.end(`${invite}\n`);
  else child.stdin!.end();
  return new Proc(name, child);
}

/** The ghost text `light-network predict` gives after `text` with the memory file. */
export function ghostText(memoryFile: string, text: string): string {
  const result = spawnSync(process.execPath, [...CLI, 'predict', '-m', memoryFile, '--json', text], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) return '';
  try {
    return String((JSON.parse(result.stdout) as { ghostText?: unknown }).ghostText ?? '');
  } catch {
    return '';
  }
}
