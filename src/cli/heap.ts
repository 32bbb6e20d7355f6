// Live heap size after a full garbage collection, for sizing data structures that have no byte
// count of their own (the baseline's maps). Node hides `gc` unless started with --expose-gc; the
// flag can be set at run time and the function fetched from a fresh context.
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

export function heapMeter(): (() => number) | undefined {
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    if (typeof gc !== 'function') return undefined;
    return () => {
      gc();
      return process.memoryUsage().heapUsed;
    };
  } catch {
    return undefined;
  }
}
