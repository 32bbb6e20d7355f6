// This editor's writer id in the shared delta log: persisted per workspace (so a restart replaces
// its earlier contribution instead of adding to it), and never shared by two live windows: a lock
// file names the process holding it, and a second window gets a fresh id of its own.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { newWriterId } from '../../share/batchFormat';

const STATE_KEY = 'lightNetwork.share.writerId';

export interface WriterIdentity {
  id: string;
  release(): Promise<void>;
}

export async function acquireWriterId(context: vscode.ExtensionContext, storageDir: string): Promise<WriterIdentity> {
  let id = context.workspaceState.get<string>(STATE_KEY);
  if (!id) {
    id = newWriterId();
    await context.workspaceState.update(STATE_KEY, id);
  }
  await fs.mkdir(storageDir, { recursive: true });
  const lock = path.join(storageDir, 'share-writer.lock');
  if (await heldByAnotherProcess(lock)) {
    return { id: newWriterId(), release: async () => {} };
  }
  await fs.writeFile(lock, String(process.pid));
  return {
    id,
    release: async () => {
      if ((await readPid(lock)) === process.pid) await fs.rm(lock, { force: true });
    },
  };
}

async function heldByAnotherProcess(lock: string): Promise<boolean> {
  const pid = await readPid(lock);
  if (pid === undefined || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false; // the holder is gone
  }
}

async function readPid(lock: string): Promise<number | undefined> {
  try {
    const pid = Number((await fs.readFile(lock, 'utf8')).trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
