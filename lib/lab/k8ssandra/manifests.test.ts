// The emulated k8ssandra-operator's CassandraDatacenter config: written as cass-operator's CRD types
// it (json.RawMessage, a base64 string; the API server refused the object form with "expected string"),
// and read back by the emulated cass-operator into the StatefulSet's environment.
import { describe, expect, it } from 'vitest';
import { authEnabled, datacenterConfigOf, datacenterFor, statefulSetFor } from './manifests.ts';
import type { K8ssandraCluster } from './types.ts';

const cluster = (spec: Partial<K8ssandraCluster['spec']>, heapSize?: string): K8ssandraCluster => ({
  apiVersion: 'k8ssandra.io/v1alpha1',
  kind: 'K8ssandraCluster',
  metadata: { name: 'demo', namespace: 'ns', uid: 'u1' },
  spec: {
    ...spec,
    cassandra: {
      serverVersion: '5.0.9',
      storageConfig: { cassandraDataVolumeClaimSpec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
      ...(heapSize ? { config: { jvmOptions: { heapSize } } } : {}),
      datacenters: [{ metadata: { name: 'dc1' }, size: 1 }],
    },
  },
});

function datacenter(kc: K8ssandraCluster) {
  return datacenterFor(kc, kc.spec.cassandra!.datacenters![0]!, 'cassandra:5.0.9');
}

describe('CassandraDatacenter spec.config', () => {
  it('is absent when nothing is configured, and authentication stays on', () => {
    const dc = datacenter(cluster({}));
    expect(dc.spec.config).toBeUndefined();
    expect(datacenterConfigOf(dc)).toEqual({});
    expect(authEnabled(dc)).toBe(true);
  });

  it('carries spec.auth: false as base64 JSON, and the StatefulSet starts Cassandra with AllowAllAuthenticator', () => {
    const dc = datacenter(cluster({ auth: false }, '512Mi'));
    expect(typeof dc.spec.config).toBe('string');
    expect(datacenterConfigOf(dc)).toEqual({
      'jvm-server-options': { initial_heap_size: 536870912, max_heap_size: 536870912 },
      'cassandra-yaml': { authenticator: 'AllowAllAuthenticator', authorizer: 'AllowAllAuthorizer' },
    });
    expect(authEnabled(dc)).toBe(false);
    const env = statefulSetFor(dc, { replicas: 1, seeds: 1, image: 'cassandra:5.0.9' }).spec!.template.spec!.containers[0]!.env!;
    expect(env).toEqual(expect.arrayContaining([{ name: 'CASSANDRA_AUTHENTICATOR', value: 'AllowAllAuthenticator' }, { name: 'MAX_HEAP_SIZE', value: expect.any(String) }]));
  });
});
