// The layout worker: refines neuron positions off the render thread and sends them back as a
// transferred Float32Array. One job at a time; a newer job replaces an older one still queued.
import { relax } from '../../lightfield/layout';
import type { LayoutJob, LayoutResult } from './layoutJob';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<LayoutJob>) => void) | null;
  postMessage(message: LayoutResult, transfer: Transferable[]): void;
};

scope.onmessage = (event) => {
  const job = event.data;
  const started = performance.now();
  const positions = relax(job.positions, { size: job.mobility.length, from: job.from, to: job.to, weight: job.weight }, {
    iterations: job.iterations,
    mobility: job.mobility,
  });
  scope.postMessage({ id: job.id, positions, ms: performance.now() - started }, [positions.buffer]);
};
