import { describe, expect, it } from 'vitest';
import { WaitEnded } from './time.ts';
import { Deadline, observed, polled, until } from './until.ts';

describe('until a polled condition', () => {
  it('returns the first defined value', async () => {
    let n = 0;
    const value = await until(polled({ description: 'n to reach 3', check: async () => (++n >= 3 ? n : undefined), intervalMs: 10 }), Deadline.in(5000));
    expect(value).toBe(3);
  });

  it('stops at once on WaitEnded', async () => {
    const started = Date.now();
    await expect(
      until(polled({
        description: 'a job',
        check: async () => {
          throw new WaitEnded('job FAILED');
        },
        intervalMs: 10 }), Deadline.in(10_000)),
    ).rejects.toThrow('job FAILED');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('times out with the description, the last observation and the last error', async () => {
    await expect(
      until(polled({
        description: 'a checkpoint',
        check: async () => {
          throw new Error('connection refused');
        },
        observe: () => 'completed=0',
        intervalMs: 10 }), Deadline.in(100)),
    ).rejects.toThrow(/waiting for a checkpoint; last observed: completed=0 \(last error: connection refused\)/);
  });
});

describe('until an observation', () => {
  it('returns the observation that satisfied done', async () => {
    let n = 0;
    expect(await until(observed({ description: 'n', observe: async () => ++n, done: (v) => v >= 3, intervalMs: 10 }), Deadline.in(5000))).toBe(3);
  });

  it('returns the last observation at the deadline, for the judge to decide', async () => {
    let n = 0;
    expect(await until(observed({ description: 'n', observe: async () => ++n, done: () => false, intervalMs: 10 }), Deadline.in(50))).toBeGreaterThan(1);
  });

  it('keeps the last good observation when a later one fails', async () => {
    let n = 0;
    const observe = async () => {
      n++;
      if (n > 1) throw new Error('port-forward re-resolving');
      return 'seen once';
    };
    expect(await until(observed({ description: 'x', observe, done: () => false, intervalMs: 10 }), Deadline.in(50))).toBe('seen once');
  });

  it('fails naming the last error when nothing could be observed at all', async () => {
    const observe = async (): Promise<number> => {
      throw new Error('connection refused');
    };
    await expect(until(observed({ description: 'the job', observe, done: () => true, intervalMs: 10 }), Deadline.in(30))).rejects.toThrow(
      /^could not observe the job within 30ms: connection refused$/,
    );
  });

  it('ends at once on WaitEnded', async () => {
    const observe = async (): Promise<number> => {
      throw new WaitEnded('job FAILED');
    };
    const started = Date.now();
    await expect(until(observed({ description: 'x', observe, done: () => true, intervalMs: 10 }), Deadline.in(5000))).rejects.toThrow('job FAILED');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('Deadline', () => {
  it('within: a step inside a longer wait never outlives it', () => {
    const outer = Deadline.in(1_000);
    expect(outer.within(60_000).atMs).toBe(outer.atMs);
    expect(outer.within(10).atMs).toBeLessThan(outer.atMs);
  });

  it('since: counted from an earlier moment, so a late wait has less time left', () => {
    const d = Deadline.since(Date.now() - 900, 1_000);
    expect(d.totalMs).toBe(1_000);
    expect(d.remainingMs()).toBeLessThanOrEqual(100);
    expect(d.elapsedMs()).toBeGreaterThanOrEqual(900);
  });

  it('an aborted signal ends a polled wait at once', async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 20);
    const started = Date.now();
    await expect(until(polled({ description: 'never', check: async () => undefined, intervalMs: 10 }), Deadline.in(10_000), { signal: stop.signal })).rejects.toThrow(
      'wait for never aborted',
    );
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
