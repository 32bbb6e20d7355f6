// Messages between the extension host and its training workers (worker_threads, same process).
import type { SkipReason } from '../../workspace/fileFilter';

/**
 * A file to read from disk (only when its real path lies inside `root`, its workspace folder), or
 * text the host already has (an editor's unsaved contents).
 */
export type PrepareInput = { key: string; path: string; root: string } | { key: string; text: string };

export interface PrepareRequest {
  type: 'prepare';
  jobId: number;
  inputs: PrepareInput[];
  maxFileBytes: number;
  forgotten: string[];
}

/** A content-addressed piece of a file's cleaned text (secrets and forgotten words blanked). */
export interface PreparedChunk {
  id: string;
  text: string;
}

export type PreparedFile =
  | { key: string; chunks: PreparedChunk[]; redacted: number; mtimeMs: number; size: number }
  | { key: string; skip: SkipReason; mtimeMs: number; size: number };

export interface PrepareResponse {
  type: 'prepared';
  jobId: number;
  files: PreparedFile[];
}

export interface WorkerFailure {
  type: 'failed';
  jobId: number;
  message: string;
}

export type WorkerReply = PrepareResponse | WorkerFailure;
