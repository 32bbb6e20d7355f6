// Shared helpers of the extension host's in-VS-Code suites: the real extension's API, a fixture
// folder of our own inside the test workspace, and the exact expected memory of the learned files.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Memory } from '../../../../src/memory/memory';
import { chunkDocumentId } from '../../../../src/workspace/chunks';
import { prepareForLearning } from '../../../../src/workspace/learnable';
import type { LightNetworkApi, LightNetworkTestSeam } from '../../../../src/extension/api';

export const EXTENSION_ID = 'light-network.light-network';

export async function extensionApi(): Promise<LightNetworkTestSeam> {
  const extension = vscode.extensions.getExtension<LightNetworkApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed in this VS Code`);
  const api = (await extension.activate()).testing;
  await api.whenIdle();
  return api;
}

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the suites need a workspace folder');
  return folder.uri.fsPath;
}

/** Writes files (relative to a fresh fixture folder in the workspace); returns the folder's name. */
export async function writeFixture(name: string, files: Record<string, string | Uint8Array>): Promise<string> {
  const root = path.join(workspaceRoot(), name);
  await fs.rm(root, { recursive: true, force: true });
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, rel);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, content);
  }
  return name;
}

export async function removeFixture(name: string): Promise<void> {
  await fs.rm(path.join(workspaceRoot(), name), { recursive: true, force: true });
}

export function fixtureUri(rel: string): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceRoot(), rel));
}

/** Chunk document ids the memory holds for a file key. */
export function documentIdsOf(api: LightNetworkTestSeam, key: string): string[] {
  const prefix = `${key}\u0000`;
  return api.local
    .documentIds()
    .filter((id) => id.startsWith(prefix))
    .sort();
}

/** The chunk document ids a file's current disk contents should give. */
export async function expectedIdsOf(key: string): Promise<string[]> {
  const text = await fs.readFile(path.join(workspaceRoot(), key), 'utf8');
  return prepareForLearning(text)
    .chunks.map((c) => chunkDocumentId(key, c.id))
    .sort();
}

/** A memory built from scratch from the disk contents of every file the extension says it learned. */
export async function expectedMemory(api: LightNetworkTestSeam): Promise<Memory> {
  const memory = new Memory({ order: api.local.order });
  for (const key of api.learnedFiles()) {
    const text = await fs.readFile(path.join(workspaceRoot(), key), 'utf8');
    for (const chunk of prepareForLearning(text).chunks) memory.setDocument(chunkDocumentId(key, chunk.id), chunk.text);
  }
  return memory;
}

/** Same counts for the same n-grams: compares statistics and every stored document's contribution. */
export function assertSameCounts(actual: Pick<Memory, 'stats' | 'documentIds' | 'wordCount'>, expected: Memory, assertEqual: (a: unknown, b: unknown, m: string) => void): void {
  const a = actual.stats();
  const e = expected.stats();
  assertEqual(a.tokens, e.tokens, 'tokens');
  assertEqual(a.ngrams, e.ngrams, 'n-grams');
  assertEqual(a.ngramsByOrder.join(','), e.ngramsByOrder.join(','), 'n-grams by order');
  assertEqual(actual.documentIds().sort().join('|'), expected.documentIds().sort().join('|'), 'documents');
  for (const word of expected.topWords(50)) assertEqual(actual.wordCount(word.word), word.count, `count of ${word.word}`);
}

export async function waitFor(condition: () => boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
