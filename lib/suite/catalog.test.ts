import { describe, expect, it } from 'vitest';
import { blockedBy } from '../run/verdicts.ts';
import { TeardownRegistry } from '../run/teardown.ts';
import { catalog, selectSuites } from './catalog.ts';
import { suiteOrder } from '../run/sequencer.ts';

describe('suite selection', () => {
  it('selects by number, name, id and range, in catalog order', () => {
    const { selected, unknown } = selectSuites(['4', 'application-mode', '01-platform', '06..07']);
    expect(selected.map((s) => s.id)).toEqual([
      '01-platform',
      '02-application-mode',
      '04-jobmanager-ha',
      '06-wordcount-sweep',
      '07-k8ssandra',
    ]);
    expect(unknown).toEqual([]);
  });

  it('reports every unknown selector', () => {
    expect(selectSuites(['42', 'nope', '3']).unknown).toEqual(['42', 'nope']);
  });

  it('selects everything when nothing is named', () => {
    expect(selectSuites([]).selected).toHaveLength(catalog.length);
  });

  it('orders suite files numerically', () => {
    const files = ['suites/10-monitoring.test.ts', 'suites/02-application-mode.test.ts', 'suites/01-platform.test.ts'];
    expect([...files].sort(suiteOrder)).toEqual([files[2], files[1], files[0]]);
  });

  it('every prerequisite names a suite that runs earlier', () => {
    catalog.forEach((s, i) => {
      for (const need of s.needs) expect(catalog.findIndex((c) => c.id === need)).toBeLessThan(i);
    });
  });
});

describe('prerequisites', () => {
  it('blocks on a failed or skipped prerequisite, not on one that did not run', () => {
    expect(blockedBy(['01-platform'], {})).toBeUndefined();
    expect(blockedBy(['01-platform'], { '01-platform': { verdict: 'passed' } })).toBeUndefined();
    expect(blockedBy(['01-platform', '07-k8ssandra'], { '01-platform': { verdict: 'failed' }, '07-k8ssandra': { verdict: 'skipped' } })).toBe(
      'prerequisite 01-platform failed, 07-k8ssandra skipped',
    );
  });

  it('does not block on a suite failed only by skips that certification refused', () => {
    expect(blockedBy(['01-platform'], { '01-platform': { verdict: 'failed', blocks: false } })).toBeUndefined();
    expect(blockedBy(['01-platform'], { '01-platform': { verdict: 'failed', blocks: true } })).toBe('prerequisite 01-platform failed');
  });
});

describe('teardown registry', () => {
  it('undoes newest first, keeps going past failures, and honours --keep', async () => {
    const order: string[] = [];
    const t = new TeardownRegistry();
    t.add('a', async () => order.push('a'));
    t.add('b', async () => {
      throw new Error('boom');
    });
    t.add('c', async () => order.push('c'));
    const failures = await t.run({ keep: false });
    expect(order).toEqual(['c', 'a']);
    expect(failures).toEqual(['b: boom']);

    const kept = new TeardownRegistry();
    kept.add('x', async () => order.push('x'));
    expect(await kept.run({ keep: true })).toEqual([]);
    expect(order).not.toContain('x');
  });
});
