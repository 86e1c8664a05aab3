import { describe, expect, it } from 'vitest';
import { finalKeys, finalKeysTimeoutMs, untilFinalKeys } from './sabotage.ts';
import { firings, rowKey } from './topspeeds-model.ts';

const params = { cars: 10, recordsPerSecond: 200, startTimeMs: 1_764_650_000_000 };

describe('finalKeys (the rows the lost-writes control deletes)', () => {
  it('are keys the job must have written that no later firing writes again', () => {
    const keys = finalKeys(params, 12_000, 3);
    expect(keys).toHaveLength(3);
    const before = new Set<string>();
    const after = new Set<string>();
    for (const f of firings(params, 40_000)) (f.firedBy < 12_000 ? before : after).add(rowKey(f.emitted.carid, f.emitted.time));
    for (const k of keys) {
      expect(before.has(rowKey(k.carid, k.time))).toBe(true);
      expect(after.has(rowKey(k.carid, k.time))).toBe(false);
    }
  });

  it('are none when the job has not run past one evict window', () => {
    expect(finalKeys(params, 1_000, 3)).toEqual([]);
  });
});

describe('untilFinalKeys (the lost-writes control waiting for rows it can delete)', () => {
  // A fake clock that only the fake checkpoints advance: each flushed point takes `checkpointMs`.
  const run = (sourceRecords: number[], checkpointMs: number) => {
    let clock = 0;
    const asked: number[] = [];
    let i = 0;
    const next = async (remainingMs: number) => {
      asked.push(remainingMs);
      clock += checkpointMs;
      i++;
      return { sourceRecords: sourceRecords[Math.min(i, sourceRecords.length - 1)]!, checkpointId: 40 + i };
    };
    return { first: { sourceRecords: sourceRecords[0]!, checkpointId: 40 }, next, now: () => clock, asked };
  };

  it('takes the first point as it is when it already has the rows, asking for no other', async () => {
    const r = run([12_000], 30_000);
    const found = await untilFinalKeys(params, r.first, r.next, 3, { now: r.now });
    expect(found).toEqual({ point: r.first, keys: finalKeys(params, 12_000, 3) });
    expect(r.asked).toEqual([]);
  });

  it('takes flushed points until one has the rows, and deletes those of that point', async () => {
    const r = run([1_000, 2_000, 12_000], 30_000);
    const found = await untilFinalKeys(params, r.first, r.next, 3, { timeoutMs: 120_000, now: r.now });
    expect(found).toEqual({ point: { sourceRecords: 12_000, checkpointId: 42 }, keys: finalKeys(params, 12_000, 3) });
    expect(r.asked, 'each checkpoint is given the time left').toEqual([120_000, 90_000]);
  });

  it('throws past its deadline when no point has the rows, naming what it waited for and the last point', async () => {
    const r = run([1_000, 2_000], 30_000);
    await expect(untilFinalKeys(params, r.first, r.next, 3, { timeoutMs: 100_000, now: r.now })).rejects.toThrow(
      new Error(
        'fault topspeeds-rows-deleted: waited 100 s for a flushed point with 3 final row(s) (older than one evict window before the source\'s position, ' +
          'so no later firing writes them again); the last of 5 point(s), checkpoint #44 at 2000 source records, had 0: is the job\'s source advancing?',
      ),
    );
    expect(r.asked).toEqual([100_000, 70_000, 40_000, 10_000]);
  });

  it('throws, not waits for ever, when the source position is no number (an empty observation never passes)', async () => {
    const r = run([NaN], 60_000);
    await expect(untilFinalKeys(params, r.first, r.next, 3, { now: r.now })).rejects.toThrow(/waited 300 s .* checkpoint #45 at NaN source records, had 0/);
    expect(r.asked).toHaveLength(5);
  });

  it('waits five minutes in all unless told otherwise', () => {
    expect(finalKeysTimeoutMs).toBe(300_000);
  });
});
