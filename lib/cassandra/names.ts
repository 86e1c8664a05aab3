// The names K8ssandra gives what it creates, derived the way k8ssandra-operator and cass-operator derive
// them, so a suite finds the same objects on the lab and on a user's cluster.

/** k8ssandra-operator's CleanupForKubernetes: lower case, anything but [a-z0-9-] becomes '-'. */
export function sanitizedName(clusterName: string): string {
  return clusterName
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/^-+|-+$/g, '');
}

export interface CassandraNames {
  cluster: string;
  datacenter: string;
  /** Secret with `username` and `password`, created by the operator with a random password. */
  superuserSecret: string;
  /** ClusterIP Service with CQL on 9042. */
  service: string;
  statefulSet: string;
  /** Label selector of the datacenter's Cassandra pods. */
  podSelector: string;
  /** Service name the optional Stargate deployment is reached at (deprecated upstream). */
  stargateService: string;
}

export function cassandraNames(clusterName: string, datacenter: string): CassandraNames {
  const cluster = sanitizedName(clusterName);
  return {
    cluster,
    datacenter,
    superuserSecret: `${cluster}-superuser`,
    service: `${cluster}-${datacenter}-service`,
    statefulSet: `${cluster}-${datacenter}-default-sts`,
    podSelector: `cassandra.datastax.com/cluster=${cluster},cassandra.datastax.com/datacenter=${datacenter}`,
    stargateService: `${cluster}-${datacenter}-stargate-service`,
  };
}
