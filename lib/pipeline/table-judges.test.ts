// judgePartitions and judgeFullCount on each of their sides. The observations are what the judges
// received on the lab on 2026-12-04 (see __fixtures__/table/README.md): suite 08 passing (run
// 20261204-021621-fed3: carid 0..9, 340 rows); the failing sides are minimal edits of them, named, and
// the recorded runs of 08's controls (a foreign partition, a node frozen during the count).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { judgeFullCount, judgePartitions } from './table-judges.ts';

const recorded = <T>(name: string): T => JSON.parse(readFileSync(new URL(`./__fixtures__/table/${name}`, import.meta.url), 'utf8')) as T;
type Partitions = Parameters<typeof judgePartitions>[0];
type FullCount = Parameters<typeof judgeFullCount>[0];

describe('judgePartitions', () => {
  const all = () => recorded<Partitions>('08-partitions.json');
  it('passes on the recorded run: the 10 cars each have their partition', () => {
    expect(judgePartitions(all())).toEqual({ ok: true, reason: '10 partitions (carid 0..9) in example.topspeeds' });
  });
  it('fails naming a missing car (recorded with carid 7 removed), an unexpected one (carid 10 added), and an empty table', () => {
    const o = all();
    expect(judgePartitions({ ...o, carIds: o.carIds.filter((c) => c !== 7) })).toEqual({
      ok: false,
      reason: '9 partitions (distinct carid) in example.topspeeds, expected 10 (pipeline.cars): missing carid 7',
    });
    expect(judgePartitions({ ...o, carIds: [...o.carIds, 10] }).reason).toBe(
      '11 partitions (distinct carid) in example.topspeeds, expected 10 (pipeline.cars): unexpected carid 10',
    );
    expect(judgePartitions({ ...o, carIds: [] }).ok).toBe(false);
  });
  it('fails on the recorded foreign partition (fault topspeeds-foreign-partition: carid 110 by another writer)', () => {
    expect(judgePartitions(recorded<Partitions>('08-partitions-foreign.json'))).toEqual({
      ok: false,
      reason: '11 partitions (distinct carid) in example.topspeeds, expected 10 (pipeline.cars): unexpected carid 110',
    });
  });
});

describe('judgeFullCount', () => {
  const counted = () => recorded<FullCount>('08-full-count.json');
  it('passes on the recorded count: 340 rows in 1 page', () => {
    expect(judgeFullCount(counted())).toEqual({ ok: true, reason: '340 rows counted in example.topspeeds in 1 pages, 0.03 s' });
  });
  it('fails on a count that timed out (recorded edited, and recorded with the node frozen) and on fewer rows than cars (recorded edited)', () => {
    expect(judgeFullCount({ ...counted(), rows: 0, pages: 0, error: 'Operation timed out for example.topspeeds' })).toEqual({
      ok: false,
      reason: 'a paged count of example.topspeeds did not complete after 0.03 s: Operation timed out for example.topspeeds',
    });
    expect(judgeFullCount(recorded<FullCount>('08-full-count-node-frozen.json'))).toEqual({
      ok: false,
      reason: 'a paged count of example.topspeeds did not complete after 12.13 s: The host 127.0.0.1:34361 did not reply before timeout 12000 ms',
    });
    expect(judgeFullCount({ ...counted(), rows: 3 })).toEqual({
      ok: false,
      reason: 'a paged count of example.topspeeds found 3 rows in 1 pages, expected at least 10 (one per car)',
    });
  });
});
