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
import { compatibilityProblems, operatorIdentity } from '../flink/operator-compat.ts';
import type { K8sObject } from '../k8s/objects.ts';
import { activeFaults, faultActive } from '../suite/selftest-faults.ts';
import { loadSuiteManifests } from '../suite/load-manifests.ts';
import { manifestsFor } from '../suite/manifests.ts';
import { ownershipProblems, runOwnsNamespace, type PlannedCreation } from './ownership.ts';
import { runLabels } from './context.ts';

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

/**
 * What the selected suites would create, as their plans list it: every suite's own objects, and the
 * shared K8ssandraCluster when any Cassandra suite runs (07, 08 and 09 each ensure it).
 */
export async function plannedObjects(config: StreamcertConfig, runId: string, suites: SuiteInfo[]): Promise<{ suite: string; object: K8sObject }[]> {
  await loadSuiteManifests();
  const planned: { suite: string; object: K8sObject }[] = [];
  for (const suite of suites) {
    const namespace = config.namespaces.suites ?? `sc-${runId}-${suite.id.slice(0, 2)}`;
    const objects = suite.id === '07-k8ssandra' ? [] : manifestsFor(suite.id, config, namespace, runLabels(runId, suite.id));
    for (const object of objects) planned.push({ suite: suite.id, object });
  }
  if (suites.some((s) => s.requires.includes('k8ssandra'))) {
    for (const object of manifestsFor('07-k8ssandra', config, '', runLabels(runId, '07-k8ssandra'))) planned.push({ suite: 'shared by 07, 08, 09', object });
  }
  return planned;
}

/** Planned creations outside the run's own namespaces; an existing K8ssandraCluster is adopted, not created. */
async function creationsOutsideRun(cassandra: Cluster, runId: string, planned: { suite: string; object: K8sObject }[]): Promise<PlannedCreation[]> {
  const out: PlannedCreation[] = [];
  for (const { suite, object } of planned) {
    const ns = object.metadata.namespace;
    if (!ns || runOwnsNamespace(ns, runId)) continue;
    if (object.kind === 'K8ssandraCluster' && (await read(cassandra, kinds.K8ssandraCluster, object.metadata.name, ns))) continue;
    out.push({ what: `${object.kind} ${object.metadata.name}`, namespace: ns, by: suite });
  }
  return out;
}

export async function preflight(config: StreamcertConfig, targets: Targets, suites: SuiteInfo[], runId: string): Promise<Preflight> {
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

  // Nothing is applied yet: refuse what the operator cannot parse and what lands outside the run's namespaces.
  const planned = await plannedObjects(config, runId, suites);
  if (operator && !faultActive('operator-compat-unchecked', config.target)) {
    const identity = operatorIdentity(operator);
    const where = `${config.namespaces.operator}/${operator.metadata?.name}`;
    for (const p of compatibilityProblems(identity, planned.map((x) => x.object), { explicitFlinkVersion: config.flink.flinkVersion !== undefined })) {
      problems.push(`flink cluster: ${p} [operator Deployment ${where}${identity.source ? `, version from its ${identity.source}` : ''}]`);
    }
  }
  problems.push(...ownershipProblems(config, runId, await creationsOutsideRun(cassandra.cluster, runId, planned)));
  if (problems.length > 0) throw new EnvironmentError(`${problems.join('\n')}\nnothing was applied`);

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
      // A run with a negative control's fault injected must say so wherever its results go.
      ...(config.target === 'lab' && activeFaults().length ? { selftestFaults: activeFaults().join(',') } : {}),
      // Lab settings that differ from a production install (lib/lab/settings.ts): a figure read later says where it came from.
      ...(config.target === 'lab' ? { labSettings: (await import('../lab/index.ts')).labSettings.join('; ') } : {}),
    },
  };
  return { flink: flink.cluster, cassandra: cassandra.cluster, environment };
}
