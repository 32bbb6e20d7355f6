// One evaluation run: train the model and the greedy-bigram baseline on the same documents, then
// score both on the test documents with the same tokens — top-1 / MRR@10 token by token (the
// recency cache only ever sees earlier tokens of the file), keystroke savings through the real
// completion path, training speed and completion latency. Pure: documents in, figures out.
import { Memory, Predictor, RecencyCache, tokenize, tokenizeWithOffsets } from '../memory/index';
import { IndexedMemory, IndexedMemoryBuilder } from '../memory/indexedMemory';
import { chunkDocumentId } from '../workspace/chunks';
import { prepareForLearning } from '../workspace/learnable';
import { GreedyBigram } from './greedyBigram';
import { rankOf, RankingScore } from './ranking';
import { replayTyping, typingFigures, type TypingFigures, type TypingOutcome } from './replay';
import { measureRecall, recallProbes, type RecallFigures } from './recall';
import { strideFor } from './sampling';

export interface EvalDocument {
  id: string;
  text: string;
}

export interface EvalOptions {
  /** n-gram order of the model (engine default when omitted). */
  order?: number;
  /** Which engine holds the counts: the indexed memory (engine v2, default) or the trie. Both
   *  give the same predictions for the same documents; they differ in cost. */
  engine?: 'indexed' | 'trie';
  /** Documents are whitespace-separated tokens, used as the token stream as they are. */
  pretokenized?: boolean;
  /** Learn the training files the way the extension does (secrets blanked, content-defined chunks)
   *  instead of whole files as they are. */
  learnLikeExtension?: boolean;
  /** Score about this many test tokens (every s-th token); 0 scores them all. */
  maxTestTokens?: number;
  /** Replay about this many characters for keystroke savings; 0 skips it. */
  keystrokeCharacters?: number;
  /** Test lines seen twice in training that are half typed to measure recall (default 500; 0 skips it). */
  recallLines?: number;
  /** Progress messages for a terminal or log. */
  progress?: (message: string) => void;
  /** Live heap bytes after a full collection, where the host can tell: sizes the baseline's memory. */
  heapUsed?: () => number;
  /** CPU time used by the process so far, in milliseconds, where the host can tell. */
  cpuMs?: () => number;
}

/** One system's figures. Keystroke savings are null when not measured (pretokenized input, or a
 *  budget of 0); latencies are those of producing the ghost text during the replay. */
export interface SystemFigures extends TypingFigures {
  /** Recall of lines seen at least twice in training; null when not measured. */
  recall: RecallFigures | null;
  /** Percent of scored tokens predicted first. */
  top1: number;
  /** Mean reciprocal rank within the first 10, 0..1. */
  mrr10: number;
  trainTokens: number;
  trainSeconds: number;
  /** Training tokens per second of wall clock. */
  trainTokensPerSec: number;
  /** Training tokens per second of the process's CPU time; null when the host cannot tell. */
  trainTokensPerCpuSec: number | null;
}

export interface BaselineFigures extends SystemFigures {
  /** Distinct bigrams stored. */
  ngrams: number;
  /** Heap growth of training the baseline per bigram (null when the heap could not be measured). */
  bytesPerNgram: number | null;
  /** Not separable: the baseline runs in the model's process (see the model's peakRssMB). */
  peakRssMB: null;
}

export interface EvalResult extends SystemFigures {
  engine: 'indexed' | 'trie';
  order: number;
  ngrams: number;
  bytes: number;
  bytesPerNgram: number;
  vocabulary: number;
  baseline: BaselineFigures;
  /** Wall-clock seconds of each phase, both systems together where they share one. */
  phaseSeconds: { trainModel: number; trainBaseline: number; scoring: number; replayModel: number; replayBaseline: number };
  test: {
    files: number;
    tokens: number;
    scoredTokens: number;
    tokenStride: number;
    keystrokeCharactersRequested: number;
  };
}

