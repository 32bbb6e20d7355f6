// The bench's printed tables: one per domain (model against the greedy bigram), then the figures
// measured at scale, each next to its DESIGN.md target.
import type { LatencySummary } from '../../evaluation/latency';
import type { ScaleResult } from './scale';
import type { ProjectSplitSummary } from './splits';
import type { EvalReport } from '../evalReport';
import { evalSummary, evalTable } from '../evalReport';
import { table } from '../format';

export interface DomainOutcome {
  domain: string;
  evaluatedOn: 'test' | 'validation';
  projects: ProjectSplitSummary[];
  report?: EvalReport;
  /** The same evaluation on the trie engine (engine v1), beside the indexed one. */
  trieReport?: EvalReport;
  error?: string;
  seconds: number;
}

export function domainSection(outcome: DomainOutcome): string {
  const projects = outcome.projects
    .map((p) => `${p.project} ${p.version} (${p.files.train}/${p.files.validation}/${p.files.test} files train/validation/test)`)
    .join(', ');
  const split = outcome.evaluatedOn === 'test' ? '' : ` — evaluated on the ${outcome.evaluatedOn} split`;
  const head = `== ${outcome.domain}: ${projects || 'no corpus'}${split}\n`;
  if (!outcome.report) return `${head}FAILED: ${outcome.error ?? 'unknown error'}\n`;
  const others = outcome.trieReport ? [outcome.trieReport] : [];
  return `${head}${evalSummary(outcome.report)}${evalTable(outcome.report, others)}(${outcome.seconds.toFixed(0)} s)\n`;
}

const vs = (model: number | null, baseline: number | null, format: (v: number) => string) =>
  `${model === null ? 'n/a' : format(model)} vs ${baseline === null ? 'n/a' : format(baseline)}`;
const pct = (v: number) => `${v.toFixed(1)}%`;

/** Every domain on one line each: the model against the greedy bigram. */
export function overviewSection(outcomes: DomainOutcome[]): string {
  const rows = outcomes.map((o) => {
    const r = o.report;
    if (!r) return [o.domain, 'failed', '', '', ''];
    return [
      o.domain,
      vs(r.top1, r.baseline.top1, pct),
      vs(r.mrr10, r.baseline.mrr10, (v) => v.toFixed(3)),
      vs(r.keystrokeSavings, r.baseline.keystrokeSavings, pct),
      r.latencyCpuMs ? `${r.latencyCpuMs.p50.toFixed(3)} / ${r.latencyCpuMs.p99.toFixed(3)}` : 'n/a',
    ];
  });
  return '== overview: model vs greedy bigram\n' + table([['domain', 'top-1', 'MRR@10', 'keystroke savings', 'completion cpu ms p50 / p99'], ...rows]);
}

const fixed = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');

const pair = (l: LatencySummary) => `${fixed(l.p50, 3)} / ${fixed(l.p99, 3)}`;

export function scaleSection(s: ScaleResult): string {
  return (
    `== at scale: ${s.ngrams.toLocaleString('en-US')} n-grams (target ${s.targetNgrams.toLocaleString('en-US')}` +
    `${s.prunedNgrams ? `, ${s.prunedNgrams.toLocaleString('en-US')} pruned` : ''}), snapshot ${(s.snapshotBytes / 1048576).toFixed(1)} MiB\n` +
    table([
      ['measure', 'wall clock', 'CPU time', 'target'],
      ['train tokens/s (chunked, redacted)', Math.round(s.trainTokensPerSec).toLocaleString('en-US'), Math.round(s.trainTokensPerCpuSec).toLocaleString('en-US'), '>= 1,500,000'],
      ['bytes per n-gram', fixed(s.bytesPerNgram), '-', '<= 24 (12)'],
      ['snapshot save ms (median of 3)', fixed(s.snapshotSaveMs.median), fixed(s.snapshotSaveMs.cpuMedian), '-'],
      ['snapshot load ms (median of 3)', fixed(s.snapshotLoadMs.median), fixed(s.snapshotLoadMs.cpuMedian), '<= 300'],
      ['apply edit delta ms p50 / p99', pair(s.applyEditDeltaMs), pair(s.applyEditDeltaCpuMs), '<= 1'],
      ['re-learn edited chunk ms p50 / p99', pair(s.relearnChunkMs), pair(s.relearnChunkCpuMs), '-'],
      ['completion ms p50 / p99', pair(s.completionMs), pair(s.completionCpuMs), '<= 0.5 / <= 5'],
      ['peak RSS MB (bench process)', fixed(s.peakRssMB, 0), '-', '-'],
    ])
  );
}
