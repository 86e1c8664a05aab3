import { describe, expect, it } from 'vitest';
import { chaosRefusal } from './guard.ts';

describe('chaos guard', () => {
  const run = '20261124-200000-abcd';

  it('allows the namespaces this run created', () => {
    expect(chaosRefusal('sc-x-09', { 'streamcert.io/run-id': run }, run, [])).toBeUndefined();
  });

  it('allows namespaces the configuration lists', () => {
    expect(chaosRefusal('cassandra-prod-like', undefined, run, ['cassandra-prod-like'])).toBeUndefined();
  });

  it("refuses another run's namespace and unlabelled ones, naming the namespace", () => {
    expect(chaosRefusal('sc-y-09', { 'streamcert.io/run-id': 'other' }, run, [])).toMatch(/namespace sc-y-09 was created by run other/);
    expect(chaosRefusal('kube-system', {}, run, ['default'])).toMatch(/kube-system .*no streamcert run.*chaos.allowNamespaces/);
  });
});
