// The readable text of each answer (what a person or a model reads; the structured content carries
// the same facts as data). Tokens are quoted as JSON strings, so line breaks and spaces show.
import { NEWLINE } from '../memory/types';
import type { CompleteAnswer, MemoryCount } from './complete';
import type { FindAnswer } from './find';
import type { Neighbor, NeighborsAnswer } from './neighbors';
import { shownWord } from './shownText';

const quote = (text: string) => JSON.stringify(shownWord(text));
const phrase = (tokens: string[]) => quote(tokens.map((t) => (t === NEWLINE ? '⏎' : t)).join(' '));
const token = (t: string) => (t === NEWLINE ? '⏎ (line break)' : quote(t));

export function renderComplete(answer: CompleteAnswer, team: boolean): string {
  const lines: string[] = [];
  lines.push(answer.ghostText ? `Ghost text: ${quote(answer.ghostText)}` : 'Ghost text: none (the memory is not sure enough of any continuation)');
  if (answer.partialWord) lines.push(`(finishing the partly typed word ${quote(answer.partialWord)})`);
  if (answer.alternatives.length === 0) {
    lines.push('The memory knows no continuation of this text.');
  } else {
    lines.push('Continuations, most likely first:');
    answer.alternatives.forEach((a, i) => {
      const counts = [`local ${seen(a.local)}`];
      if (team) counts.push(`team ${a.team ? seen(a.team) : 'none'}`);
      lines.push(`${i + 1}. ${quote(a.text)}  p=${a.probability.toFixed(3)}  ${counts.join('; ')}`);
    });
  }
  lines.push(`Memories: local ${answer.memories.local.toLocaleString('en-US')} tokens` + (answer.memories.team === null ? ', no team memory attached' : `, team ${answer.memories.team.toLocaleString('en-US')} tokens`));
  return lines.join('\n');
}

function seen(c: MemoryCount): string {
  if (c.count === 0) return 'never seen';
  return `seen ${c.count.toLocaleString('en-US')}×` + (c.after.length > 0 ? ` after ${phrase(c.after)}` : '');
}

export function renderFind(answer: FindAnswer): string {
  const lines: string[] = [];
  const what = phrase(answer.tokens);
  if (answer.total === 0) return `${what} does not occur in the learned files (searched as the tokens ${answer.tokens.map(token).join(' ')}).`;
  lines.push(`${what} occurs ${answer.total.toLocaleString('en-US')} time${answer.total === 1 ? '' : 's'} in the learned files (as learned).`);
  if (answer.occurrences.length > 0) {
    lines.push(answer.more ? `The first ${answer.occurrences.length}, where they are now:` : 'Where they are now:');
    for (const o of answer.occurrences) lines.push(`${o.file}:${o.line}:${o.column}: ${o.text}`);
  } else {
    lines.push('None of those checked is in its file any more.');
  }
  if (answer.moved > 0) lines.push(`${answer.moved} learned occurrence${answer.moved === 1 ? ' was' : 's were'} no longer where learned: ${answer.moved === 1 ? 'its file was' : 'their files were'} searched again.`);
  if (answer.unreadable > 0) lines.push(`${answer.unreadable} learned occurrence${answer.unreadable === 1 ? ' is' : 's are'} in files that cannot be read now (deleted, moved, or not to be read).`);
  return lines.join('\n');
}

export function renderNeighbors(answer: NeighborsAnswer, team: boolean): string {
  const count = (n: { local: number; team: number | null }) => (team ? `${n.local.toLocaleString('en-US')} local, ${(n.team ?? 0).toLocaleString('en-US')} team` : n.local.toLocaleString('en-US'));
  const lines = [`${token(answer.word)} occurs ${count(answer.count)} times.`];
  const list = (title: string, items: Neighbor[]) => {
    lines.push(items.length === 0 ? `${title}: none` : `${title}:`);
    items.forEach((n, i) => lines.push(`${i + 1}. ${token(n.word)}  ${count(n)}`));
  };
  list('Words that follow it most often', answer.following);
  list('Words that precede it most often', answer.preceding);
  return lines.join('\n');
}
