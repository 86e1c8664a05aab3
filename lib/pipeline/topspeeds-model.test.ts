import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { carRecords, eventTime, expectedKeys, firings, speedsUp, type CarRecord } from './topspeeds-model.ts';

// Records the job's own CarDataGenerator produced (Java 17), compared to the last bit of each double.
const java = JSON.parse(readFileSync(new URL('./__fixtures__/car-data-java.json', import.meta.url), 'utf8')) as { records: CarRecord[] };
const tenCars = { cars: 10, recordsPerSecond: 200, startTimeMs: 1_764_650_000_000 };

describe('the TopSpeeds generator model', () => {
  it("emits CarDataGenerator's records bit for bit, also 200,000 records on", () => {
    const model = [...carRecords(tenCars, 200_000)];
    for (const r of java.records) expect(model[r.index], `record ${r.index}`).toEqual(r);
  });

  it('places tick t at start + round(t × 1000 × cars / rate)', () => {
    expect(eventTime(tenCars, 3)).toBe(1_764_650_000_150);
    expect(eventTime({ cars: 7, recordsPerSecond: 300, startTimeMs: 0 }, 1)).toBe(23);
    expect(eventTime({ cars: 7, recordsPerSecond: 300, startTimeMs: 0 }, 2)).toBe(47);
  });

  it("tosses SplitMix64's coin: car 0 speeds up at tick 0, as record 0 (55 km/h) shows", () => {
    expect(speedsUp(0, 0)).toBe(true);
    const ups = Array.from({ length: 10_000 }, (_, t) => speedsUp(3, t)).filter(Boolean).length;
    expect(Math.abs(ups - 5000)).toBeLessThan(300);
  });
});

describe('the TopSpeedWindowing model', () => {
  it("emits what Flink 1.20's own window emitted over the job's generator, firing by firing, to the last bit", () => {
    // __fixtures__/WindowCheck.java: carid speed doubleToLongBits(distance) time, one line per firing.
    const flink = readFileSync(new URL('./__fixtures__/flink-1.20-window-10cars-3000records.txt', import.meta.url), 'utf8').trim().split('\n');
    const bits = new DataView(new ArrayBuffer(8));
    const model = [...firings(tenCars, 3_000)].map(({ emitted: e }) => {
      bits.setFloat64(0, e.distance);
      return `${e.carid} ${e.speed} ${bits.getBigInt64(0)} ${e.time}`;
    });
    expect(flink).toHaveLength(681);
    expect(model).toEqual(flink);
  });

  const all = [...firings(tenCars, 20_000)];
  const records = [...carRecords(tenCars, 20_000)];

  it("never fires on a car's first record, and fires only past 50 m since the last firing", () => {
    const last = new Map<number, number>();
    for (const f of all) {
      const by = records[f.firedBy]!;
      expect(f.firedBy).toBeGreaterThanOrEqual(tenCars.cars);
      const ref = last.get(by.carid) ?? records[by.carid]!.distance;
      expect(by.distance - ref).toBeGreaterThan(50);
      last.set(by.carid, by.distance);
    }
  });

  it('emits the earliest of the fastest records of the last 10 s of the car', () => {
    for (const f of all.slice(0, 200)) {
      const by = records[f.firedBy]!;
      const held = records.filter((r) => r.carid === by.carid && r.index <= by.index && r.time > by.time - 10_000);
      const top = Math.max(...held.map((r) => r.speed));
      expect(f.emitted).toEqual(held.find((r) => r.speed === top));
    }
  });

  it('fires about every 4 ticks per car, as measured on the lab (49.4 INSERTs/s at 200 records/s)', () => {
    const perSecond = all.length / (20_000 / tenCars.recordsPerSecond);
    expect(perSecond).toBeGreaterThan(40);
    expect(perSecond).toBeLessThan(60);
  });

  it('keys a job must have written are among those it may have written', () => {
    const { must, may } = expectedKeys(tenCars, 2_000, eventTime(tenCars, 400));
    expect(must.size).toBeGreaterThan(0);
    for (const k of must) expect(may.has(k)).toBe(true);
    expect(may.size).toBeGreaterThan(must.size);
  });
});
