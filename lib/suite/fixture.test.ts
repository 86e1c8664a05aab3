import { describe, expect, it } from 'vitest';
import type { RunContext } from '../run/context.ts';
import { catalog } from './catalog.ts';
import { SuiteHandle } from './handle.ts';

const handle = () => new SuiteHandle(catalog[0]!, { config: {} } as unknown as RunContext);

describe('a suite fixture', () => {
  it('is set up once, by the first step that asks, and every later step gets the same value', async () => {
    const s = handle();
    let setUps = 0;
    const session = s.fixture('session', async () => ({ n: ++setUps }));
    expect(setUps).toBe(0);
    const [a, b] = await Promise.all([session(), session()]);
    expect(await session()).toBe(a);
    expect(b).toBe(a);
    expect(setUps).toBe(1);
  });

  it('registers its teardown with the suite once set up, run after the last step, newest first', async () => {
    const s = handle();
    const order: string[] = [];
    const cluster = s.fixture('cluster', async () => 'c', async (v) => order.push(`close ${v}`));
    const job = s.fixture('job', async () => `${await cluster()}/j`, async (v) => order.push(`close ${v}`));
    s.fixture('never asked for', async () => 'x', async () => order.push('never set up, never torn down'));
    await job();
    expect(s.teardown.size).toBe(2);
    expect(await s.teardown.run({ keep: false })).toEqual([]);
    expect(order).toEqual(['close c/j', 'close c']);
  });

  it('is not set up again after a failure: every step that asks gets the same failure, and nothing to tear down', async () => {
    const s = handle();
    let setUps = 0;
    const broken = s.fixture('broken', async () => {
      setUps += 1;
      throw new Error('jar server image missing');
    }, async () => undefined);
    await expect(broken()).rejects.toThrow('jar server image missing');
    await expect(broken()).rejects.toThrow('jar server image missing');
    expect(setUps).toBe(1);
    expect(s.teardown.size).toBe(0);
  });
});
