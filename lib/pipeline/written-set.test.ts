import { describe, expect, it } from 'vitest';
import { eventTime, expectedKeys, type TopSpeedsParams } from './topspeeds-model.ts';
import { judgeWrittenSet, type WrittenSetObservation } from './written-set.ts';
import type { RowKey } from '../cassandra/table-stats.ts';

const params: TopSpeedsParams = { cars: 10, recordsPerSecond: 200, startTimeMs: 1_764_650_000_000 };
const keysOf = (set: Set<string>): RowKey[] => [...set].map((k) => ({ carid: Number(k.split('@')[0]), time: Number(k.split('@')[1]) }));
// The table as the job leaves it 60 s in, read 3 s after the point: every key of the firings so far.
const sourceRecords = 12_000;
const readAt = eventTime(params, 1_200) + 3_000;
const { must } = expectedKeys(params, sourceRecords, 0);
const soFar = expectedKeys(params, sourceRecords + 600, 0).must;
const observation = (written: RowKey[]): WrittenSetObservation => ({ table: 'example.topspeeds', params, sourceRecords, checkpointId: 31, written, readAt });

describe('judgeWrittenSet', () => {
  it('passes when every key the job must have written is there, and rows of later firings too', () => {
    const j = judgeWrittenSet(observation(keysOf(soFar)));
    expect(j).toMatchObject({ ok: true, expectedKeys: must.size, lostKeys: 0, unexpectedKeys: 0 });
    expect(j.reason).toMatch(/^all \d+ keys carid@time the job must have written for the 12000 records the source emitted before checkpoint #31 \(completed\) are in example\.topspeeds/);
  });

  it('fails naming the lost keys', () => {
    const dropped = [...must][5]!;
    const written = keysOf(soFar).filter((k) => `${k.carid}@${k.time}` !== dropped);
    const j = judgeWrittenSet(observation(written));
    expect(j).toMatchObject({ ok: false, lostKeys: 1, unexpectedKeys: 0, lost: [dropped] });
    expect(j.reason).toContain(`1 of ${must.size} keys carid@time the job must have written for the 12000 records the source emitted before checkpoint #31 (completed) are missing: ${dropped}`);
  });

  it('fails on a key no firing produces: a time between ticks, a car the job does not have', () => {
    const odd = [{ carid: 3, time: params.startTimeMs + 7 }, { carid: 42, time: params.startTimeMs + 5_000 }];
    const j = judgeWrittenSet(observation([...keysOf(soFar), ...odd]));
    expect(j).toMatchObject({ ok: false, lostKeys: 0, unexpectedKeys: 2, unexpected: ['3@1764650000007', '42@1764650005000'] });
    expect(j.reason).toMatch(/2 of \d+ rows are keys no window firing of the generator produces .*: 3@1764650000007, 42@1764650005000; another writer/);
  });

  it('fails on a row from the future: later than the source can have reached when the table was read', () => {
    const future = expectedKeys(params, 0, readAt + 60_000).may;
    const late = [...future].find((k) => Number(k.split('@')[1]) > readAt + 20_000)!;
    const j = judgeWrittenSet(observation([...keysOf(soFar), ...keysOf(new Set([late]))]));
    expect(j).toMatchObject({ ok: false, unexpectedKeys: 1, unexpected: [late] });
  });

  it("fails on an empty table: every key lost", () => {
    const j = judgeWrittenSet(observation([]));
    expect(j).toMatchObject({ ok: false, lostKeys: must.size });
    expect(j.reason).toBe(`example.topspeeds holds no row of this job: all ${must.size} keys it must have written for the 12000 records the source emitted before checkpoint #31 (completed) are missing`);
  });

  it('fails, not passes, when there was nothing to check: too few records for a firing', () => {
    const j = judgeWrittenSet({ ...observation(keysOf(soFar)), sourceRecords: 10 });
    expect(j).toMatchObject({ ok: false, expectedKeys: 0 });
    expect(j.reason).toMatch(/^nothing to check in example\.topspeeds: the 10 records .* make no window firing/);
  });

  it("leaves out rows older than the job's start (an adopted cluster keeps earlier runs' rows), saying so", () => {
    const earlier = [{ carid: 1, time: params.startTimeMs - 86_400_000 }];
    const j = judgeWrittenSet(observation([...keysOf(soFar), ...earlier]));
    expect(j).toMatchObject({ ok: true, unexpectedKeys: 0 });
    expect(j.reason).toMatch(/; 1 rows older than the job's start \(2025-12-02T04:33:20.000Z\) left out\)$/);
  });
});
