// Before any suite runs: are the clusters reachable, are the platform pieces the selected suites need
// installed, and what is this environment (the fingerprint every report carries). Problems here end
// the run with exit 3 and one line each, before anything is created.
import type { V1Deployment } from '@kubernetes/client-node';
import type { StreamcertConfig } from '../config/schema.ts';
import { toMillis } from '../config/schema.ts';
import { EnvironmentError } from '../errors.ts';
import { connect, type Cluster, type ClusterAccess } from '../k8s/cluster.ts';
import { read } from '../k8s/objects.ts';
import { kinds } from '../k8s/resources.ts';
import type { EnvironmentFingerprint } from '../results/model.ts';
import type { Requirement, SuiteInfo } from '../suite/catalog.ts';

export interface Targets {
  flink: ClusterAccess;
  cassandra: ClusterAccess;
}

export interface Preflight {
  flink: Cluster;
  cassandra: Cluster;
  environment: EnvironmentFingerprint;
}

const requiredCrds: Record<Requirement, string[]> = {
  'flink-operator': ['flinkdeployments.flink.apache.org', 'flinksessionjobs.flink.apache.org'],
  k8ssandra: ['k8ssandraclusters.k8ssandra.io'],
};

async function crdServed(cluster: Cluster, name: string): Promise<boolean> {
  return (await read(cluster, kinds.CustomResourceDefinition, name)) !== undefined;
}

/** The operator Deployment in its namespace, found by the chart's labels or the usual name. */
export async function findOperatorDeployment(cluster: Cluster, namespace: string): Promise<V1Deployment | undefined> {
  const res = await cluster.apps.listNamespacedDeployment({ namespace }).catch(() => undefined);
  return res?.items.find(
    (d) =>
      d.metadata?.labels?.['app.kubernetes.io/name'] === 'flink-kubernetes-operator' ||
      d.metadata?.name === 'flink-kubernetes-operator',
  );
}

function imageTag(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const last = image.split('/').pop() ?? image;
  return last.includes(':') ? last.split(':').pop() : undefined;
}

export async function preflight(config: StreamcertConfig, targets: Targets, suites: SuiteInfo[]): Promise<Preflight> {
  const timeout = toMillis(config.timeouts.clusterReachable);
  const flink = await connect(targets.flink, 'flink cluster', timeout);
  const sameCluster =
    (targets.cassandra.kubeconfig ?? targets.flink.kubeconfig) === targets.flink.kubeconfig &&
    (targets.cassandra.context ?? targets.flink.context) === targets.flink.context;
  const cassandra =
    sameCluster || !suites.some((s) => s.clusters.includes('cassandra'))
      ? flink
      : await connect(targets.cassandra, 'cassandra cluster', timeout);

  const problems: string[] = [];
  const needed = new Set(suites.flatMap((s) => s.requires));
  for (const req of needed) {
    const cluster = req === 'k8ssandra' ? cassandra.cluster : flink.cluster;
    for (const crd of requiredCrds[req]) {
      if (!(await crdServed(cluster, crd))) {
        problems.push(`${cluster.label}: CRD ${crd} is not installed (needed by ${req} suites) at ${cluster.server}`);
      }
    }
  }
  const operator = await findOperatorDeployment(flink.cluster, config.namespaces.operator);
  if (needed.has('flink-operator') && !operator) {
    problems.push(
      `flink cluster: no Flink Kubernetes Operator Deployment in namespace ${config.namespaces.operator} (set namespaces.operator)`,
    );
  }
  if (problems.length > 0) throw new EnvironmentError(problems.join('\n'));

  const nodes = await flink.cluster.core.listNode().catch(() => undefined);
  const operatorImage = operator?.spec?.template.spec?.containers[0]?.image;
  const environment: EnvironmentFingerprint = {
    capturedAt: new Date().toISOString(),
    target: config.target,
    kubernetesVersion: flink.version.gitVersion,
    nodeCount: nodes?.items.length,
    operatorVersion: operator?.metadata?.labels?.['app.kubernetes.io/version'] ?? imageTag(operatorImage),
    flinkVersion: imageTag(config.flink.image) ?? config.flink.flinkVersion,
    // Only when a Cassandra suite runs: a version nobody looked at is not part of the environment.
    cassandraVersion: suites.some((s) => s.clusters.includes('cassandra')) ? config.cassandra.serverVersion : undefined,
    details: {
      flinkContext: flink.cluster.contextName,
      flinkServer: flink.cluster.server,
      platform: flink.version.platform,
      ...(operatorImage ? { operatorImage } : {}),
      ...(cassandra !== flink ? { cassandraContext: cassandra.cluster.contextName } : {}),
    },
  };
  return { flink: flink.cluster, cassandra: cassandra.cluster, environment };
}
