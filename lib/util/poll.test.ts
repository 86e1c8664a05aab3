import { describe, expect, it } from 'vitest';
import { observeUntil, pollUntil } from './poll.ts';
import { WaitEnded } from './time.ts';

describe('pollUntil', () => {
  it('returns the first defined value', async () => {
    let n = 0;
    const { value } = await pollUntil({ description: 'n to reach 3', check: async () => (++n >= 3 ? n : undefined), timeoutMs: 5000, intervalMs: 10 });
    expect(value).toBe(3);
  });

  it('stops at once on WaitEnded', async () => {
    const started = Date.now();
    await expect(
      pollUntil({
        description: 'a job',
        check: async () => {
          throw new WaitEnded('job FAILED');
        },
        timeoutMs: 10_000,
        intervalMs: 10,
      }),
    ).rejects.toThrow('job FAILED');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('times out with the description, the last observation and the last error', async () => {
    await expect(
      pollUntil({
        description: 'a checkpoint',
        check: async () => {
          throw new Error('connection refused');
        },
        observe: () => 'completed=0',
        timeoutMs: 100,
        intervalMs: 10,
      }),
    ).rejects.toThrow(/waiting for a checkpoint; last observed: completed=0 \(last error: connection refused\)/);
  });
});

describe('observeUntil', () => {
  it('returns the observation that satisfied done', async () => {
    let n = 0;
    expect(await observeUntil({ description: 'n', observe: async () => ++n, done: (v) => v >= 3, timeoutMs: 5000, intervalMs: 10 })).toBe(3);
  });

  it('returns the last observation at the deadline, for the judge to decide', async () => {
    let n = 0;
    expect(await observeUntil({ description: 'n', observe: async () => ++n, done: () => false, timeoutMs: 50, intervalMs: 10 })).toBeGreaterThan(1);
  });

  it('keeps the last good observation when a later one fails', async () => {
    let n = 0;
    const observe = async () => {
      n++;
      if (n > 1) throw new Error('port-forward re-resolving');
      return 'seen once';
    };
    expect(await observeUntil({ description: 'x', observe, done: () => false, timeoutMs: 50, intervalMs: 10 })).toBe('seen once');
  });

  it('fails naming the last error when nothing could be observed at all', async () => {
    const observe = async (): Promise<number> => {
      throw new Error('connection refused');
    };
    await expect(observeUntil({ description: 'the job', observe, done: () => true, timeoutMs: 30, intervalMs: 10 })).rejects.toThrow(
      /^could not observe the job within 30ms: connection refused$/,
    );
  });

  it('ends at once on WaitEnded', async () => {
    const observe = async (): Promise<number> => {
      throw new WaitEnded('job FAILED');
    };
    const started = Date.now();
    await expect(observeUntil({ description: 'x', observe, done: () => true, timeoutMs: 5000, intervalMs: 10 })).rejects.toThrow('job FAILED');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
