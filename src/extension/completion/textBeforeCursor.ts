// The text the completion path sees: everything before the cursor, from an anchor line that moves
// only every thousand lines, so the engine's per-document recency cache can follow it incrementally
// (it rebuilds whenever the start of the text changes) while huge files stay cheap.
import * as vscode from 'vscode';

const ANCHOR_LINES = 1000;
const MAX_LINES_BEFORE = 3000;

export function textBeforeCursor(document: vscode.TextDocument, position: vscode.Position): string {
  const anchor = Math.max(0, Math.floor((position.line - MAX_LINES_BEFORE) / ANCHOR_LINES) * ANCHOR_LINES);
  return document.getText(new vscode.Range(anchor, 0, position.line, position.character));
}

const WORD_TAIL = /[\p{L}\p{M}\p{N}_$]+$/u;
const WORD_HEAD = /^[\p{L}\p{M}\p{N}_$]/u;

/** The part of a word typed before the cursor on this line ('' when none). */
export function partialWordBefore(linePrefix: string): string {
  return WORD_TAIL.exec(linePrefix)?.[0] ?? '';
}

/** True when the cursor sits inside a word (a character of a word right after it). */
export function cursorInsideWord(document: vscode.TextDocument, position: vscode.Position): boolean {
  const line = document.lineAt(position.line).text;
  return WORD_HEAD.test(line.slice(position.character, position.character + 2));
}
