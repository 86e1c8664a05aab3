// What the emulated k8ssandra-operator and cass-operator create, as pure functions of their input
// objects: the CassandraDatacenter a K8ssandraCluster asks for (k8ssandra-operator pkg/cassandra
// NewDatacenter), and the Services and StatefulSet of a CassandraDatacenter (cass-operator
// pkg/reconciliation construct_service.go / construct_statefulset.go), with upstream's names and labels.
// Differences, all because the lab runs plain Cassandra instead of the management-API image:
// one container `cassandra` from the lab's image, the Services expose CQL only, OnDelete updates.
import type { V1OwnerReference, V1ResourceRequirements, V1Service, V1StatefulSet } from '@kubernetes/client-node';
import { clusterNames, datacenterNames, labels } from './names.ts';
import type { CassandraDatacenter, DatacenterTemplate, K8ssandraCluster } from './types.ts';

/** Annotations the lab adds (the mapping of the requested version onto the lab's one Cassandra image). */
export const labAnnotations = {
  requestedVersion: 'streamcert.io/lab-requested-server-version',
  image: 'streamcert.io/lab-server-image',
  seeds: 'streamcert.io/lab-seed-count',
} as const;

export const initialSystemReplicationAnnotation = 'k8ssandra.io/initial-system-replication';
export const cqlPort = 9042;
/** Requests small enough for a 2-CPU node shared with Flink; the limit lets start-up use a whole core. */
export const defaultResources: V1ResourceRequirements = {
  requests: { cpu: '250m', memory: '1Gi' },
  limits: { cpu: '1', memory: '2Gi' },
};

