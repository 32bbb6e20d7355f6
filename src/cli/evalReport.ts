// Human-readable output of evaluation results: one table per domain, model against baseline.
import type { EvalResult, SystemFigures } from '../evaluation/evaluate';
import { table } from './format';

/** An evaluation's figures plus what only the process can tell (peak memory). */
export interface EvalReport extends EvalResult {
  peakRssMB: number;
  pretokenized: boolean;
  learnedLikeExtension: boolean;
  trainFiles: number;
}

const percent = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(1)}%`);
const ms = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? 'n/a' : v.toFixed(3));

function row(name: string, f: SystemFigures, extra: { bytesPerNgram?: number; peakRssMB?: number }): string[] {
  return [
    name,
    percent(f.top1),
    f.mrr10.toFixed(3),
    percent(f.keystrokeSavings),
    Math.round(f.trainTokensPerSec).toLocaleString('en-US'),
    f.trainTokensPerCpuSec === null ? 'n/a' : Math.round(f.trainTokensPerCpuSec).toLocaleString('en-US'),
    ms(f.latencyMs?.p50),
    ms(f.latencyMs?.p99),
    ms(f.latencyCpuMs?.p50),
    ms(f.latencyCpuMs?.p99),
    extra.bytesPerNgram === undefined ? '-' : extra.bytesPerNgram.toFixed(1),
    extra.peakRssMB === undefined ? '-' : extra.peakRssMB.toFixed(0),
  ];
}

/** The model against the baseline; `others` are the same model on other engines, measured alike. */
export function evalTable(report: EvalReport, others: EvalReport[] = []): string {
  const model = (r: EvalReport) => row(`model, ${r.engine ?? 'trie'} engine (order ${r.order})`, r, { bytesPerNgram: r.bytesPerNgram, peakRssMB: r.peakRssMB });
  return table([
    ['system', 'top-1', 'MRR@10', 'KS', 'train tok/s', 'tok/cpu s', 'p50 ms', 'p99 ms', 'cpu p50', 'cpu p99', 'B/n-gram', 'peak RSS MB'],
    model(report),
    ...others.map(model),
    row('greedy bigram', report.baseline, { bytesPerNgram: report.baseline.bytesPerNgram ?? undefined }),
  ]);
}

export function evalSummary(report: EvalReport): string {
  const t = report.test;
  const sampled = t.tokenStride > 1 ? ` (every ${ordinal(t.tokenStride)} token)` : '';
  const ks = report.keystrokes
    ? `keystroke replay: ${report.keystrokes.characters.toLocaleString('en-US')} characters sampled from the test files`
    : 'keystroke savings not measured' + (report.pretokenized ? ' (pretokenized input has no raw text to type)' : '');
  return (
    `trained on ${report.trainFiles} files, ${report.trainTokens.toLocaleString('en-US')} tokens; ` +
    `${report.ngrams.toLocaleString('en-US')} n-grams, ${report.vocabulary.toLocaleString('en-US')} words\n` +
    `tested on ${t.files} files, ${t.scoredTokens.toLocaleString('en-US')} of ${t.tokens.toLocaleString('en-US')} tokens scored${sampled}\n` +
    `${ks}\n` +
    recallLine(report)
  );
}

/** Recall of lines seen twice in training, model against the baseline. */
function recallLine(report: EvalReport): string {
  const r = report.recall;
  if (!r) return '';
  if (r.lines === 0) return 'recall of lines seen twice in training: no test line occurs twice in the training files\n';
  const b = report.baseline.recall;
  return (
    `recall of lines seen twice in training: ${r.recall.toFixed(1)}% of ${r.lines.toLocaleString('en-US')} half-typed lines ` +
    `finished by the next word${b ? ` (greedy bigram ${b.recall.toFixed(1)}%)` : ''}` +
    `${r.lines < r.eligibleLines ? `, sampled from ${r.eligibleLines.toLocaleString('en-US')}` : ''}\n`
  );
}

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
  return `${n}${suffix}`;
}
