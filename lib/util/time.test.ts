import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { pollPause } from './time.ts';

describe('pollPause', () => {
  it('leaves no listener on the signal once it has waited (a long poll on one signal would pile them up)', async () => {
    const abort = new AbortController();
    for (let i = 0; i < 20; i++) await pollPause(1, abort.signal);
    expect(getEventListeners(abort.signal, 'abort')).toHaveLength(0);
  });

  it('ends early when the signal aborts, and at once when it already has', async () => {
    const abort = new AbortController();
    const started = Date.now();
    setTimeout(() => abort.abort(), 10);
    await pollPause(10_000, abort.signal);
    await pollPause(10_000, abort.signal);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
