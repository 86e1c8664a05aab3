import { describe, expect, it } from 'vitest';
import { pollUntil } from './poll.ts';
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
