// Lays the deterministic split out as folders, `<splitsDir>/<domain>/<train|validation|test>/<project>/…`
// (hard links into the cache, copies where links fail), so `light-network eval` — and anyone tuning
// on the validation split — can use plain folders.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { splitProject, type CorpusSplit, type SplitName } from '../../evaluation/split';
import type { Domain, FetchedCorpus } from './corpora';

export interface ProjectSplitSummary {
  project: string;
  version: string;
  files: Record<SplitName, number>;
  bytes: Record<SplitName, number>;
}

const SPLITS: SplitName[] = ['train', 'validation', 'test'];

export function splitFolder(splitsDir: string, domain: Domain, split: SplitName): string {
  return path.join(splitsDir, domain, split);
}

/** The corpus files (paths relative to the corpus folder, `/`-separated), unsorted. */
export async function listCorpusFiles(corpus: FetchedCorpus): Promise<string[]> {
  const entries = await fs.readdir(corpus.folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(corpus.folder, path.join(e.parentPath ?? e.path, e.name)).split(path.sep).join('/'))
    .filter((rel) => corpus.source.include.test(rel));
}

/** Writes one project's split under `splitsDir` (replacing an earlier layout of that project). */
export async function layOutSplit(corpus: FetchedCorpus, splitsDir: string): Promise<ProjectSplitSummary> {
  const split: CorpusSplit<string> = splitProject(await listCorpusFiles(corpus), (rel) => rel);
  const summary: ProjectSplitSummary = {
    project: corpus.source.name,
    version: corpus.version,
    files: { train: 0, validation: 0, test: 0 },
    bytes: { train: 0, validation: 0, test: 0 },
  };
  for (const name of SPLITS) {
    const target = path.join(splitFolder(splitsDir, corpus.source.domain, name), corpus.source.name);
    await fs.rm(target, { recursive: true, force: true });
    for (const rel of split[name]) {
      const from = path.join(corpus.folder, rel);
      const to = path.join(target, rel);
      await fs.mkdir(path.dirname(to), { recursive: true });
      await fs.link(from, to).catch(() => fs.copyFile(from, to));
      summary.files[name]++;
      summary.bytes[name] += (await fs.stat(from)).size;
    }
  }
  return summary;
}
