// The Flink objects suites create, built from the configuration so that the same suite runs on the
// lab and on a user's cluster (image, flinkVersion, resources, storage class come from config).
import type { StreamcertConfig } from '../config/schema.ts';
import type { V1EnvVar } from '@kubernetes/client-node';
import type { K8sObject } from '../k8s/objects.ts';

export interface JobSpec {
  jarURI: string;
  entryClass?: string;
  args?: string[];
  parallelism?: number;
  upgradeMode?: 'stateless' | 'savepoint' | 'last-state';
}

export interface FlinkDeploymentOptions {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  config: StreamcertConfig;
  mode?: 'native' | 'standalone';
  /** No job: a session cluster. */
  job?: JobSpec;
  /** A PVC (ReadWriteMany) mounted at /flink-data in every Flink pod. */
  dataClaim?: string;
  /** Kubernetes HA, with HA metadata and checkpoints on the data claim. */
  ha?: boolean;
  checkpointIntervalMs?: number;
  taskManagerReplicas?: number;
  /** Extra Flink configuration, e.g. `scheduler-mode: reactive`. */
  flinkConfiguration?: Record<string, string>;
  /** Environment of the Flink containers, e.g. credentials from a Secret (secretKeyRef), never literal secrets. */
  env?: V1EnvVar[];
  /** Annotations of every Flink pod, e.g. `prometheus.io/scrape` for an annotation-driven Prometheus. */
  podAnnotations?: Record<string, string>;
}

export const flinkDataPath = '/flink-data';

/** The lab's operator (1.7.0, the newest release Maven Central serves) accepts flinkVersion up to v1_18. */
export function flinkVersionOf(config: StreamcertConfig): string {
  return config.flink.flinkVersion ?? (config.target === 'lab' ? 'v1_18' : 'v1_20');
}

/** The service account Flink's JobManager uses to create TaskManager pods and HA ConfigMaps (as the operator's Helm chart sets up per namespace). */
export function flinkServiceAccount(config: StreamcertConfig, namespace: string, labels: Record<string, string>): K8sObject[] {
  const name = config.flink.serviceAccount;
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace, labels } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name, namespace, labels },
      rules: [
        { apiGroups: [''], resources: ['pods', 'configmaps'], verbs: ['*'] },
        { apiGroups: ['apps'], resources: ['deployments', 'deployments/finalizers'], verbs: ['*'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name, namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    },
  ];
}

export function rwxClaim(
  name: string,
  namespace: string,
  labels: Record<string, string>,
  storageClass: string,
  size = '1Gi',
): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace, labels },
    spec: { accessModes: ['ReadWriteMany'], storageClassName: storageClass, resources: { requests: { storage: size } } },
  };
}

export function flinkDeployment(o: FlinkDeploymentOptions): K8sObject {
  const { config } = o;
  const flinkConfiguration: Record<string, string> = {
    'taskmanager.numberOfTaskSlots': String(config.flink.taskManager.slots),
    // Small CPU requests (so several clusters fit a small node) but a limit of a whole core, since a
    // JVM throttled to its request starts very slowly.
    'kubernetes.jobmanager.cpu.limit-factor': String(Math.max(1, 1 / config.flink.jobManager.cpu)),
    'kubernetes.taskmanager.cpu.limit-factor': String(Math.max(1, 1 / config.flink.taskManager.cpu)),
    ...(o.checkpointIntervalMs ? { 'execution.checkpointing.interval': `${o.checkpointIntervalMs}ms` } : {}),
    ...(o.ha && o.dataClaim
      ? {
          'high-availability.type': 'kubernetes',
          'high-availability.storageDir': `file://${flinkDataPath}/ha`,
          'state.checkpoints.dir': `file://${flinkDataPath}/checkpoints`,
          'state.savepoints.dir': `file://${flinkDataPath}/savepoints`,
        }
      : {}),
    ...o.flinkConfiguration,
  };
  // The user's (or a negative control's) configuration has the last word; null removes a key.
  for (const [key, value] of Object.entries(config.flink.configuration)) {
    if (value === null) delete flinkConfiguration[key];
    else flinkConfiguration[key] = value;
  }
  const mainContainer = {
    name: 'flink-main-container',
    ...(o.dataClaim ? { volumeMounts: [{ name: 'flink-data', mountPath: flinkDataPath }] } : {}),
    ...(o.env?.length ? { env: o.env } : {}),
  };
  const podTemplate = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { labels: o.labels, ...(o.podAnnotations ? { annotations: o.podAnnotations } : {}) },
    ...(o.dataClaim || o.env?.length
      ? {
          spec: {
            containers: [mainContainer],
            ...(o.dataClaim ? { volumes: [{ name: 'flink-data', persistentVolumeClaim: { claimName: o.dataClaim } }] } : {}),
          },
        }
      : {}),
  };
  return {
    apiVersion: 'flink.apache.org/v1beta1',
    kind: 'FlinkDeployment',
    metadata: { name: o.name, namespace: o.namespace, labels: o.labels },
    spec: {
      image: config.flink.image,
      flinkVersion: flinkVersionOf(config),
      serviceAccount: config.flink.serviceAccount,
      ...(o.mode === 'standalone' ? { mode: 'standalone' } : {}),
      flinkConfiguration,
      podTemplate,
      jobManager: { replicas: 1, resource: { memory: config.flink.jobManager.memory, cpu: config.flink.jobManager.cpu } },
      taskManager: {
        ...(o.taskManagerReplicas !== undefined ? { replicas: o.taskManagerReplicas } : {}),
        resource: { memory: config.flink.taskManager.memory, cpu: config.flink.taskManager.cpu },
      },
      ...(o.job
        ? {
            job: {
              jarURI: o.job.jarURI,
              ...(o.job.entryClass ? { entryClass: o.job.entryClass } : {}),
              ...(o.job.args ? { args: o.job.args } : {}),
              parallelism: o.job.parallelism ?? 1,
              upgradeMode: o.job.upgradeMode ?? 'stateless',
              state: 'running',
            },
          }
        : {}),
    },
  };
}

export function flinkSessionJob(
  name: string,
  namespace: string,
  labels: Record<string, string>,
  deploymentName: string,
  job: JobSpec,
): K8sObject {
  return {
    apiVersion: 'flink.apache.org/v1beta1',
    kind: 'FlinkSessionJob',
    metadata: { name, namespace, labels },
    spec: {
      deploymentName,
      job: {
        jarURI: job.jarURI,
        ...(job.entryClass ? { entryClass: job.entryClass } : {}),
        ...(job.args ? { args: job.args } : {}),
        parallelism: job.parallelism ?? 1,
        upgradeMode: job.upgradeMode ?? 'stateless',
        state: 'running',
      },
    },
  };
}
