// The kinds the suites touch, with the plural names their API paths need. Kept as a table rather
// than discovered, so a missing CRD shows up as a clear "not served" error instead of a lookup failure.

export interface ResourceKind {
  apiVersion: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

function kind(apiVersion: string, kindName: string, plural: string, namespaced = true): ResourceKind {
  return { apiVersion, kind: kindName, plural, namespaced };
}

export const kinds = {
  Namespace: kind('v1', 'Namespace', 'namespaces', false),
  Node: kind('v1', 'Node', 'nodes', false),
  Pod: kind('v1', 'Pod', 'pods'),
  Service: kind('v1', 'Service', 'services'),
  ConfigMap: kind('v1', 'ConfigMap', 'configmaps'),
  Secret: kind('v1', 'Secret', 'secrets'),
  ServiceAccount: kind('v1', 'ServiceAccount', 'serviceaccounts'),
  PersistentVolumeClaim: kind('v1', 'PersistentVolumeClaim', 'persistentvolumeclaims'),
  PersistentVolume: kind('v1', 'PersistentVolume', 'persistentvolumes', false),
  Event: kind('v1', 'Event', 'events'),
  Deployment: kind('apps/v1', 'Deployment', 'deployments'),
  StatefulSet: kind('apps/v1', 'StatefulSet', 'statefulsets'),
  ReplicaSet: kind('apps/v1', 'ReplicaSet', 'replicasets'),
  Role: kind('rbac.authorization.k8s.io/v1', 'Role', 'roles'),
  RoleBinding: kind('rbac.authorization.k8s.io/v1', 'RoleBinding', 'rolebindings'),
  ClusterRole: kind('rbac.authorization.k8s.io/v1', 'ClusterRole', 'clusterroles', false),
  ClusterRoleBinding: kind('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'clusterrolebindings', false),
  HorizontalPodAutoscaler: kind('autoscaling/v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers'),
  StorageClass: kind('storage.k8s.io/v1', 'StorageClass', 'storageclasses', false),
  APIService: kind('apiregistration.k8s.io/v1', 'APIService', 'apiservices', false),
  ValidatingWebhookConfiguration: kind('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', false),
  CustomResourceDefinition: kind(
    'apiextensions.k8s.io/v1',
    'CustomResourceDefinition',
    'customresourcedefinitions',
    false,
  ),
  FlinkDeployment: kind('flink.apache.org/v1beta1', 'FlinkDeployment', 'flinkdeployments'),
  FlinkSessionJob: kind('flink.apache.org/v1beta1', 'FlinkSessionJob', 'flinksessionjobs'),
  K8ssandraCluster: kind('k8ssandra.io/v1alpha1', 'K8ssandraCluster', 'k8ssandraclusters'),
  CassandraDatacenter: kind('cassandra.datastax.com/v1beta1', 'CassandraDatacenter', 'cassandradatacenters'),
} satisfies Record<string, ResourceKind>;

export type KindName = keyof typeof kinds;

export function kindOf(apiVersion: string, kindName: string): ResourceKind | undefined {
  return Object.values(kinds).find((k) => k.apiVersion === apiVersion && k.kind === kindName);
}

/** The collection path, e.g. `/apis/apps/v1/namespaces/ns/deployments`. */
export function collectionPath(k: ResourceKind, namespace?: string): string {
  const group = k.apiVersion.includes('/') ? `/apis/${k.apiVersion}` : `/api/${k.apiVersion}`;
  return k.namespaced && namespace ? `${group}/namespaces/${namespace}/${k.plural}` : `${group}/${k.plural}`;
}

/** A short human name for messages: `FlinkDeployment ns/name`. */
export function describeRef(k: ResourceKind, name: string, namespace?: string): string {
  return `${k.kind} ${k.namespaced && namespace ? `${namespace}/` : ''}${name}`;
}
