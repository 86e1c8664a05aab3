// The names k8ssandra-operator and cass-operator give what they create, as the lab's emulated
// operators give them, derived as upstream's Go code derives them (cass-operator apis/cassandra/v1beta1:
// CleanupForKubernetes, CleanLabelValue, CleanupSubdomain, Get*ServiceName; k8ssandra-operator:
// SanitizedName, DefaultSuperuserSecretName). Deliberately the lab's own copy, not lib/cassandra/names.ts:
// the suites find objects by those names, and an emulation sharing the checker's code could never
// disagree with it. (It goes with the emulated operators when the lab runs the real ones.)
const dns1035Label = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const dns1035Part = /[a-z]([-a-z0-9]*[a-z0-9])?/g;
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dns1123SubdomainPart = /[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/g;
const dns1123LabelPart = /(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?/g;

/** cass-operator's CleanupForKubernetes: a valid DNS-1035 label stays; else lower-case, `_`→`-`, invalid parts dropped. */
export function cleanupForKubernetes(input: string): string {
  if (input.length <= 63 && dns1035Label.test(input)) return input;
  return (input.toLowerCase().replaceAll('_', '-').match(dns1035Part) ?? []).join('');
}

/** cass-operator's CleanupSubdomain (rack names in StatefulSet names). */
export function cleanupSubdomain(input: string): string {
  if (input.length <= 253 && dns1123Subdomain.test(input)) return input;
  return (input.toLowerCase().replaceAll('_', '-').match(dns1123SubdomainPart) ?? []).join('');
}

/** cass-operator's CleanLabelValue: spaces removed, only label-valid runs kept. */
export function cleanLabelValue(value: string): string {
  return (value.replaceAll(' ', '').match(dns1123LabelPart) ?? []).join('');
}

export const labels = {
  cluster: 'cassandra.datastax.com/cluster',
  datacenter: 'cassandra.datastax.com/datacenter',
  rack: 'cassandra.datastax.com/rack',
  seedNode: 'cassandra.datastax.com/seed-node',
  nodeState: 'cassandra.datastax.com/node-state',
  promMetrics: 'cassandra.datastax.com/prom-metrics',
  managedBy: 'app.kubernetes.io/managed-by',
  name: 'app.kubernetes.io/name',
  instance: 'app.kubernetes.io/instance',
  version: 'app.kubernetes.io/version',
  createdBy: 'app.kubernetes.io/created-by',
  partOf: 'app.kubernetes.io/part-of',
  component: 'app.kubernetes.io/component',
  k8ssandraCluster: 'k8ssandra.io/cluster-name',
  k8ssandraClusterNamespace: 'k8ssandra.io/cluster-namespace',
  cleanedUpBy: 'k8ssandra.io/cleaned-up-by',
  replicatedBy: 'k8ssandra.io/replicated-by',
} as const;

/** What the K8ssandraCluster controller names, from the cluster's name and (optional) spec.cassandra.clusterName. */
export function clusterNames(kcName: string, cassClusterName?: string) {
  const cassandraClusterName = cassClusterName || kcName;
  const sanitized = cleanupForKubernetes(cassandraClusterName);
  return {
    /** cluster_name in cassandra.yaml and CassandraDatacenter spec.clusterName (not sanitized). */
    cassandraClusterName,
    sanitized,
    superuserSecret: `${sanitized}-superuser`,
    /** Stargate's Service for a datacenter: `<cluster>-<dc>-stargate-service` (k8ssandra-operator's dcPrefix). */
    stargateService: (dcName: string) => `${sanitized}-${cleanupForKubernetes(dcName)}-stargate-service`,
  };
}

/** What cass-operator names for a CassandraDatacenter (metadata.name `dcName`, spec.clusterName `clusterName`). */
export function datacenterNames(clusterName: string, dcName: string, rack = 'default') {
  const c = cleanupForKubernetes(clusterName);
  const dc = cleanupForKubernetes(dcName);
  const statefulSet = `${c}-${dc}-${cleanupSubdomain(rack)}-sts`;
  const allPodsService = `${c}-${dc}-all-pods-service`;
  return {
    service: `${c}-${dc}-service`,
    seedService: `${c}-seed-service`,
    allPodsService,
    additionalSeedService: `${c}-${dc}-additional-seed-service`,
    statefulSet,
    superuserSecret: `${c}-superuser`,
    /** Pod `i` of the StatefulSet, by the stable name the headless all-pods Service gives it. */
    podDNS: (i: number, namespace: string) => `${statefulSet}-${i}.${allPodsService}.${namespace}.svc.cluster.local`,
    podName: (i: number) => `${statefulSet}-${i}`,
    /** Labels cass-operator selects a datacenter's pods by. */
    dcLabels: { [labels.cluster]: cleanLabelValue(clusterName), [labels.datacenter]: cleanLabelValue(dcName) },
    rackLabels: {
      [labels.cluster]: cleanLabelValue(clusterName),
      [labels.datacenter]: cleanLabelValue(dcName),
      [labels.rack]: cleanLabelValue(rack),
    },
    operatorLabels: (serverVersion: string) => ({
      [labels.managedBy]: 'cass-operator',
      [labels.name]: 'cassandra',
      [labels.version]: serverVersion,
      [labels.instance]: `cassandra-${cleanLabelValue(clusterName)}`,
      [labels.createdBy]: 'cass-operator',
    }),
  };
}

