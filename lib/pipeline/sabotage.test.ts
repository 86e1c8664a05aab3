import { describe, expect, it } from 'vitest';
import { finalKeys } from './sabotage.ts';
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
