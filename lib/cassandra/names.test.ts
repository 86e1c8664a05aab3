// Names as upstream derives them; the rack cases are cass-operator's own
// (pkg/reconciliation/construct_statefulset_test.go TestStatefulSetNameForRack... v1.23.0).
import { describe, expect, it } from 'vitest';
import { cassandraNames, cleanLabelValue, cleanupForKubernetes, clusterNames, datacenterNames } from './names.ts';

describe('K8ssandra names', () => {
  it.each([
    ['r1', 'cluster1-dc1-r1-sts'],
    ['r1.r2', 'cluster1-dc1-r1.r2-sts'],
    ['Rack1', 'cluster1-dc1-rack1-sts'],
    ['invalid_pod_name*', 'cluster1-dc1-invalid-pod-name-sts'],
  ])('StatefulSet of rack %s is %s', (rack, sts) => {
    expect(datacenterNames('cluster1', 'dc1', rack).statefulSet).toBe(sts);
  });

  it('sanitizes cluster names for Kubernetes names but keeps them for labels and cassandra.yaml', () => {
    expect(cleanupForKubernetes('demo')).toBe('demo');
    expect(cleanupForKubernetes('Test_Cluster')).toBe('test-cluster');
    expect(cleanupForKubernetes('Test Cluster')).toBe('testcluster');
    expect(cleanLabelValue('Test Cluster')).toBe('TestCluster');
    const c = clusterNames('demo', 'My_Cluster');
    expect(c.cassandraClusterName).toBe('My_Cluster');
    expect(c.superuserSecret).toBe('my-cluster-superuser');
    expect(c.stargateService('dc1')).toBe('my-cluster-dc1-stargate-service');
  });

  it('names what cass-operator creates for demo/dc1', () => {
    const n = datacenterNames('demo', 'dc1');
    expect(n).toMatchObject({
      service: 'demo-dc1-service',
      seedService: 'demo-seed-service',
      allPodsService: 'demo-dc1-all-pods-service',
      additionalSeedService: 'demo-dc1-additional-seed-service',
      statefulSet: 'demo-dc1-default-sts',
      superuserSecret: 'demo-superuser',
    });
    expect(n.podDNS(0, 'ns')).toBe('demo-dc1-default-sts-0.demo-dc1-all-pods-service.ns.svc.cluster.local');
    expect(n.rackLabels).toEqual({
      'cassandra.datastax.com/cluster': 'demo',
      'cassandra.datastax.com/datacenter': 'dc1',
      'cassandra.datastax.com/rack': 'default',
    });
  });

  it('gives the suites the secret, service, StatefulSet and pod selector of a cluster and datacenter', () => {
    const n = cassandraNames('demo', 'dc1');
    expect(n.superuserSecret).toBe('demo-superuser');
    expect(n.service).toBe('demo-dc1-service');
    expect(n.statefulSet).toBe('demo-dc1-default-sts');
    expect(n.podSelector).toBe('cassandra.datastax.com/cluster=demo,cassandra.datastax.com/datacenter=dc1');
    expect(cassandraNames('Test Cluster', 'dc1').superuserSecret).toBe('testcluster-superuser');
  });
});