export function evaluate(train: EvalDocument[], test: EvalDocument[], options: EvalOptions = {}): EvalResult {
  const progress = options.progress ?? (() => {});
  const tokensOf = options.pretokenized ? pretokens : tokenize;

  const engine = options.engine ?? 'indexed';
  progress(`training the model (${engine} engine) on ${train.length} files`);
  const trainStart = performance.now();
  const trainCpuStart = options.cpuMs?.();
  const memory = engine === 'trie' ? trainTrie(train, options) : trainIndexed(train, options);
  const trainSeconds = (performance.now() - trainStart) / 1000;
  const trainCpuSeconds = cpuSecondsSince(trainCpuStart, options.cpuMs);
  const stats = memory.stats();

  progress('training the greedy-bigram baseline');
  const heapBefore = options.heapUsed?.();
  const baseline = new GreedyBigram();
  const baselineStart = performance.now();
  const baselineCpuStart = options.cpuMs?.();
  for (const doc of train) {
    if (options.pretokenized) {
      baseline.train(pretokens(doc.text));
    } else {
      const tokens = tokenizeWithOffsets(doc.text);
      baseline.train(tokens.map((t) => t.text));
      baseline.learnSpacing(doc.text, tokens);
    }
  }
  const baselineSeconds = (performance.now() - baselineStart) / 1000;
  const baselineCpuSeconds = cpuSecondsSince(baselineCpuStart, options.cpuMs);
  const heapAfter = options.heapUsed?.();
  const baselineBytes = heapBefore === undefined || heapAfter === undefined ? null : Math.max(0, heapAfter - heapBefore);

  progress(`scoring next-token predictions on ${test.length} files`);
  const scoringStart = performance.now();
  const predictor = new Predictor([memory]);
  const testTokens = test.map((doc) => tokensOf(doc.text));
  const totalTestTokens = testTokens.reduce((sum, t) => sum + t.length, 0);
  const stride = strideFor(totalTestTokens, options.maxTestTokens ?? 0);
  const modelRanks = new RankingScore(10);
  const baselineRanks = new RankingScore(10);
  let seen = 0;
  const contextLength = Math.max(memory.order * 2, 8);
  for (const tokens of testTokens) {
    const cache = new RecencyCache(memory.order);
    for (let i = 0; i < tokens.length; i++, seen++) {
      if (seen % stride === 0) {
        const context = tokens.slice(Math.max(0, i - contextLength), i);
        const ranked = predictor.predictNext(context, 10, cache).map((p) => p.token);
        modelRanks.add(rankOf(ranked, tokens[i]));
        baselineRanks.add(rankOf(baseline.successors(tokens[i - 1], 10), tokens[i]));
      }
      cache.observe(tokens[i]);
    }
  }

  const scoringSeconds = (performance.now() - scoringStart) / 1000;

  const budget = options.pretokenized ? 0 : options.keystrokeCharacters ?? 0;
  let modelTyping: TypingOutcome | null = null;
  let baselineTyping: TypingOutcome | null = null;
  let replayModelSeconds = 0;
  let replayBaselineSeconds = 0;
  if (budget > 0) {
    progress(`replaying about ${budget} characters as a typist`);
    let window = 0;
    const modelStart = performance.now();
    modelTyping = replayTyping(test, budget, () => {
      const cacheKey = `eval-window-${window++}`;
      return (before) => predictor.complete(before, { cacheKey }).best?.text;
    }, options.cpuMs);
    replayModelSeconds = (performance.now() - modelStart) / 1000;
    const baselineReplayStart = performance.now();
    baselineTyping = replayTyping(test, budget, () => (before) => baseline.ghostText(before), options.cpuMs);
    replayBaselineSeconds = (performance.now() - baselineReplayStart) / 1000;
  }

  const recallLines = options.pretokenized ? 0 : options.recallLines ?? 500;
  let modelRecall: RecallFigures | null = null;
  let baselineRecall: RecallFigures | null = null;
  if (recallLines > 0) {
    progress('finishing test lines seen twice in training (recall)');
    const probes = recallProbes(train, test, recallLines);
    modelRecall = measureRecall(test, probes, (file) => (before) => predictor.complete(before, { cacheKey: `recall-${file}` }).best?.text);
    baselineRecall = measureRecall(test, probes, () => (before) => baseline.ghostText(before));
  }

  const model: SystemFigures = {
    ...ranking(modelRanks),
    recall: modelRecall,
    ...typingFigures(modelTyping),
    trainTokens: stats.tokens,
    trainSeconds,
    trainTokensPerSec: perSecond(stats.tokens, trainSeconds),
    trainTokensPerCpuSec: trainCpuSeconds === null ? null : perSecond(stats.tokens, trainCpuSeconds),
  };
  return {
    ...model,
    engine,
    order: memory.order,
    ngrams: stats.ngrams,
    bytes: stats.bytes,
    bytesPerNgram: stats.ngrams > 0 ? stats.bytes / stats.ngrams : 0,
    vocabulary: stats.vocabulary,
    baseline: {
      ...ranking(baselineRanks),
      recall: baselineRecall,
      ...typingFigures(baselineTyping),
      trainTokens: baseline.tokens,
      trainSeconds: baselineSeconds,
      trainTokensPerSec: perSecond(baseline.tokens, baselineSeconds),
      trainTokensPerCpuSec: baselineCpuSeconds === null ? null : perSecond(baseline.tokens, baselineCpuSeconds),
      ngrams: baseline.bigrams,
      bytesPerNgram: baselineBytes === null || baseline.bigrams === 0 ? null : baselineBytes / baseline.bigrams,
      peakRssMB: null,
    },
    phaseSeconds: {
      trainModel: trainSeconds,
      trainBaseline: baselineSeconds,
      scoring: scoringSeconds,
      replayModel: replayModelSeconds,
      replayBaseline: replayBaselineSeconds,
    },
    test: {
      files: test.length,
      tokens: totalTestTokens,
      scoredTokens: modelRanks.predictions,
      tokenStride: stride,
      keystrokeCharactersRequested: budget,
    },
  };
}

