import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import WebSocket from 'ws';

const MAIN = path.resolve(__dirname, '../../../src/cli/main.ts');

function connect(url: string, origin?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

describe('cli signal: limits from flags', function () {
  this.timeout(30_000);

  it('passes the connection cap and the allowed origins to the server', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'signal', '--port', '0', '--max-connections-per-address', '1', '--allow-origin', 'https://team.example'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const line = out.split('\n').find((l) => l.startsWith('ws://'));
          if (line) resolve(line.trim());
        });
        child.once('exit', (code) => reject(new Error(`signal exited with ${code}`)));
      });
      const first = await connect(url, 'https://team.example');
      await assert.rejects(connect(url), /429/); // one connection per address
      first.close();
      await new Promise((r) => setTimeout(r, 200));
      await assert.rejects(connect(url, 'https://elsewhere.example'), /403/);
      (await connect(url)).close();
    } finally {
      child.kill('SIGTERM');
    }
  });
});
