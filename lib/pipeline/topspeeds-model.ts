// The TopSpeeds job (fixtures/jobs) as a pure function, so 08 knows which rows it must have written.
// The generator is CarDataGenerator to the bit: record i is car i % cars at tick i / cars, speeding up
// or slowing down by 5 km/h on a SplitMix64 coin over (car, tick), driving speed / 3.6 metres per tick
// (the same IEEE additions in the same order, so the same doubles), at event time
// start + round(tick × 1000 × cars / rate). The window is Flink's, as TopSpeedWindowing builds it per car:
// - DeltaTrigger: the car's first record only becomes the reference; every later record whose distance
//   exceeds the reference's by more than triggerMeters FIRES and becomes the new reference.
// - The record is added to the window before the trigger sees it, and TimeEvictor (evict-before) then
//   drops every record with timestamp <= (newest timestamp − evict window): what remains is the car's
//   records in (t − evict, t].
// - maxBy(speed) reduces them in arrival order keeping the first of equal maxima: the earliest record
//   with the highest speed. That record is the sink's INSERT; its (carid, time) is the row's key.

export interface TopSpeedsParams {
  cars: number;
  recordsPerSecond: number;
  /** Event time of tick 0 (`--start-time-ms`). */
  startTimeMs: number;
  triggerMeters?: number;
  evictSeconds?: number;
}

export interface CarRecord {
  index: number;
  carid: number;
  speed: number;
  distance: number;
  time: number;
}

/** One window firing: the record that fired it, and the record it emitted (written as one row). */
export interface Firing {
  firedBy: number;
  emitted: CarRecord;
}

const START_SPEED = 50;
const MAX_SPEED = 100;
const SPEED_STEP = 5;
const U64 = (x: bigint) => BigInt.asUintN(64, x);

/** CarDataGenerator.speedsUp: SplitMix64's finaliser over (car, tick), low bit. */
export function speedsUp(car: number, tick: number): boolean {
  let z = U64(BigInt(tick) * 0x9e3779b97f4a7c15n + BigInt(car) * 0xc2b2ae3d27d4eb4fn + 0x165667b19e3779f9n);
  z = U64((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
  z = U64((z ^ (z >> 27n)) * 0x94d049bb133111ebn);
  z = z ^ (z >> 31n);
  return (z & 1n) === 1n;
}

export function tickMillis(p: TopSpeedsParams): number {
  return (1000 * p.cars) / p.recordsPerSecond;
}

/** Java's Math.round(double) is floor(x + 0.5), as JavaScript's Math.round for the non-negative ticks here. */
export function eventTime(p: TopSpeedsParams, tick: number): number {
  return p.startTimeMs + Math.round(tick * tickMillis(p));
}

/** The generator's records with index < `records`, in index order. */
export function* carRecords(p: TopSpeedsParams, records: number): Generator<CarRecord> {
  const speeds = new Array<number>(p.cars).fill(START_SPEED);
  const distances = new Array<number>(p.cars).fill(0);
  for (let i = 0; i < records; i++) {
    const car = i % p.cars;
    const tick = Math.floor(i / p.cars);
    speeds[car] = speedsUp(car, tick) ? Math.min(MAX_SPEED, speeds[car]! + SPEED_STEP) : Math.max(0, speeds[car]! - SPEED_STEP);
    distances[car] = distances[car]! + speeds[car]! / 3.6;
    yield { index: i, carid: car, speed: speeds[car]!, distance: distances[car]!, time: eventTime(p, tick) };
  }
}

/** Every firing of the window over the records with index < `records`, in the order they happen. */
export function* firings(p: TopSpeedsParams, records: number): Generator<Firing> {
  const triggerMeters = p.triggerMeters ?? 50;
  const evictMs = (p.evictSeconds ?? 10) * 1000;
  const reference = new Map<number, number>();
  // Per car, the records still inside the evict window of its newest record. Trimming on every
  // record instead of only at a firing keeps the same survivors: the cutoff only moves forward.
  const held = new Map<number, CarRecord[]>();
  for (const r of carRecords(p, records)) {
    const window = held.get(r.carid) ?? [];
    held.set(r.carid, window);
    window.push(r);
    const cutoff = r.time - evictMs;
    while (window.length && window[0]!.time <= cutoff) window.shift();
    const ref = reference.get(r.carid);
    if (ref === undefined) {
      reference.set(r.carid, r.distance);
      continue;
    }
    if (r.distance - ref > triggerMeters) {
      reference.set(r.carid, r.distance);
      let top = window[0]!;
      for (const x of window) if (x.speed > top.speed) top = x;
      yield { firedBy: r.index, emitted: top };
    }
  }
}

/** A row's primary key, `carid@time`. */
export const rowKey = (carid: number, time: number): string => `${carid}@${time}`;

/**
 * The keys the job writes: those of firings by records with index < `mustRecords` (the job must have
 * written them), and of all firings by records at or before event time `mayUntilMs` (it may have).
 */
export function expectedKeys(p: TopSpeedsParams, mustRecords: number, mayUntilMs: number): { must: Set<string>; may: Set<string> } {
  const must = new Set<string>();
  const may = new Set<string>();
  const ticksUntil = Math.max(0, Math.floor((mayUntilMs - p.startTimeMs) / tickMillis(p)) + 1);
  const records = Math.max(mustRecords, ticksUntil * p.cars);
  for (const f of firings(p, records)) {
    const key = rowKey(f.emitted.carid, f.emitted.time);
    if (f.firedBy < mustRecords) must.add(key);
    may.add(key);
  }
  return { must, may };
}
