// The logbook: one entry per watch, kept in the order the keepers wrote them.

export type LampState = 'lit' | 'dimmed' | 'fault';

export interface Watch {
  keeper: string;
  start: Date;
  end: Date;
  lamp: LampState;
  weather: string;
  remarks: string[];
}

export class Logbook {
  private readonly watches: Watch[] = [];

  recordWatch(watch: Watch): void {
    if (watch.end <= watch.start) {
      throw new Error(`a watch must end after it starts (${watch.keeper})`);
    }
    this.watches.push(watch);
  }

  watchesOf(keeper: string): Watch[] {
    return this.watches.filter((watch) => watch.keeper === keeper);
  }

  watchesBetween(start: Date, end: Date): Watch[] {
    return this.watches.filter((watch) => watch.start >= start && watch.end <= end);
  }

  faults(): Watch[] {
    return this.watches.filter((watch) => watch.lamp === 'fault');
  }

  hoursKeptBy(keeper: string): number {
    return this.watchesOf(keeper).reduce((hours, watch) => hours + (watch.end.getTime() - watch.start.getTime()) / 3_600_000, 0);
  }
}

export function describeWatch(watch: Watch): string {
  const remarks = watch.remarks.length > 0 ? ` Remarks: ${watch.remarks.join('; ')}.` : '';
  return `${watch.keeper} kept the light from ${watch.start.toISOString()} to ${watch.end.toISOString()}; the lamp was ${watch.lamp} and the weather ${watch.weather}.${remarks}`;
}
