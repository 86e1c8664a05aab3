import { describe, expect, it } from 'vitest';
import { judgeWriteGrowth, type WriteSample } from './write-growth.ts';

// Shaped as 08 read them on the lab (1 node, RF 1, ~49 writes/s, a sample every ~2 s).
const at = (i: number) => 1_764_650_000_000 + i * 2_050;
const grown: WriteSample[] = [1743, 1842, 1944, 2043, 2140].map((count, i) => ({ at: at(i), count }));
const t = 'example.topspeeds';

describe('judgeWriteGrowth', () => {
  it('passes a count that grows, with its rate', () => {
    const v = judgeWriteGrowth(grown, t);
    expect(v.ok).toBe(true);
    expect(v.writesPerSecond).toBe(48.4);
    expect(v.reason).toBe('write count of example.topspeeds grew 1743 → 1842 → 1944 → 2043 → 2140 over 8.2 s (48.4/s)');
  });

  it('fails a count that goes down', () => {
    const v = judgeWriteGrowth([...grown.slice(0, 3), { at: at(3), count: 1900 }, grown[4]!], t);
    expect(v).toMatchObject({ ok: false, reason: 'write count of example.topspeeds went down between samples: 1743 → 1842 → 1944 → 1900 → 2140' });
  });

  it('fails a count that does not grow (the job writes elsewhere)', () => {
    const v = judgeWriteGrowth([0, 0, 0, 0].map((count, i) => ({ at: at(i), count })), t);
    expect(v).toMatchObject({ ok: false, reason: 'write count of example.topspeeds did not grow over 6.15 s: 0 → 0 → 0 → 0' });
  });

  it('leaves out samples the harness could not read, and says so', () => {
    const samples = [...grown.slice(0, 2), { at: at(2), error: 'All host(s) tried for query failed' }, ...grown.slice(3)];
    const v = judgeWriteGrowth(samples, t);
    expect(v.ok).toBe(true);
    expect(v.unread).toBe(1);
    expect(v.reason).toMatch(/1 of 5 samples could not be read and are left out \(last error: All host\(s\) tried for query failed\)$/);
  });

  it('fails as disturbed when too few samples were read, never passing on what little it saw', () => {
    const errors = [2, 3, 4].map((i) => ({ at: at(i), error: 'socket hang up' }));
    expect(judgeWriteGrowth([...grown.slice(0, 2), ...errors], t)).toMatchObject({
      ok: false,
      reason: 'measurement disturbed: only 2 of 5 samples of the write count of example.topspeeds could be read (last error: socket hang up); at least 3 and half are needed to judge its growth',
    });
    expect(judgeWriteGrowth([], t).ok).toBe(false);
  });
});
