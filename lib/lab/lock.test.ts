import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// The lock's directory lives under STREAMCERT_HOME, read when the module loads: a home of its own.
let home: string;
let withLabLock: typeof import('./lock.ts').withLabLock;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'streamcert-lock-'));
  vi.stubEnv('STREAMCERT_HOME', home);
  vi.resetModules();
  ({ withLabLock } = await import('./lock.ts'));
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await rm(home, { recursive: true, force: true });
});

describe('withLabLock', () => {
  it('queues two operations started at once in one process (two concurrent tests), one after the other', async () => {
    const events: string[] = [];
    const op = (name: string) => async () => {
      events.push(`${name} in`);
      await new Promise((r) => setTimeout(r, 30));
      events.push(`${name} out`);
      return name;
    };
    expect(await Promise.all([withLabLock('up', op('a')), withLabLock('up', op('b'))])).toEqual(['a', 'b']);
    expect(events).toEqual(['a in', 'a out', 'b in', 'b out']);
  });

  it('refuses an operation started from inside another (it would wait on itself)', async () => {
    await expect(withLabLock('up', () => withLabLock('down', async () => 1))).rejects.toThrow(/lab down: already inside a lab operation \(\d+ up\)/);
  });

  it('a failed operation releases the lock for the next', async () => {
    await expect(withLabLock('up', async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(await withLabLock('down', async () => 'next')).toBe('next');
  });
});
