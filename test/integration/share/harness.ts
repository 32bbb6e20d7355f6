// Process helpers for the share integration tests: a signaling server and peers, each its own
// Node process, all on loopback (inside a private network namespace when run.sh could make one).
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const TSX = ['--import', 'tsx'];
/** Peers may collect garbage on request, so the hostile-peer tests measure what is kept, not what is not yet collected. */
const PEER_ARGS = [...TSX, '--expose-gc'];
/** Peers' private writer keys (one file per writer name, so a restarted peer keeps its identity). */
let keyDir: string | undefined;
function peerKeyDir(): string {
  if (!keyDir) {
    const dir = (keyDir = mkdtempSync(path.join(os.tmpdir(), 'ln-share-keys-')));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return keyDir;
}

export interface PeerEvent {
  event: string;
  [key: string]: unknown;
}

export class PeerProcess {
  readonly events: PeerEvent[] = [];
  private nextId = 1;
  private readonly pending = new Map<number, { command: string; resolve: (v: any) => void; reject: (e: Error) => void }>();
  private exited: string | undefined;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (message: any) => {
      if (typeof message.id === 'number') {
        const waiter = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.error) waiter?.reject(new Error(`${name}: ${message.error}`));
        else waiter?.resolve(message.result);
      } else {
        this.events.push(message);
      }
    });
    child.on('exit', (code, signal) => {
      this.exited = String(signal ?? code);
      this.events.push({ event: 'exit', code, signal });
      for (const waiter of this.pending.values()) waiter.reject(new Error(`${name} exited (${signal ?? code}) during ${waiter.command}`));
      this.pending.clear();
    });
  }

  /** `root`: the repository (given by callers bundled elsewhere, such as the in-host suites). */
  static async spawn(name: string, root = ROOT): Promise<PeerProcess> {
    const child = fork(path.join(root, 'test/integration/share/peerProcess.ts'), [], {
      execArgv: PEER_ARGS,
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, LN_PEER_KEY_DIR: peerKeyDir() },
    });
    const peer = new PeerProcess(name, child);
    await peer.waitForEvent('ready', 30_000);
    return peer;
  }

  call<T = any>(command: Record<string, unknown>): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`${this.name} has exited (${this.exited})`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { command: [command.cmd, command.kind].filter(Boolean).join(' '), resolve, reject });
      this.child.send({ ...command, id });
    });
  }

  get hasExited(): boolean {
    return this.exited !== undefined;
  }

  count(type: string): number {
    return this.events.filter((e) => e.event === type).length;
  }

  async waitForEvent(type: string, timeoutMs: number): Promise<PeerEvent> {
    return waitUntil(() => this.events.find((e) => e.event === type), timeoutMs, `${this.name}: no ${type} event`);
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }

  async close(): Promise<void> {
    if (this.exited) return;
    await Promise.race([this.call({ cmd: 'close' }).catch(() => undefined), sleep(3000)]);
    this.child.kill('SIGKILL');
  }
}

export class SignalProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(port: number): Promise<SignalProcess> {
    const child = spawn(process.execPath, [...TSX, 'src/cli/main.ts', 'signal', '--host', '127.0.0.1', '--port', String(port)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      let err = '';
      child.stdout!.on('data', (chunk) => {
        out += chunk;
        const match = /ws:\/\/\S+/.exec(out);
        if (match) resolve(match[0]);
      });
      child.stderr!.on('data', (chunk) => (err += chunk));
      child.once('exit', (code) => reject(new Error(`signal server exited with ${code}: ${err.trim()}`)));
    });
    return new SignalProcess(child, url);
  }

  /** On a free port; retried, since another process may take a port between probe and listen. */
  static async startOnFreePort(): Promise<{ signal: SignalProcess; port: number }> {
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      try {
        return { signal: await SignalProcess.start(port), port };
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
  }

  async stop(): Promise<void> {
    // A process killed by a signal has no exit code, only a signal code: it will not exit again.
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await exited;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitUntil<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await sleep(100);
  }
}