export function ownerRef(obj: { apiVersion: string; kind: string; metadata: { name: string; uid?: string } }): V1OwnerReference {
  return { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, uid: obj.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

/** A Kubernetes quantity in bytes ("512Mi", "1G", "1073741824"). */
export function quantityBytes(q: string | number): number {
  if (typeof q === 'number') return q;
  const m = /^([0-9.]+)([KMGT]i?|k)?$/.exec(q.trim());
  if (!m) throw new Error(`not a quantity: ${q}`);
  const units: Record<string, number> = { '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };
  return Math.round(Number(m[1]) * units[m[2] ?? '']!);
}

type DatacenterConfig = Record<string, Record<string, unknown>>;

/**
 * A CassandraDatacenter's spec.config as an object. cass-operator declares it json.RawMessage, which
 * its CRD types as a base64 string (type: string, format: byte): the API server refuses an object there.
 */
export function datacenterConfigOf(dc: CassandraDatacenter): DatacenterConfig {
  const raw = dc.spec.config;
  return raw ? (JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as DatacenterConfig) : {};
}

/** k8ssandra-operator's createJsonConfig, for the settings the lab honours (heap, num_tokens, authentication). */
function datacenterConfig(template: DatacenterTemplate, kc: K8ssandraCluster): DatacenterConfig | undefined {
  const cluster = kc.spec.cassandra;
  const jvm = { ...(cluster?.config?.jvmOptions ?? {}), ...(template.config?.jvmOptions ?? {}) };
  const yaml: Record<string, unknown> = { ...(cluster?.config?.cassandraYaml ?? {}), ...(template.config?.cassandraYaml ?? {}) };
  // spec.auth: false is how k8ssandra-operator turns authentication off: in cassandra.yaml.
  if (kc.spec.auth === false) Object.assign(yaml, { authenticator: 'AllowAllAuthenticator', authorizer: 'AllowAllAuthorizer' });
  const heap = jvm.heapSize;
  const initial = jvm.heap_initial_size ?? heap;
  const max = jvm.heap_max_size ?? heap;
  const out: DatacenterConfig = {};
  if (initial !== undefined || max !== undefined) {
    out['jvm-server-options'] = {
      ...(initial !== undefined ? { initial_heap_size: quantityBytes(initial) } : {}),
      ...(max !== undefined ? { max_heap_size: quantityBytes(max) } : {}),
    };
  }
  if (Object.keys(yaml).length) out['cassandra-yaml'] = yaml;
  return Object.keys(out).length ? out : undefined;
}

/** The CassandraDatacenter k8ssandra-operator creates for one datacenter template of a K8ssandraCluster. */
export function datacenterFor(kc: K8ssandraCluster, template: DatacenterTemplate, image: string): CassandraDatacenter {
  const cass = kc.spec.cassandra ?? {};
  const names = clusterNames(kc.metadata.name, cass.clusterName);
  const storageConfig = template.storageConfig ?? cass.storageConfig;
  if (!storageConfig?.cassandraDataVolumeClaimSpec) {
    throw new Error(`datacenter ${template.metadata.name}: storageConfig.cassandraDataVolumeClaimSpec is required`);
  }
  const serverVersion = template.serverVersion ?? cass.serverVersion ?? '';
  const resources = template.resources ?? cass.resources;
  const racks = template.racks ?? cass.racks;
  const datacenterName = template.datacenterName ?? cass.datacenterName;
  const config = datacenterConfig(template, kc);
  return {
    apiVersion: 'cassandra.datastax.com/v1beta1',
    kind: 'CassandraDatacenter',
    metadata: {
      name: template.metadata.name,
      namespace: template.metadata.namespace ?? kc.metadata.namespace,
      labels: {
        [labels.name]: 'k8ssandra-operator',
        [labels.partOf]: 'k8ssandra',
        [labels.component]: 'cassandra',
        [labels.cleanedUpBy]: 'k8ssandracluster-controller',
        [labels.k8ssandraCluster]: kc.metadata.name,
        [labels.k8ssandraClusterNamespace]: kc.metadata.namespace!,
        ...(template.metadata.labels ?? {}),
      },
      annotations: {
        ...(template.metadata.annotations ?? {}),
        [labAnnotations.requestedVersion]: serverVersion,
        [labAnnotations.image]: image,
      },
      ownerReferences: [ownerRef(kc)],
    },
    spec: {
      clusterName: names.cassandraClusterName,
      serverType: 'cassandra',
      serverVersion,
      size: template.size,
      ...(template.stopped ? { stopped: true } : {}),
      storageConfig,
      superuserSecretName: cass.superuserSecretRef?.name || names.superuserSecret,
      ...(resources ? { resources } : {}),
      ...(config ? { config: Buffer.from(JSON.stringify(config)).toString('base64') } : {}),
      ...(racks?.length ? { racks } : {}),
      ...(datacenterName ? { datacenterName } : {}),
    },
  };
}

/** The Cassandra DC name (cassandra-rackdc.properties, replication maps): spec.datacenterName or the object name. */
export function cassandraDcName(dc: CassandraDatacenter): string {
  return dc.spec.datacenterName || dc.metadata.name;
}

export function rackOf(dc: CassandraDatacenter): string {
  return dc.spec.racks?.[0]?.name ?? 'default';
}

export function namesOf(dc: CassandraDatacenter) {
  return datacenterNames(dc.spec.clusterName, dc.metadata.name, rackOf(dc));
}

function headless(dc: CassandraDatacenter, name: string, extra: Partial<V1Service['spec']> = {}, extraLabels: Record<string, string> = {}): V1Service {
  const n = namesOf(dc);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: dc.metadata.namespace,
      labels: { ...n.dcLabels, ...n.operatorLabels(dc.spec.serverVersion), ...extraLabels },
      ownerReferences: [ownerRef(dc)],
    },
    spec: { type: 'ClusterIP', clusterIP: 'None', selector: n.dcLabels, ports: [{ name: 'native', port: cqlPort, targetPort: cqlPort }], ...extra },
  };
}

/** cass-operator's Services: datacenter (CQL), seed, all-pods (stable pod DNS names), additional-seed. */
export function servicesFor(dc: CassandraDatacenter): V1Service[] {
  const n = namesOf(dc);
  return [
    headless(dc, n.service),
    headless(dc, n.allPodsService, { publishNotReadyAddresses: true }, { [labels.promMetrics]: 'true' }),
    headless(dc, n.seedService, { publishNotReadyAddresses: true, selector: { [labels.cluster]: n.dcLabels[labels.cluster]!, [labels.seedNode]: 'true' } }),
    headless(dc, n.additionalSeedService, { publishNotReadyAddresses: true, selector: undefined, ports: undefined }),
  ];
}

/** The Stargate Service the paper exposed: a LoadBalancer with CQL on 9042, to the datacenter's Cassandra pods. */
export function stargateServiceFor(kc: K8ssandraCluster, dc: CassandraDatacenter): V1Service {
  const n = namesOf(dc);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: clusterNames(kc.metadata.name, kc.spec.cassandra?.clusterName).stargateService(dc.metadata.name),
      namespace: dc.metadata.namespace,
      labels: {
        [labels.name]: 'k8ssandra-operator',
        [labels.partOf]: 'k8ssandra',
        [labels.component]: 'stargate',
        [labels.k8ssandraCluster]: kc.metadata.name,
        [labels.k8ssandraClusterNamespace]: kc.metadata.namespace!,
      },
      ownerReferences: [ownerRef(kc)],
    },
    spec: { type: 'LoadBalancer', selector: n.dcLabels, ports: [{ name: 'cql', port: cqlPort, targetPort: cqlPort, protocol: 'TCP' }] },
  };
}

