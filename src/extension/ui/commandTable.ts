// Each feature declares its commands as one table, id -> handler (the ids package.json declares,
// kept in the feature's *Ids.ts module), and registers the table at once.
import * as vscode from 'vscode';

// Handlers take what VS Code passes them (a URI from a menu, options from tests): each checks its own.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CommandHandler = (...args: any[]) => unknown;
export type CommandTable = Readonly<Record<string, CommandHandler>>;

/** A handler for every id of an ids module (a command declared but left unhandled is a type error). */
export type CommandHandlers<Ids extends Readonly<Record<string, string>>> = Readonly<Record<Ids[keyof Ids], CommandHandler>>;

export function registerCommandTable(table: CommandTable): vscode.Disposable[] {
  return Object.entries(table).map(([id, run]) => vscode.commands.registerCommand(id, run));
}
