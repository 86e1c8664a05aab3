// Every API permission the suites use, in one list: 01-platform checks each with a
// SelfSubjectAccessReview, and fixtures/rbac/streamcert-clusterrole.yaml is this list as a ClusterRole
// (a unit test keeps the two in step).

export interface Permission {
  group: string;
  resource: string;
  verbs: string[];
  /** Why the suites need it, for the message when it is missing. */
  why: string;
}

export const requiredPermissions: Permission[] = [
  { group: '', resource: 'namespaces', verbs: ['get', 'list', 'watch', 'create', 'patch', 'delete'], why: 'a namespace per suite' },
  { group: '', resource: 'nodes', verbs: ['get', 'list'], why: 'node readiness and the environment fingerprint' },
  { group: '', resource: 'pods', verbs: ['get', 'list', 'watch', 'create', 'patch', 'delete'], why: "waits, JobManager/TaskManager kills, and 03's job-jar server" },
  { group: '', resource: 'pods/log', verbs: ['get'], why: 'evidence and operator log checks' },
  { group: '', resource: 'pods/portforward', verbs: ['create'], why: 'reaching Flink REST and Cassandra CQL' },
  { group: '', resource: 'pods/exec', verbs: ['create'], why: 'container kills by exec' },
  { group: '', resource: 'services', verbs: ['get', 'list', 'create', 'patch', 'delete'], why: 'REST and CQL services' },
  { group: '', resource: 'configmaps', verbs: ['get', 'list', 'watch', 'create', 'patch', 'delete'], why: 'HA metadata checks and inputs' },
  { group: '', resource: 'secrets', verbs: ['get', 'list', 'create', 'patch', 'delete'], why: 'the Cassandra superuser secret, and its copy in the Flink namespace for the pipeline job' },
  { group: '', resource: 'serviceaccounts', verbs: ['get', 'list', 'create', 'patch', 'delete'], why: 'the Flink service account per suite' },
  { group: '', resource: 'persistentvolumeclaims', verbs: ['get', 'list', 'create', 'patch', 'delete'], why: 'HA and checkpoint storage' },
  { group: '', resource: 'events', verbs: ['list'], why: 'evidence' },
  { group: 'apps', resource: 'deployments', verbs: ['get', 'list', 'watch', 'patch'], why: 'operator health and TaskManager scaling' },
  { group: 'apps', resource: 'deployments/scale', verbs: ['get', 'patch'], why: 'kubectl-style scaling' },
  { group: 'apps', resource: 'statefulsets', verbs: ['get', 'list', 'watch'], why: 'Cassandra pods' },
  { group: 'rbac.authorization.k8s.io', resource: 'roles', verbs: ['get', 'list', 'create', 'patch', 'delete'], why: 'the Flink service account role' },
  { group: 'rbac.authorization.k8s.io', resource: 'rolebindings', verbs: ['get', 'list', 'create', 'patch', 'delete'], why: 'the Flink service account role' },
  { group: 'autoscaling', resource: 'horizontalpodautoscalers', verbs: ['get', 'list', 'watch', 'create', 'patch', 'delete'], why: 'the HPA suite' },
  { group: 'storage.k8s.io', resource: 'storageclasses', verbs: ['get', 'list'], why: 'RWX storage check' },
  { group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions', verbs: ['get', 'list'], why: 'CRD checks' },
  { group: 'apiregistration.k8s.io', resource: 'apiservices', verbs: ['get'], why: 'metrics API check' },
  { group: 'admissionregistration.k8s.io', resource: 'validatingwebhookconfigurations', verbs: ['list'], why: 'operator webhook check' },
  { group: 'discovery.k8s.io', resource: 'endpointslices', verbs: ['list'], why: "operator webhook check (its Service's ready endpoints)" },
  { group: 'flink.apache.org', resource: 'flinkdeployments', verbs: ['get', 'list', 'watch', 'create', 'patch', 'delete'], why: 'Flink clusters' },
  { group: 'flink.apache.org', resource: 'flinksessionjobs', verbs: ['get', 'list', 'watch', 'create', 'patch', 'delete'], why: 'session jobs' },
  { group: 'k8ssandra.io', resource: 'k8ssandraclusters', verbs: ['get', 'list', 'watch', 'create', 'patch', 'delete'], why: 'Cassandra clusters' },
  { group: 'cassandra.datastax.com', resource: 'cassandradatacenters', verbs: ['get', 'list', 'watch'], why: 'datacenter readiness' },
];

/** The list as a ClusterRole, for users to bind to the identity a run uses. */
export function clusterRole(name = 'streamcert'): Record<string, unknown> {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name },
    rules: requiredPermissions.map((p) => ({ apiGroups: [p.group], resources: [p.resource], verbs: p.verbs })),
  };
}