function megabytes(bytes: unknown): string | undefined {
  return typeof bytes === 'number' && bytes > 0 ? `${Math.max(64, Math.round(bytes / 1024 ** 2))}M` : undefined;
}

/**
 * The StatefulSet of the datacenter's (first) rack. `replicas` is what the controller runs now (it
 * grows one node at a time past the seeds); `seeds` is how many of the first pods are seeds.
 */
/** Whether the datacenter runs with PasswordAuthenticator (the default) rather than AllowAllAuthenticator. */
export function authEnabled(dc: CassandraDatacenter): boolean {
  const authenticator = datacenterConfigOf(dc)['cassandra-yaml']?.['authenticator'];
  return authenticator === undefined || !String(authenticator).endsWith('AllowAllAuthenticator');
}

export function statefulSetFor(dc: CassandraDatacenter, opts: { replicas: number; seeds: number; image: string }): V1StatefulSet {
  const n = namesOf(dc);
  const ns = dc.metadata.namespace!;
  const rack = rackOf(dc);
  const opLabels = n.operatorLabels(dc.spec.serverVersion);
  const config = datacenterConfigOf(dc);
  const jvm = config['jvm-server-options'] ?? {};
  const yaml = config['cassandra-yaml'] ?? {};
  const heap = megabytes(jvm['max_heap_size']);
  const seeds = Array.from({ length: opts.seeds }, (_, i) => n.podDNS(i, ns)).join(',');
  const env = [
    { name: 'CASSANDRA_CLUSTER_NAME', value: dc.spec.clusterName },
    { name: 'CASSANDRA_DC', value: cassandraDcName(dc) },
    { name: 'CASSANDRA_RACK', value: rack },
    { name: 'CASSANDRA_SEEDS', value: seeds },
    // Nodes start one at a time, so seeds of later pods do not exist yet: the entry point waits only
    // briefly for every seed name (its own included) to resolve, then starts with those that do.
    { name: 'CASSANDRA_SEED_WAIT_SECONDS', value: '5' },
    ...(heap ? [{ name: 'MAX_HEAP_SIZE', value: heap }] : []),
    ...(yaml['num_tokens'] !== undefined ? [{ name: 'CASSANDRA_NUM_TOKENS', value: String(yaml['num_tokens']) }] : []),
    ...(yaml['authenticator'] ? [{ name: 'CASSANDRA_AUTHENTICATOR', value: String(yaml['authenticator']) }] : []),
    ...(yaml['authorizer'] ? [{ name: 'CASSANDRA_AUTHORIZER', value: String(yaml['authorizer']) }] : []),
  ];
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: {
      name: n.statefulSet,
      namespace: ns,
      labels: { ...n.rackLabels, ...opLabels },
      annotations: { [labAnnotations.seeds]: String(opts.seeds), [labAnnotations.image]: opts.image },
      ownerReferences: [ownerRef(dc)],
    },
    spec: {
      replicas: opts.replicas,
      selector: { matchLabels: n.rackLabels },
      serviceName: n.allPodsService,
      // Parallel as cass-operator: the controller itself starts nodes one at a time (replicas + 1).
      podManagementPolicy: 'Parallel',
      // A changed template (seed list after a resize) must not restart running nodes; a replaced pod gets it.
      updateStrategy: { type: 'OnDelete' },
      // cass-operator deletes a datacenter's PVCs when it is deleted and a node's after decommission.
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' },
      template: {
        metadata: { labels: { ...n.rackLabels, ...opLabels, [labels.nodeState]: 'Ready-to-Start' } },
        spec: {
          terminationGracePeriodSeconds: 120,
          enableServiceLinks: false,
          containers: [
            {
              name: 'cassandra',
              image: opts.image,
              imagePullPolicy: 'IfNotPresent',
              args: ['cassandra', '-f'],
              env,
              ports: [
                { name: 'native', containerPort: cqlPort },
                { name: 'internode', containerPort: 7000 },
              ],
              // CQL opens only once the node has joined the ring (bootstrap included).
              readinessProbe: { tcpSocket: { port: cqlPort }, periodSeconds: 3, failureThreshold: 2, successThreshold: 1 },
              resources: dc.spec.resources && Object.keys(dc.spec.resources).length ? dc.spec.resources : defaultResources,
              volumeMounts: [{ name: 'server-data', mountPath: '/var/lib/cassandra' }],
            },
          ],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'server-data', labels: { ...n.rackLabels, ...opLabels } },
          spec: dc.spec.storageConfig.cassandraDataVolumeClaimSpec!,
        },
      ],
    },
  };
}
