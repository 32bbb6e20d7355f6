// `light-network mcp` as an agent meets it: the SDK's own Client over its stdio transport spawns
// the real CLI on a memory that the real `train` learned from a project this test writes, then
// lists the tools and checks each answer against what the files hold (exact places, lines,
// continuations, neighbors), bad requests and garbage on the wire, and answers after edits.
import { strict as assert } from 'node:assert';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const REPO = path.resolve(__dirname, '../../..');
const MAIN = path.join(REPO, 'src/cli/main.ts');
// Under tsx, and with the repository's packages reachable from a project elsewhere (train's worker
// thread loads tsx by name).
const NODE = [process.execPath, '--import', path.join(REPO, 'node_modules/tsx/dist/loader.mjs'), MAIN];
const ENV = { NODE_PATH: path.join(REPO, 'node_modules'), PATH: process.env.PATH ?? '' };

/** A GitHub token: the project's secret scan blanks it wherever it stands. */
const SECRET = 'ghp_R8fK2mQ9xZ4vL7pW1sT6yB3nH5jD0cA8eG2u';

const ALPHA = [
  'import { Light } from "./light";', // 1
  '', // 2
  'export function shine(lightRay: Light, angle: number) {', // 3
  '  return lightRay.bend(angle);', // 4
  '}', // 5
  '', // 6
  '', // 7
  'export function dim(lightRay: Light) {', // 8
  '\treturn lightRay.bend(0);', // 9
  '}', // 10
].join('\n');
const BETA = [
  '// beta: more of the same', // 1
  'const x = lightRay.bend(angle) + 1;', // 2
  `const token = "${SECRET}"; lightRay.bend(angle);`, // 3
  'const y = lightRay.bend(angle) * 2;', // 4
].join('\n');

function cli(args: string[], cwd: string) {
  return spawnSync(NODE[0], [...NODE.slice(1), ...args], { cwd, env: ENV, encoding: 'utf8' });
}

type ToolResult = { isError?: boolean; content: Array<{ type: string; text: string }>; structuredContent?: Record<string, unknown> };