function trainTrie(train: EvalDocument[], options: EvalOptions): Memory {
  const memory = new Memory(options.order === undefined ? {} : { order: options.order });
  for (const doc of train) {
    if (options.pretokenized) memory.setDocumentTokens(doc.id, pretokens(doc.text));
    else if (options.learnLikeExtension) {
      for (const chunk of prepareForLearning(doc.text).chunks) memory.setDocument(chunkDocumentId(doc.id, chunk.id), chunk.text);
    } else memory.setDocument(doc.id, doc.text);
  }
  return memory;
}

function trainIndexed(train: EvalDocument[], options: EvalOptions): IndexedMemory {
  const builder = new IndexedMemoryBuilder(options.order === undefined ? {} : { order: options.order });
  for (const doc of train) {
    if (options.pretokenized) builder.addDocumentTokens(doc.id, pretokens(doc.text));
    else if (options.learnLikeExtension) {
      for (const chunk of prepareForLearning(doc.text).chunks) builder.addDocument(chunkDocumentId(doc.id, chunk.id), chunk.text);
    } else builder.addDocument(doc.id, doc.text);
  }
  return builder.build();
}

function cpuSecondsSince(startMs: number | undefined, cpuMs: (() => number) | undefined): number | null {
  return startMs === undefined || !cpuMs ? null : (cpuMs() - startMs) / 1000;
}

function perSecond(count: number, seconds: number): number {
  return seconds > 0 ? count / seconds : 0;
}

/** Whitespace-separated tokens, as they are. */
export function pretokens(text: string): string[] {
  return text.split(/\s+/).filter((t) => t.length > 0);
}

function ranking(score: RankingScore): Pick<SystemFigures, 'top1' | 'mrr10'> {
  return { top1: score.top1 * 100, mrr10: score.mrr };
}
