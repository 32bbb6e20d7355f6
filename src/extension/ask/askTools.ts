// The workspace memory as language-model tools (package.json `contributes.languageModelTools`), so
// any chat or agent in the editor can ask it: complete, find and neighbors, answered from the live
// memory of the open workspace (local and team) by WorkspaceAsk. Read-only, local, no confirmation
// needed: nothing is changed and nothing leaves the machine.
//
// A tool's input comes from a model: it is checked here (types) and by src/ask/input.ts (caps) before
// any work, and a bad request is one clear sentence thrown back, which the caller shows the model.
// VS Code 1.100 has no stable structured tool output (LanguageModelDataPart is proposed there), so
// answers are the readable text that the MCP server also sends.
import * as vscode from 'vscode';
import type { Answer } from '../../ask/asker';
import { AskError, MAX_LIMIT } from '../../ask/input';
import { shownWord } from '../../ask/shownText';
import { ASK_TOOLS } from './askIds';
import type { WorkspaceAsk } from './workspaceAsk';


interface CompleteInput {
  text: string;
  limit?: number;
}
interface FindInput {
  phrase: string;
  limit?: number;
}
interface NeighborsInput {
  word: string;
  limit?: number;
}

export function registerAskTools(ask: WorkspaceAsk): vscode.Disposable[] {
  if (typeof vscode.lm?.registerTool !== 'function') return [];
  return [
    vscode.lm.registerTool<CompleteInput>(ASK_TOOLS.complete, {
      prepareInvocation: ({ input }) => ({ invocationMessage: `Asking the workspace memory how ${preview(input?.text, true)} continues` }),
      invoke: ({ input }) => answer(() => ask.complete(text(input, 'text'), limit(input))),
    }),
    vscode.lm.registerTool<FindInput>(ASK_TOOLS.find, {
      prepareInvocation: ({ input }) => ({ invocationMessage: `Finding ${preview(input?.phrase)} in the learned files` }),
      invoke: ({ input }, token) => answer(() => ask.find(text(input, 'phrase'), limit(input)), token),
    }),
    vscode.lm.registerTool<NeighborsInput>(ASK_TOOLS.neighbors, {
      prepareInvocation: ({ input }) => ({ invocationMessage: `Looking up the words around ${preview(input?.word)} in the workspace memory` }),
      invoke: ({ input }) => answer(() => ask.neighbors(text(input, 'word'), limit(input))),
    }),
  ];
}

async function answer(question: () => Answer<object> | Promise<Answer<object>>, token?: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
  let result: Answer<object>;
  try {
    result = await question();
  } catch (error) {
    // The caller (a chat) passes the message to the model: say what to change, not a stack.
    if (error instanceof AskError) throw new Error(error.message);
    throw error;
  }
  if (token?.isCancellationRequested) throw new vscode.CancellationError();
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(result.text)]);
}

/** A required string field of the input (the schema says so, but a caller may send anything). */
function text(input: unknown, field: string): string {
  const value = isObject(input) ? input[field] : undefined;
  if (typeof value !== 'string') throw new AskError(`give "${field}" as a string`);
  return value;
}

function limit(input: unknown): number | undefined {
  const value = isObject(input) ? input.limit : undefined;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number') throw new AskError(`limit must be a whole number from 1 to ${MAX_LIMIT}`);
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** A short quoted preview of what is asked, for the progress message (never the whole of a long text). */
function preview(value: unknown, tail = false): string {
  if (typeof value !== 'string') return 'the input';
  const flat = value.replace(/\s+/g, ' ').trim();
  const cut = flat.length > 40 ? (tail ? `…${flat.slice(-40)}` : `${flat.slice(0, 40)}…`) : flat;
  return JSON.stringify(shownWord(cut)); // hidden or reordering characters made visible
}
