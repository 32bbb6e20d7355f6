// Tells features (the light field) what the user is typing: the word at the cursor, the context
// before it and what the memory expects next — the same predictions the ghost text is built from.
import * as vscode from 'vscode';
import { tokenize } from '../../memory/tokenizer';
import { Throttle } from '../core/events';
import type { CompletionServices } from '../services';
import { partialWordBefore } from './textBeforeCursor';

const CONTEXT_CHARS = 512;

export function watchTyping(core: CompletionServices): vscode.Disposable {
  const throttle = new Throttle<vscode.TextEditor>(50, (editor) => {
    if (editor.document.isClosed) return;
    const position = editor.selection.active;
    const start = editor.document.offsetAt(position) - CONTEXT_CHARS;
    const before = editor.document.getText(new vscode.Range(editor.document.positionAt(Math.max(0, start)), position));
    const linePrefix = editor.document.lineAt(position.line).text.slice(0, position.character);
    const partial = partialWordBefore(linePrefix);
    const tokens = tokenize(before.slice(0, before.length - partial.length)).slice(-(core.local.order - 1));
    const predictions = partial ? core.rankWithPrefix(tokens, 8, partial) : core.predictNext(tokens, 8);
    const word = partial || tokens[tokens.length - 1] || '';
    core.fireTyping({ word, context: tokens, predictions });
  });
  const subscription = vscode.workspace.onDidChangeTextDocument((event) => {
    const editor = vscode.window.activeTextEditor;
    if (!core.wantsTyping || !editor || editor.document !== event.document || event.contentChanges.length === 0) return;
    throttle.push(editor);
  });
  return vscode.Disposable.from(subscription, throttle);
}