describe('light-network mcp (SDK client over stdio)', function () {
  this.timeout(120_000);
  let dir: string;
  let memory: string;
  let client: Client;
  let transport: StdioClientTransport;
  const call = async (name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as ToolResult;
  const find = async (phrase: string, limit?: number) => {
    const r = await call('find', limit === undefined ? { phrase } : { phrase, limit });
    assert.ok(!r.isError, r.content[0]?.text);
    return r as ToolResult & { structuredContent: { total: number; occurrences: Array<{ file: string; line: number; column: number; text: string }>; moved: number; unreadable: number; more: boolean } };
  };

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ln-mcp-'));
    const project = path.join(dir, 'project');
    await fs.mkdir(path.join(project, 'src'), { recursive: true });
    await fs.writeFile(path.join(project, 'src/alpha.ts'), ALPHA);
    await fs.writeFile(path.join(project, 'src/beta.ts'), BETA);
    await fs.writeFile(path.join(project, '.env'), 'API_TOKEN=lightRay.bend(angle)\n');
    await fs.writeFile(path.join(dir, 'outside.ts'), 'lightRay.bend(angle); // outside the project\n');
    memory = path.join(dir, 'memory.bin');
    // Trained from inside the project folder: that is the root find reads under.
    const trained = cli(['train', '.', '-o', memory], project);
    assert.equal(trained.status, 0, trained.stderr);
    // Started from another folder: the root comes from the record beside the memory.
    transport = new StdioClientTransport({ command: NODE[0], args: [...NODE.slice(1), 'mcp', '--memory', memory], cwd: os.tmpdir(), env: ENV, stderr: 'pipe' });
    client = new Client({ name: 'light-network-test', version: '1.0.0' });
    await client.connect(transport);
  });

  after(async () => {
    await client?.close();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('lists complete, find and neighbors with descriptions and input schemas', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['complete', 'find', 'neighbors']);
    const byName = new Map(tools.map((t) => [t.name, t]));
    assert.deepEqual(byName.get('complete')!.inputSchema.required, ['text']);
    assert.deepEqual(byName.get('find')!.inputSchema.required, ['phrase']);
    assert.deepEqual(byName.get('neighbors')!.inputSchema.required, ['word']);
    for (const t of tools) {
      assert.ok((t.description ?? '').length > 80, `${t.name} has a description`);
      assert.ok(t.inputSchema.properties && 'limit' in t.inputSchema.properties);
      assert.ok(t.outputSchema, `${t.name} declares its structured content`);
      assert.equal(t.annotations?.readOnlyHint, true);
    }
  });

  it('find: the total and every occurrence with its file, line, column and line text (secrets blanked)', async () => {
    const r = await find('lightRay.bend(angle)');
    const s = r.structuredContent;
    // alpha line 4; beta lines 2, 3, 4. Not .env (a secret file, never learned), not outside.ts.
    assert.equal(s.total, 4);
    assert.deepEqual(
      s.occurrences.map((o) => [o.file, o.line, o.column]),
      [['src/alpha.ts', 4, 10], ['src/beta.ts', 2, 11], ['src/beta.ts', 3, BETA.split('\n')[2].indexOf('lightRay') + 1], ['src/beta.ts', 4, 11]],
    );
    assert.equal(s.occurrences[0].text, '  return lightRay.bend(angle);');
    assert.equal(s.occurrences[1].text, 'const x = lightRay.bend(angle) + 1;');
    assert.equal(s.occurrences[2].text, `const token = "${' '.repeat(SECRET.length)}"; lightRay.bend(angle);`);
    assert.equal(s.more, false);
    const text = r.content[0].text;
    assert.match(text, /occurs 4 times/);
    assert.match(text, /src\/alpha\.ts:4:10: {3}return lightRay\.bend\(angle\);/);
    assert.ok(!JSON.stringify(r).includes(SECRET), 'the secret never appears');
    assert.ok(!JSON.stringify(r).includes('outside'), 'nothing outside the project');
  });

  it('find: a limit lists the first occurrences in file and line order and says more follow', async () => {
    const r = await find('lightRay . bend', 2);
    assert.equal(r.structuredContent.total, 5);
    assert.deepEqual(r.structuredContent.occurrences.map((o) => `${o.file}:${o.line}`), ['src/alpha.ts:4', 'src/alpha.ts:9']);
    assert.equal(r.structuredContent.occurrences[1].text, '\treturn lightRay.bend(0);');
    assert.equal(r.structuredContent.more, true);
  });

  it('find: a phrase across a line break, and one that is not there', async () => {
    const r = await find('{\n  return lightRay');
    // Indentation is not a token: line 8 ends in "{" and line 9 starts with "return lightRay" too.
    const lines = ALPHA.split('\n');
    assert.deepEqual(
      r.structuredContent.occurrences.map((o) => `${o.file}:${o.line}:${o.column}`),
      [`src/alpha.ts:3:${lines[2].indexOf('{') + 1}`, `src/alpha.ts:8:${lines[7].indexOf('{') + 1}`],
    );
    const none = await find('lightRay.shine(');
    assert.equal(none.structuredContent.total, 0);
    assert.deepEqual(none.structuredContent.occurrences, []);
    assert.match(none.content[0].text, /does not occur/);
  });

  it('complete: the ghost text and alternatives with probabilities and local counts (no team attached)', async () => {
    const r = await call('complete', { text: 'export function dim(lightRay: Light) {\n\treturn lightRay.' });
    assert.ok(!r.isError);
    const s = r.structuredContent as { ghostText: string; alternatives: Array<{ text: string; tokens: string[]; probability: number; local: { count: number; after: string[] }; team: unknown }>; memories: { local: number; team: unknown } };
    // "lightRay . bend ( angle" 4 times of 5: the ghost text goes on to "angle".
    assert.equal(s.ghostText, 'bend(angle');
    assert.deepEqual(s.alternatives[0].tokens, ['bend', '(', 'angle']);
    assert.ok(s.alternatives[0].probability > 0.3 && s.alternatives[0].probability <= 1);
    // Counted after as much of the text as fits the order (8): "{ ⏎ return lightRay ." + "bend ( angle"
    // occurs once (alpha lines 3-4); line 9 goes on with "0".
    assert.deepEqual(s.alternatives[0].local, { count: 1, after: ['{', '\n', 'return', 'lightRay', '.'], covered: 3 });
    assert.equal(s.alternatives[0].team, null);
    assert.equal(s.memories.team, null);
    assert.ok(s.memories.local > 50);
    assert.match(r.content[0].text, /Ghost text: "bend\(angle"[\s\S]*local seen 1× after "\{ ⏎ return lightRay \."/);
    // A partly typed word is finished.
    const partial = await call('complete', { text: 'return lightRay.be' });
    assert.equal((partial.structuredContent as { ghostText: string }).ghostText.startsWith('nd('), true);
  });

  it('neighbors: the words after and before, with counts', async () => {
    const r = await call('neighbors', { word: 'lightRay' });
    assert.ok(!r.isError);
    const s = r.structuredContent as { count: { local: number }; following: Array<{ word: string; local: number }>; preceding: Array<{ word: string; local: number }> };
    assert.equal(s.count.local, 7);
    assert.deepEqual(s.following.map((n) => [n.word, n.local]), [['.', 5], [':', 2]]);
    assert.deepEqual(s.preceding.map((n) => [n.word, n.local]), [['(', 2], ['=', 2], ['return', 2], [';', 1]]);
  });

  it('bad requests get a clear tool error, and the server keeps serving', async () => {
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ['find', { phrase: '' }, /holds no words/],
      ['find', { phrase: ' \u200b\t ' }, /holds no words/],
      ['find', { phrase: 'x '.repeat(1500) }, /at most 2000/],
      ['find', { phrase: 'a '.repeat(200) }, /at most 128 are taken/],
      ['find', { phrase: 'lightRay', limit: 0 }, /limit/],
      ['find', { phrase: 42 }, /phrase/],
      ['find', {}, /phrase/],
      ['neighbors', { word: 'two words' }, /give one word/],
      ['complete', { text: 'x'.repeat(100_001) }, /at most 100000/],
      ['nope', {}, /not found/],
    ];
    for (const [name, args, message] of cases) {
      const r = await call(name, args);
      assert.equal(r.isError, true, `${name} ${JSON.stringify(args).slice(0, 40)} is an error`);
      assert.match(r.content[0].text, message);
    }
    // Odd Unicode is looked for as it is (and shown safely): a lone surrogate, bidi controls.
    const odd = await find('\ud800 \u202e lightRay');
    assert.equal(odd.structuredContent.total, 0);
    assert.ok(!odd.content[0].text.includes('\u202e'));
    assert.equal((await find('lightRay.bend(angle)')).structuredContent.total, 4);
  });

  it('garbage on the wire is reported on stderr and the server keeps serving', async () => {
    // The SDK's client only sends well-formed messages: write past it into the server's stdin.
    const child = (transport as unknown as { _process: ChildProcess })._process;
    let stderr = '';
    transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin!.write('this is not JSON\n{"jsonrpc":"2.0","id":"x"}\n[1,2,3]\n\n{"jsonrpc":"2.0","id":99,"method":"tools/call","params":{"name":"find","arguments":"oops"}}\n');
    const r = await find('lightRay.bend(angle)');
    assert.equal(r.structuredContent.total, 4);
    assert.match(stderr, /light-network mcp: protocol:/);
  });

  it('answers follow edits: an occurrence moves with its line, a removed one is not listed', async () => {
    const project = path.join(dir, 'project');
    await fs.writeFile(path.join(project, 'src/alpha.ts'), `// a\n// new\n// lines\n${ALPHA}`);
    await fs.writeFile(path.join(project, 'src/beta.ts'), BETA.replace('const x = lightRay.bend(angle) + 1;', 'const x = 1;'));
    const r = await find('lightRay.bend(angle)');
    const s = r.structuredContent;
    assert.equal(s.total, 4, 'the memory still counts what it learned');
    assert.deepEqual(s.occurrences.map((o) => `${o.file}:${o.line}`), ['src/alpha.ts:7', 'src/beta.ts:3', 'src/beta.ts:4']);
    assert.equal(s.occurrences[0].text, '  return lightRay.bend(angle);');
    assert.ok(s.moved >= 2);
    assert.ok(!JSON.stringify(r).includes(SECRET));
    // A file replaced by a link out of the project is not read; a deleted one is not either.
    await fs.rm(path.join(project, 'src/beta.ts'));
    await fs.symlink(path.join(dir, 'outside.ts'), path.join(project, 'src/beta.ts'));
    await fs.rm(path.join(project, 'src/alpha.ts'));
    const gone = await find('lightRay.bend(angle)');
    assert.deepEqual(gone.structuredContent.occurrences, []);
    assert.equal(gone.structuredContent.unreadable, 4);
    assert.match(gone.content[0].text, /cannot be read now/);
  });
});

