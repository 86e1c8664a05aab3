// The parts of the upstream types the lab's emulated operators read and write (k8ssandra-operator
// apis/k8ssandra/v1alpha1, cass-operator apis/cassandra/v1beta1). Field names are upstream's.
import type { V1ResourceRequirements, V1PersistentVolumeClaimSpec, V1OwnerReference } from '@kubernetes/client-node';

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  generation?: number;
  resourceVersion?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: V1OwnerReference[];
}

export interface StorageConfig {
  cassandraDataVolumeClaimSpec?: V1PersistentVolumeClaimSpec;
}

export interface CassandraConfig {
  cassandraYaml?: Record<string, unknown>;
  jvmOptions?: Record<string, string | number | undefined>;
}

/** DatacenterOptions: set for the whole cluster under spec.cassandra, overridden per datacenter. */
export interface DatacenterOptions {
  serverVersion?: string;
  serverImage?: string;
  config?: CassandraConfig;
  storageConfig?: StorageConfig;
  resources?: V1ResourceRequirements;
  racks?: { name: string }[];
  datacenterName?: string;
}

export interface DatacenterTemplate extends DatacenterOptions {
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  size: number;
  stopped?: boolean;
  stargate?: Record<string, unknown>;
}

export interface K8ssandraCluster {
  apiVersion: 'k8ssandra.io/v1alpha1';
  kind: 'K8ssandraCluster';
  metadata: ObjectMeta;
  spec: {
    auth?: boolean;
    cassandra?: DatacenterOptions & {
      clusterName?: string;
      superuserSecretRef?: { name?: string };
      datacenters?: DatacenterTemplate[];
    };
    stargate?: Record<string, unknown>;
  };
  status?: K8ssandraClusterStatus;
}

export interface K8ssandraClusterStatus {
  conditions?: { type: string; status: string; lastTransitionTime?: string }[];
  datacenters?: Record<string, { cassandra?: CassandraDatacenterStatus }>;
  error?: string;
  observedGeneration?: number;
}

export interface DatacenterCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime?: string;
}

export interface CassandraDatacenterStatus {
  conditions?: DatacenterCondition[];
  cassandraOperatorProgress?: 'Updating' | 'Ready';
  superUserUpserted?: string;
  usersUpserted?: string;
  lastServerNodeStarted?: string;
  nodeStatuses?: Record<string, { hostID?: string; ip?: string; rack?: string }>;
  observedGeneration?: number;
  quietPeriod?: string;
}

export interface CassandraDatacenter {
  apiVersion: 'cassandra.datastax.com/v1beta1';
  kind: 'CassandraDatacenter';
  metadata: ObjectMeta;
  spec: {
    clusterName: string;
    serverType: string;
    serverVersion: string;
    serverImage?: string;
    size: number;
    stopped?: boolean;
    storageConfig: StorageConfig;
    superuserSecretName?: string;
    resources?: V1ResourceRequirements;
    /** cass-operator's json.RawMessage: JSON, base64 in the object (the CRD types it as string/byte). */
    config?: string;
    racks?: { name: string }[];
    datacenterName?: string;
  };
  status?: CassandraDatacenterStatus;
}

export const gvk = {
  k8ssandraCluster: { group: 'k8ssandra.io', version: 'v1alpha1', plural: 'k8ssandraclusters' },
  cassandraDatacenter: { group: 'cassandra.datastax.com', version: 'v1beta1', plural: 'cassandradatacenters' },
} as const;
