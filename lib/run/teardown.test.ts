import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ForcedRemoval } from '../results/model.ts';
import { TeardownRegistry } from './teardown.ts';

// Hand-written in the shape of a ForcedRemoval (not yet recorded from the lab, see the fixture README).
const forced = JSON.parse(readFileSync(new URL('../k8s/__fixtures__/deletion/forced-removal.json', import.meta.url), 'utf8')) as ForcedRemoval;

describe('TeardownRegistry', () => {
  it('undoes newest first and collects every failure instead of stopping at the first', async () => {
    const t = new TeardownRegistry();
    const done: string[] = [];
    t.add('namespace', async () => void done.push('namespace'));
    t.add('FlinkDeployment', async () => {
      throw new Error('still terminating');
    });
    t.add('port-forward', async () => void done.push('port-forward'));
    expect(await t.run({ keep: false })).toEqual(['FlinkDeployment: still terminating']);
    expect(done).toEqual(['port-forward', 'namespace']);
  });

  it('undoes different scopes at the same time, each scope newest first, and waits at an unscoped barrier', async () => {
    const t = new TeardownRegistry();
    const events: string[] = [];
    const slow = (name: string, ms: number) => async () => {
      events.push(`${name} start`);
      await new Promise((r) => setTimeout(r, ms));
      events.push(`${name} end`);
    };
    t.add('namespace', slow('namespace', 1));
    t.add('FlinkDeployment a', slow('a', 40), { scope: 'a' });
    t.add('FlinkDeployment b', slow('b', 10), { scope: 'b' });
    t.add('FlinkSessionJob in b', slow('b-job', 10), { scope: 'b' });
    t.add('port-forward to a', slow('a-forward', 1), { scope: 'a' });
    const started = Date.now();
    expect(await t.run({ keep: false })).toEqual([]);
    // Scope a (41 ms) and scope b (20 ms) side by side, the namespace after both.
    expect(Date.now() - started).toBeLessThan(90);
    expect(events.indexOf('b-job end')).toBeLessThan(events.indexOf('b start'));
    expect(events.indexOf('a-forward end')).toBeLessThan(events.indexOf('a start'));
    expect(events.indexOf('b-job start')).toBeLessThan(events.indexOf('a end'));
    expect(events.slice(-2)).toEqual(['namespace start', 'namespace end']);
  });

  it('keeps the order of scoped undos around a barrier registered between them', async () => {
    const t = new TeardownRegistry();
    const done: string[] = [];
    t.add('FlinkDeployment a', async () => void done.push('a'), { scope: 'a' });
    t.add('chaos restore', async () => void done.push('restore'));
    t.add('FlinkDeployment b', async () => void done.push('b'), { scope: 'b' });
    await t.run({ keep: false });
    expect(done).toEqual(['b', 'restore', 'a']);
  });

  it('keeps every forcing a deletion reports, in order, for the suite result', async () => {
    const t = new TeardownRegistry();
    t.add('FlinkDeployment', async () => t.recordForcedRemoval(forced));
    expect(t.forcedRemovals).toEqual([]);
    await t.run({ keep: false });
    expect(t.forcedRemovals).toEqual([forced]);
  });

  it('forces nothing under --keep', async () => {
    const t = new TeardownRegistry();
    t.add('FlinkDeployment', async () => t.recordForcedRemoval(forced));
    expect(await t.run({ keep: true })).toEqual([]);
    expect(t.forcedRemovals).toEqual([]);
  });
});
