// Tide predictions from the harmonic constants published for the harbour.

export interface TideConstituent {
  name: string;
  amplitude: number; // metres
  speed: number; // degrees per hour
  phase: number; // degrees
}

export interface Tide {
  kind: 'high' | 'low';
  time: Date;
  height: number;
}

export const HARBOUR_CONSTITUENTS: TideConstituent[] = [
  { name: 'M2', amplitude: 1.62, speed: 28.984104, phase: 112.4 },
  { name: 'S2', amplitude: 0.54, speed: 30.0, phase: 148.9 },
  { name: 'N2', amplitude: 0.31, speed: 28.43973, phase: 95.2 },
  { name: 'K1', amplitude: 0.12, speed: 15.041069, phase: 201.7 },
];

const MEAN_SEA_LEVEL = 2.35;
const HOUR = 60 * 60 * 1000;

export function tideHeight(time: Date, constituents: TideConstituent[] = HARBOUR_CONSTITUENTS): number {
  const hours = time.getTime() / HOUR;
  let height = MEAN_SEA_LEVEL;
  for (const constituent of constituents) {
    const angle = ((constituent.speed * hours - constituent.phase) * Math.PI) / 180;
    height += constituent.amplitude * Math.cos(angle);
  }
  return height;
}

export function tidesBetween(start: Date, end: Date, stepMinutes = 6): Tide[] {
  const tides: Tide[] = [];
  const step = stepMinutes * 60 * 1000;
  let previous = tideHeight(start);
  let rising = tideHeight(new Date(start.getTime() + step)) > previous;
  for (let t = start.getTime() + step; t <= end.getTime(); t += step) {
    const height = tideHeight(new Date(t));
    if (rising && height < previous) {
      tides.push({ kind: 'high', time: new Date(t - step), height: previous });
      rising = false;
    } else if (!rising && height > previous) {
      tides.push({ kind: 'low', time: new Date(t - step), height: previous });
      rising = true;
    }
    previous = height;
  }
  return tides;
}

export function formatTide(tide: Tide): string {
  const time = tide.time.toISOString().slice(11, 16);
  return `${tide.kind === 'high' ? 'High' : 'Low '} water at ${time}, ${tide.height.toFixed(2)} m`;
}
