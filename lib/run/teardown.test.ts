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
