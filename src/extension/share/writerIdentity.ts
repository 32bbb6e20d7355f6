// This editor's writer key for the shared delta log: persisted per workspace (so a restart
// supersedes its earlier contribution instead of adding to it), and never shared by two live
// windows: a lock file names the process holding it, and a second window gets a fresh key of its
// own for the session. The private key is a file in the workspace's storage folder with mode
// 0600, beside the team log and memory it signs for (equally private data), the same code and
// format as the headless peer's key; SecretStorage would need a keyring that code-server and
// remote hosts often lack, and the key guards nothing but this editor's share of a team memory.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { loadOrCreateWriterKey, newWriterKey, type WriterKey } from '../../share/writerKey';

export const WRITER_KEY_FILE = 'share-writer.key';

export interface WriterIdentity {
  key: WriterKey;
  release(): Promise<void>;
}

export async function acquireWriterKey(storageDir: string): Promise<WriterIdentity> {
  await fs.mkdir(storageDir, { recursive: true });
  const lock = path.join(storageDir, 'share-writer.lock');
  if (await heldByAnotherProcess(lock)) {
    return { key: newWriterKey(), release: async () => {} };
  }
  await fs.writeFile(lock, String(process.pid));
  const key = await loadOrCreateWriterKey(path.join(storageDir, WRITER_KEY_FILE));
  return {
    key,
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