describe('light-network mcp: what train records for find', function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => (dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ln-mcp-train-'))));
  after(async () => fs.rm(dir, { recursive: true, force: true }));

  async function places(memory: string, phrase: string, ...options: string[]): Promise<string[]> {
    const transport = new StdioClientTransport({ command: NODE[0], args: [...NODE.slice(1), 'mcp', '--memory', memory, ...options], cwd: os.tmpdir(), env: ENV, stderr: 'pipe' });
    const client = new Client({ name: 'light-network-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      const r = (await client.callTool({ name: 'find', arguments: { phrase } })) as ToolResult & { structuredContent: { occurrences: Array<{ file: string; line: number }> } };
      if (r.isError) return [`error: ${r.content[0]?.text}`];
      return r.structuredContent.occurrences.map((o) => `${o.file}:${o.line}`);
    } finally {
      await client.close();
    }
  }

  it('keeps the places of files carried over by --update, and records files learned from outside its folder under a root above it', async () => {
    const project = path.join(dir, 'project');
    await fs.mkdir(path.join(project, 'app'), { recursive: true });
    await fs.mkdir(path.join(project, 'lib'), { recursive: true });
    await fs.writeFile(path.join(project, 'app/a.ts'), 'const one = 1;\nexport const glowWorm = shine(one);\n');
    await fs.writeFile(path.join(project, 'app/b.ts'), '// b\n\n\nconst glowWorm = shine(two);\n');
    await fs.writeFile(path.join(project, 'lib/c.ts'), 'export function shine(x) {\n  return glowWorm(x);\n}\n');
    const memory = path.join(dir, 'memory.bin');
    assert.equal(cli(['train', '.', '-o', memory], path.join(project, 'app')).status, 0);
    assert.deepEqual(await places(memory, 'glowWorm = shine'), ['a.ts:2', 'b.ts:4']);
    // b.ts changes and is learned again alone: a.ts keeps its recorded place.
    await fs.writeFile(path.join(project, 'app/b.ts'), '// b\nconst glowWorm = shine(three);\n');
    assert.equal(cli(['train', 'b.ts', '-o', memory, '--update'], path.join(project, 'app')).status, 0);
    // (The memory's order: files learned by the update first, then those carried over.)
    assert.deepEqual(await places(memory, 'glowWorm = shine'), ['b.ts:2', 'a.ts:2']);
    // Learning ../lib from app/ records everything under project/, the nearest folder holding both.
    assert.equal(cli(['train', '.', '../lib', '-o', memory], path.join(project, 'app')).status, 0);
    const record = JSON.parse(await fs.readFile(`${memory}.origins.json`, 'utf8'));
    assert.equal(record.root, await fs.realpath(project).catch(() => project));
    assert.deepEqual(await places(memory, 'glowWorm'), ['app/a.ts:2', 'app/b.ts:2', 'lib/c.ts:2']);
    // The project moved: find says where it looked, and --root names the new place.
    const moved = path.join(dir, 'moved');
    await fs.rename(project, moved);
    const [error] = await places(memory, 'glowWorm');
    assert.match(error, /^error: find cannot look in the learned files: the folder the memory was learned in, .*project, is not there \(give it with --root\)/);
    assert.deepEqual(await places(memory, 'glowWorm', '--root', moved), ['app/a.ts:2', 'app/b.ts:2', 'lib/c.ts:2']);
    // A damaged record: find says so (complete and neighbors need none of it).
    await fs.writeFile(`${memory}.origins.json`, '{"format":"light-network-origins","version":1,"root":"relative"}');
    const [damaged] = await places(memory, 'glowWorm', '--root', moved);
    assert.match(damaged, /^error: find cannot look in the learned files: the record of where the memory's text came from .* is damaged: its root is not an absolute path; train the memory again/);
  });
});

describe('light-network mcp: a memory it cannot serve', function () {
  this.timeout(60_000);
  let dir: string;
  before(async () => (dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ln-mcp-bad-'))));
  after(async () => fs.rm(dir, { recursive: true, force: true }));

  it('exits 1 with a clear message for a missing or damaged memory file, before speaking MCP', async () => {
    const missing = cli(['mcp', '--memory', path.join(dir, 'nope.bin')], dir);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /light-network mcp: no memory file at .*nope\.bin/);
    assert.equal(missing.stdout, '');
    const damaged = path.join(dir, 'damaged.bin');
    await fs.writeFile(damaged, Buffer.concat([Buffer.from('LNIX'), Buffer.alloc(64, 7)]));
    const bad = cli(['mcp', '--memory', damaged], dir);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /is not a usable Light Network memory/);
    assert.equal(bad.stdout, '');
    const usage = cli(['mcp'], dir);
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /missing required option --memory/);
  });
});
