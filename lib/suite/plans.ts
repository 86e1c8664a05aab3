// The manifests of the suites that apply fixed objects, as functions of the configuration. The suites
// apply exactly these; `streamcert plan` prints them (and validates them by server-side dry run).
import { jarLocation, sessionModeJars } from '../flink/job-jars.ts';
import { jarServerManifests } from '../flink/jar-server.ts';
import { flinkDeployment, flinkServiceAccount, flinkSessionJob, type JobSpec } from '../flink/manifests.ts';
import { taskManagerDeployment } from '../flink/scaling.ts';
import { cpuHpa } from '../flink/hpa.ts';
import { prometheusReporter, scrapeAnnotations } from '../monitoring/flink.ts';
import { cassandraNamespace, k8ssandraCluster } from '../cassandra/k8ssandra.ts';
import { cassandraNames } from '../cassandra/names.ts';
import { credentialsSecretObject, pipelineDeployment } from '../pipeline/manifests.ts';
import { runIdLabel } from '../run/context.ts';
import { registerPlan } from './manifests.ts';

/** 02: TopSpeedWindowing (or the configured jar) in application mode. */
export const applicationModePlan = registerPlan('02-application-mode', (config, namespace, labels) => ({
  serviceAccount: flinkServiceAccount(config, namespace, labels),
  app: flinkDeployment({ name: 'app-mode', namespace, labels, config, job: { jarURI: config.flink.jobJar, parallelism: 2 } }),
}));

/**
 * 03: a session cluster, a FlinkSessionJob, and, for each of its two jars not configured as a URL or
 * file, a jar server in the suite's namespace serving it from the Flink image (lib/flink/jar-server.ts).
 */
export const sessionModePlan = registerPlan('03-session-mode', (config, namespace, labels) => {
  const jars = sessionModeJars(config, namespace);
  return {
    serviceAccount: flinkServiceAccount(config, namespace, labels),
    session: flinkDeployment({ name: 'session', namespace, labels, config }),
    jarServer: jars.served.length > 0 ? jarServerManifests(config, namespace, labels, jars.served) : [],
    sessionJob: flinkSessionJob('session-job', namespace, labels, 'session', { jarURI: jarLocation(jars.sessionJob), parallelism: 1 }),
  };
});

// Reactive mode rescales by restarting the job on the new set of slots: without a restart strategy
// (none is the default when checkpointing is off) losing a TaskManager fails the job instead.
const reactive = {
  'scheduler-mode': 'REACTIVE',
  'restart-strategy.type': 'fixed-delay',
  'restart-strategy.fixed-delay.attempts': '2147483647',
  'restart-strategy.fixed-delay.delay': '1 s',
};

/** 05: two reactive standalone application clusters, the second under an HPA with a CPU load job. */
export const reactiveScalingPlan = registerPlan('05-reactive-scaling', (config, namespace, labels) => {
  const reactiveCluster = (name: string, job: JobSpec) =>
    flinkDeployment({ name, namespace, labels, config, mode: 'standalone', taskManagerReplicas: 1, flinkConfiguration: reactive, job });
  return {
    serviceAccount: flinkServiceAccount(config, namespace, labels),
    reactive: reactiveCluster('reactive', { jarURI: config.flink.jobJar, parallelism: 1 }),
    underLoad: reactiveCluster('reactive-hpa', {
      jarURI: config.flink.loadJobJar,
      entryClass: config.flink.loadJobClass,
      args: config.flink.loadJobArgs,
      parallelism: 1,
    }),
    hpa: cpuHpa('reactive-hpa-taskmanager', namespace, labels, taskManagerDeployment('reactive-hpa'), config.hpa),
  };
});

/** 10: TopSpeedWindowing with Flink's Prometheus reporter on and its pods annotated for scraping. */
export const monitoringPlan = registerPlan('10-monitoring', (config, namespace, labels) => ({
  serviceAccount: flinkServiceAccount(config, namespace, labels),
  monitored: flinkDeployment({
    name: 'monitored',
    namespace,
    labels,
    config,
    flinkConfiguration: prometheusReporter,
    podAnnotations: scrapeAnnotations,
    job: { jarURI: config.flink.jobJar, parallelism: 1 },
  }),
}));

/** 07: the run's K8ssandraCluster, in the run-wide Cassandra namespace that 08 and 09 share. */
export const k8ssandraPlan = registerPlan('07-k8ssandra', (config, _namespace, labels) => {
  const ns = cassandraNamespace(config, labels[runIdLabel] ?? 'planned');
  return { cluster: k8ssandraCluster(config, ns, { ...labels, 'streamcert.io/suite': 'shared' }) };
});

/** 08: the pipeline job and the copy of the Cassandra login it reads (values from the superuser secret at run time). */
export const pipelinePlan = registerPlan('08-flink-to-cassandra', (config, namespace, labels) => {
  const names = cassandraNames(config.cassandra.clusterName, config.cassandra.datacenter);
  const cassandraNs = cassandraNamespace(config, labels[runIdLabel] ?? 'planned');
  const fromSecret = `<from ${cassandraNs}/${names.superuserSecret}>`;
  return {
    serviceAccount: flinkServiceAccount(config, namespace, labels),
    credentials: credentialsSecretObject(namespace, labels, fromSecret, fromSecret),
    pipeline: pipelineDeployment({
      name: 'topspeeds',
      namespace,
      labels,
      config,
      cassandraEndpoint: config.cassandra.address ?? `${names.service}.${cassandraNs}.svc.cluster.local:9042`,
    }),
  };
});
