// `light-network mcp --memory <file>`: the memory as a Model Context Protocol server on stdio, for
// coding agents and chat assistants: complete, find and neighbors (src/ask/). The memory is loaded
// before the server speaks, so a missing or damaged file is one clear error and exit code 1; after
// that stdout carries only the protocol and everything else goes to stderr.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { Asker } from '../../ask/asker';
import { IndexedAskable } from '../../ask/indexedAskable';
import { createAskServer } from '../../ask/mcpServer';
import { loadOrigins, originsFileOf, type Origins } from '../../ask/origins';
import { Memory } from '../../memory/index';
import { parseCommandArgs, requiredString, stringOption, wantsHelp } from '../args';
import { CliFailure, type CliCommand } from '../command';
import { FolderTextSource } from '../folderTextSource';
import { loadMemory } from '../memoryFile';
import { version } from '../../../package.json';

const usage = `Usage: light-network mcp --memory <memory.bin> [--root <folder>]

Serves the memory to AI agents over the Model Context Protocol on stdin/stdout, with three
read-only tools: complete (how a text continues here), find (where a phrase occurs in the learned
files: count, file, line, the line's text as it is now) and neighbors (the words that most often
follow and precede a word). Nothing leaves the machine; files are read only inside the folder
\`train\` ran in, and secrets are never shown.

An agent starts it itself; e.g. in an MCP client's configuration:
  { "mcpServers": { "light-network": { "command": "light-network",
      "args": ["mcp", "--memory", "/path/to/memory.bin"] } } }

Options:
  -m, --memory <file>     indexed memory file written by \`light-network train\` (required)
  --root <folder>         the folder the learned paths are relative to (default: the folder
                          \`train\` ran in, from <memory.bin>.origins.json)
  -h, --help              show this help
`;

export const mcpCommand: CliCommand = {
  name: 'mcp',
  summary: 'serve a memory to AI agents over the Model Context Protocol (stdio)',
  usage,
  async run(args, io) {
    const parsed = parseCommandArgs(args, { memory: { type: 'string', short: 'm' }, root: { type: 'string' } });
    if (wantsHelp(parsed)) return void io.out(usage);
    const file = requiredString(parsed, 'memory');
    const log = (message: string) => io.err(`light-network mcp: ${message}\n`);

    const loading = performance.now();
    const memory = await loadMemory(file);
    if (memory instanceof Memory) throw new CliFailure(`${file} holds a trie memory, which keeps no positions; train it again without --engine trie`);
    let origins: Origins | undefined;
    let noFilesReason: string | undefined;
    try {
      origins = await loadOrigins(file);
      if (!origins) noFilesReason = `there is no record of where the memory's text came from (${originsFileOf(file)}); train the memory again with this version of light-network`;
    } catch (error) {
      noFilesReason = `the record of where the memory's text came from (${originsFileOf(file)}) is damaged: ${(error as Error).message}; train the memory again`;
    }
    const rootOption = stringOption(parsed, 'root');
    const root = rootOption ? path.resolve(rootOption) : origins?.root;
    if (root && !noFilesReason && !(await fs.stat(root).then((s) => s.isDirectory(), () => false))) {
      noFilesReason = `the folder the memory was learned in, ${root}, is not there (give it with --root)`;
    }
    if (noFilesReason) log(`find will not answer: ${noFilesReason}`);
    log(`serving ${file}: ${memory.tokenTotal.toLocaleString('en-US')} tokens, loaded in ${Math.round(performance.now() - loading)} ms`);

    const asker = new Asker({
      local: new IndexedAskable(memory, origins),
      files: root && !noFilesReason ? new FolderTextSource(root) : undefined,
      noFilesReason,
    });
    const server = createAskServer(asker, { name: 'light-network', version, log });
    // The predictor's index of partly typed words takes a second or more to build on a large
    // memory: built once the client is connected, not before (the start stays the memory's load).
    server.server.oninitialized = () => setImmediate(() => asker.warmUp());
    // Not the client's fault and not fatal: unparseable lines, a broken pipe; the server goes on.
    server.server.onerror = (error) => log(`protocol: ${error.message}`);
    const closed = new Promise<void>((resolve) => (server.server.onclose = resolve));
    await server.connect(new StdioServerTransport());
    // The transport does not notice its client closing stdin: end when it does.
    process.stdin.once('end', () => void server.close());
    await closed;
  },
};
