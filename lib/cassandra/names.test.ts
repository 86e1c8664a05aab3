import { describe, expect, it } from 'vitest';
import { cassandraNames, sanitizedName } from './names.ts';

describe('K8ssandra names', () => {
  it('sanitizes cluster names the way the operator does', () => {
    expect(sanitizedName('Demo_Cluster.1')).toBe('demo-cluster-1');
    expect(sanitizedName('demo')).toBe('demo');
  });

  it('derives the secret, service, StatefulSet and pod selector from cluster and datacenter', () => {
    const n = cassandraNames('demo', 'dc1');
    expect(n.superuserSecret).toBe('demo-superuser');
    expect(n.service).toBe('demo-dc1-service');
    expect(n.statefulSet).toBe('demo-dc1-default-sts');
    expect(n.podSelector).toBe('cassandra.datastax.com/cluster=demo,cassandra.datastax.com/datacenter=dc1');
  });
});
