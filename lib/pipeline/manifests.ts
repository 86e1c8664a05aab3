// The paper's pipeline as a FlinkDeployment: the TopSpeeds job (fixtures/jobs) writing into Cassandra.
// Credentials reach the job only as environment from a Secret (secretKeyRef), never in arguments.
import type { StreamcertConfig } from '../config/schema.ts';
import { flinkDeployment } from '../flink/manifests.ts';
import type { K8sObject } from '../k8s/objects.ts';

/** How often the JobManager refreshes the TaskManagers' metrics for REST (Flink's default is 10 s). */
export const metricRefreshMs = 2000;

/** The Secret in the Flink namespace that holds the Cassandra login the job uses. */
export const credentialsSecret = 'cassandra-credentials';

export interface PipelineOptions {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  config: StreamcertConfig;
  /** host or host:port of CQL as seen from the Flink pods. */
  cassandraEndpoint: string;
  /** Kubernetes HA and checkpoints on this ReadWriteMany claim (09's JobManager kill needs them). */
  haClaim?: string;
  /** Event time of the generator's tick 0; given, not left to the JobManager's clock, so the rows are known (08's set check). */
  startTimeMs?: number | string;
}

export function pipelineArgs(config: StreamcertConfig, endpoint: string, startTimeMs?: number | string): string[] {
  const [host, port = '9042'] = endpoint.split(':');
  const p = config.pipeline;
  return [
    '--host', host!,
    '--port', port,
    '--keyspace', p.keyspace,
    '--table', p.jobTable ?? p.table,
    '--cars', String(p.cars),
    '--records-per-second', String(p.recordsPerSecond),
    '--checkpoint-interval-ms', '2000',
    ...(startTimeMs === undefined ? [] : ['--start-time-ms', String(startTimeMs)]),
  ];
}

export function pipelineDeployment(o: PipelineOptions): K8sObject {
  const fromSecret = (name: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: credentialsSecret, key } } });
  return flinkDeployment({
    name: o.name,
    namespace: o.namespace,
    labels: o.labels,
    config: o.config,
    job: { jarURI: o.config.pipeline.jobJar, entryClass: o.config.pipeline.jobClass, args: pipelineArgs(o.config, o.cassandraEndpoint, o.startTimeMs), parallelism: 1 },
    env: [fromSecret('CASSANDRA_USERNAME', 'username'), fromSecret('CASSANDRA_PASSWORD', 'password')],
    ...(o.haClaim ? { dataClaim: o.haClaim, ha: true } : {}),
    checkpointIntervalMs: 2000,
    flinkConfiguration: {
      'metrics.fetcher.update-interval': String(metricRefreshMs),
      // Restart at once after a fault, every time: Flink 1.20's default with checkpointing is an
      // exponential back-off, which would make 09's recovery times measure the back-off instead.
      'restart-strategy.type': 'fixed-delay',
      'restart-strategy.fixed-delay.attempts': '2147483647',
      'restart-strategy.fixed-delay.delay': '1 s',
    },
  });
}

/** A copy of the Cassandra superuser login in the Flink namespace (Cassandra may run on another cluster). */
export function credentialsSecretObject(namespace: string, labels: Record<string, string>, username: string, password: string): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: credentialsSecret, namespace, labels },
    type: 'Opaque',
    stringData: { username, password },
  } as K8sObject;
}
