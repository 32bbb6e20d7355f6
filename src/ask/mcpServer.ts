// The memory as an MCP server (the official SDK's McpServer): three read-only tools, complete,
// find and neighbors, each with a description a model can act on, an input schema with the caps
// of input.ts, and an output schema for its structured content (the readable text says the same).
// A bad request gets a tool error with one clear sentence; the server keeps serving.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { Answer, Asker } from './asker';
import { AskError, MAX_LIMIT, MAX_PHRASE_CHARS, MAX_TEXT_CHARS, MAX_WORD_CHARS } from './input';

const limit = (what: string, fallback: number) =>
  z.number().int().min(1).max(MAX_LIMIT).optional().describe(`How many ${what} to list (1-${MAX_LIMIT}, default ${fallback}).`);

const memoryCount = z.object({
  count: z.number().describe('How many times this memory saw `after` followed by the first `covered` tokens of the continuation.'),
  after: z.array(z.string()).describe('The last tokens of the text that preceded them in that count.'),
  covered: z.number(),
});

const completeOutput = {
  ghostText: z.string().describe('The ghost text the editor would show (empty when no continuation is likely enough).'),
  partialWord: z.string().describe('The partly typed last word the continuations finish (empty when none).'),
  alternatives: z.array(
    z.object({
      text: z.string(),
      tokens: z.array(z.string()),
      probability: z.number(),
      local: memoryCount,
      team: memoryCount.nullable().describe('Null when no team memory is attached.'),
    }),
  ),
  memories: z.object({ local: z.number(), team: z.number().nullable() }).describe('Tokens each memory holds.'),
};

const findOutput = {
  tokens: z.array(z.string()).describe('The phrase as the memory tokenizes it ("\\n" is a line break).'),
  total: z.number().describe('Occurrences in the memory, as learned.'),
  occurrences: z.array(z.object({ file: z.string(), line: z.number(), column: z.number(), text: z.string() })),
  moved: z.number().describe('Learned occurrences no longer where learned (their files were searched again).'),
  unreadable: z.number().describe('Learned occurrences in files that cannot be read now.'),
  more: z.boolean().describe('Whether more occurrences may follow those listed.'),
};

const neighbor = z.object({ word: z.string(), local: z.number(), team: z.number().nullable() });
const neighborsOutput = {
  word: z.string(),
  count: z.object({ local: z.number(), team: z.number().nullable() }),
  following: z.array(neighbor),
  preceding: z.array(neighbor),
};

export interface ServerInfo {
  name: string;
  version: string;
  /** Where a failure that is not the client's doing is reported (stderr: stdout carries the protocol). */
  log: (message: string) => void;
}

export function createAskServer(asker: Asker, info: ServerInfo): McpServer {
  const server = new McpServer({ name: info.name, version: info.version });
  const reply = async <T extends object>(answer: () => Answer<T> | Promise<Answer<T>>) => {
    try {
      const { data, text } = await answer();
      return { content: [{ type: 'text' as const, text }], structuredContent: data as unknown as Record<string, unknown> };
    } catch (error) {
      if (!(error instanceof AskError)) info.log(`a question failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      throw error; // the SDK answers it as a tool error with the message
    }
  };
  const readOnly = { readOnlyHint: true, openWorldHint: false };

  server.registerTool(
    'complete',
    {
      title: 'Complete from the workspace memory',
      description:
        "How a text continues in this workspace's learned memory (an n-gram memory of the code and text it learned): the ghost text an editor would show and ranked alternatives with probabilities, and how often the local memory (and a team memory, when one is attached) saw each after the text's last words. Give the text before the cursor; only its last 1,024 characters count.",
      inputSchema: {
        text: z.string().max(MAX_TEXT_CHARS).describe('The text before the cursor (it may end inside a word).'),
        limit: limit('continuations', 5),
      },
      outputSchema: completeOutput,
      annotations: readOnly,
    },
    ({ text, limit: n }) => reply(() => asker.complete(text, n)),
  );

  server.registerTool(
    'find',
    {
      title: 'Find a phrase in the learned files',
      description:
        'Where a phrase occurs in the files this memory learned, exactly as a sequence of tokens (words, numbers and each punctuation mark; spacing does not matter, a line break does): the total count and the first occurrences as file (relative path), line, column and the line\'s text as the file is now. A place that no longer holds the phrase is not listed. Whole tokens only: "Predic" does not find "Predictor".',
      inputSchema: {
        phrase: z.string().max(MAX_PHRASE_CHARS).describe('The phrase, e.g. "createServer(" or "return new Map"'),
        limit: limit('occurrences', 10),
      },
      outputSchema: findOutput,
      annotations: readOnly,
    },
    ({ phrase, limit: n }) => reply(() => asker.find(phrase, n)),
  );

  server.registerTool(
    'neighbors',
    {
      title: 'Words around a word',
      description:
        'The words (tokens) that most often follow and most often precede a word or symbol in the learned memory, with counts (local and team apart when a team memory is attached). Useful to see how an identifier is used: what is called on it, what it is passed to. Give one token, e.g. "useState" or "=>"; "\\n" asks about line breaks.',
      inputSchema: {
        word: z.string().max(MAX_WORD_CHARS).describe('One word, identifier, number or symbol.'),
        limit: limit('words on each side', 10),
      },
      outputSchema: neighborsOutput,
      annotations: readOnly,
    },
    ({ word, limit: n }) => reply(() => asker.neighbors(word, n)),
  );

  return server;
}
