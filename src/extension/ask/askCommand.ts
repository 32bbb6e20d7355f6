// Light Network: Ask the Memory. A quick pick where the user types a phrase and sees, as they type,
// how the memory continues it and where it occurs in the workspace now; picking an occurrence opens
// its file at that line, picking a continuation adds it to the phrase (to keep exploring).
import * as vscode from 'vscode';
import type { CompleteAnswer } from '../../ask/complete';
import type { FindAnswer, FoundLine } from '../../ask/find';
import { AskError } from '../../ask/input';
import { shownWord } from '../../ask/shownText';
import { LIGHT_PANEL_COMMANDS } from '../lightPanel/lightPanelIds';
import { ASK_COMMAND } from './askIds';
import { fileOfKey } from './workspaceText';
import type { WorkspaceAsk } from './workspaceAsk';


/** Wait after a keystroke before asking (a question reads files: not one per key of a fast typist). */
const TYPING_PAUSE_MS = 150;
const CONTINUATIONS = 5;
const OCCURRENCES = 30;

interface AskItem extends vscode.QuickPickItem {
  continuation?: string;
  occurrence?: FoundLine;
}

export function registerAskCommand(ask: WorkspaceAsk): vscode.Disposable {
  return vscode.commands.registerCommand(ASK_COMMAND, (phrase?: unknown) => showAsk(ask, typeof phrase === 'string' ? phrase : initialPhrase()));
}

/** The selection (one short line) of the active editor, as a first question. */
function initialPhrase(): string {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.selection.isEmpty) return '';
  const text = editor.document.getText(editor.selection);
  return text.length <= 200 && !text.includes('\n') ? text : '';
}

async function showAsk(ask: WorkspaceAsk, phrase: string): Promise<void> {
  const pick = vscode.window.createQuickPick<AskItem>();
  pick.title = 'Ask the Memory';
  pick.placeholder = 'Type a phrase: how the memory continues it, and where it occurs now';
  // It stays open when focus moves: the phrase lights up in the light field as it is typed, so a
  // user looks at and clicks the field meanwhile, and the field's webview can take focus back as
  // the command palette closes (the question then vanished before a word was typed). Escape closes it.
  pick.ignoreFocusOut = true;
  // The items answer the phrase; they are not filtered by it.
  pick.matchOnDescription = false;
  pick.matchOnDetail = false;
  let asked = 0;
  let timer: NodeJS.Timeout | undefined;
  const update = (value: string) => {
    const id = ++asked;
    if (timer) clearTimeout(timer);
    if (!value.trim()) {
      pick.busy = false;
      pick.items = [];
      pick.title = 'Ask the Memory';
      return;
    }
    pick.busy = true;
    timer = setTimeout(() => {
      showInLightField(value);
      void answerItems(ask, value).then(({ items, summary }) => {
        if (id !== asked) return; // a later phrase was typed meanwhile
        pick.items = items;
        // Separator labels are not always drawn: the title says how often the phrase occurs.
        pick.title = summary ? `Ask the Memory: ${summary}` : 'Ask the Memory';
        pick.busy = false;
      });
    }, TYPING_PAUSE_MS);
  };
  const done = new Promise<void>((resolve) => {
    pick.onDidChangeValue(update);
    pick.onDidAccept(async () => {
      const [item] = pick.selectedItems;
      if (!item) return;
      if (item.continuation !== undefined) {
        pick.value = pick.value + item.continuation;
        update(pick.value);
        return;
      }
      if (item.occurrence) {
        pick.hide();
        await openOccurrence(item.occurrence);
      }
    });
    pick.onDidHide(() => {
      if (timer) clearTimeout(timer);
      pick.dispose();
      resolve();
    });
  });
  pick.value = phrase;
  pick.show();
  update(phrase);
  await done;
}

/** Lights the phrase's path in the light field if its panel is open (nothing happens otherwise). */
function showInLightField(phrase: string): void {
  // The field is an extra view of the question: if it cannot show it, the answer stands without it.
  vscode.commands.executeCommand(LIGHT_PANEL_COMMANDS.lightPath, phrase).then(undefined, () => undefined);
}

/** The quick pick's items for a phrase: continuations, then occurrences (or why there are none). */
export async function answerItems(ask: WorkspaceAsk, phrase: string): Promise<{ items: AskItem[]; summary: string | undefined }> {
  const items: AskItem[] = [];
  let summary: string | undefined;
  try {
    items.push(...continuationItems(ask.complete(phrase, CONTINUATIONS).data));
  } catch (error) {
    items.push(notice(error));
  }
  try {
    const found = (await ask.find(phrase, OCCURRENCES)).data;
    summary = occurrenceSummary(found);
    items.push(...occurrenceItems(found, summary));
  } catch (error) {
    items.push(notice(error));
  }
  return { items, summary };
}

function occurrenceSummary(answer: FindAnswer): string {
  if (answer.total === 0) return 'occurs nowhere in the learned files';
  return `occurs ${answer.total.toLocaleString()}× in the learned files${answer.more ? ` (the first ${answer.occurrences.length} shown)` : ''}`;
}

function continuationItems(answer: CompleteAnswer): AskItem[] {
  if (answer.alternatives.length === 0) return [];
  return [
    { label: 'Continues with', kind: vscode.QuickPickItemKind.Separator },
    ...answer.alternatives.map((a) => ({
      label: `$(sparkle) …${plain(shownWord(a.text).replace(/\n/g, '⏎'))}`,
      description: `${Math.round(a.probability * 100)}% · seen ${a.local.count.toLocaleString()}×${a.team && a.team.count > 0 ? ` · team ${a.team.count.toLocaleString()}×` : ''}`,
      alwaysShow: true,
      continuation: a.text,
    })),
  ];
}

function occurrenceItems(answer: FindAnswer, summary: string): AskItem[] {
  const items: AskItem[] = [{ label: summary[0].toUpperCase() + summary.slice(1), kind: vscode.QuickPickItemKind.Separator }];
  for (const o of answer.occurrences) {
    items.push({
      label: `$(file) ${plain(o.file)}:${o.line}`,
      description: plain(o.text.trim()),
      alwaysShow: true,
      occurrence: o,
    });
  }
  if (answer.total > 0 && answer.occurrences.length === 0) items.push({ label: '$(info) None of the places learned holds it any more', alwaysShow: true });
  return items;
}

function notice(error: unknown): AskItem {
  const message = error instanceof AskError ? error.message : `the question failed: ${error instanceof Error ? error.message : String(error)}`;
  return { label: `$(info) ${plain(message)}`, alwaysShow: true };
}

/** Text from files or the memory as it reads: `$(name)` in it is not an icon. */
function plain(text: string): string {
  return text.replace(/\$\(/g, '\\$(');
}

async function openOccurrence(o: FoundLine): Promise<void> {
  const file = fileOfKey(o.file);
  if (!file) return;
  const at = new vscode.Position(o.line - 1, o.column - 1);
  await vscode.window.showTextDocument(file.uri, { selection: new vscode.Range(at, at), preview: true });
}
