// The manifests of the suites that apply fixed objects, as functions of the configuration. The suites
// apply exactly these; `streamcert plan` prints them (and validates them by server-side dry run).
import { jarLocation, sessionJobJarUrl, sessionModeJars } from '../flink/job-jars.ts';
import { wordCountGeneratorPod, wordCountSpec } from '../flink/wordcount-input.ts';
import { jarServerManifests } from '../flink/jar-server.ts';
import { flinkDeployment, flinkServiceAccount, flinkSessionJob, rwxClaim, type JobSpec } from '../flink/manifests.ts';
import { taskManagerDeployment } from '../flink/scaling.ts';
import { cpuHpa } from '../flink/hpa.ts';
import { prometheusReporter, scrapeAnnotations } from '../monitoring/flink.ts';
import { cassandraNamespace, k8ssandraCluster } from '../cassandra/k8ssandra.ts';
import { cassandraNames } from '../cassandra/names.ts';
import { credentialsSecretObject, pipelineDeployment } from '../pipeline/manifests.ts';
import { runIdLabel } from '../run/context.ts';
import type { StreamcertConfig } from '../config/schema.ts';
import { placeholder, registerPlan, type PlanInputs } from './manifests.ts';

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

/**
 * 08 and 09: the pipeline job and the copy of the Cassandra login it reads (values from the superuser
 * secret at run time); 09's with Kubernetes HA and checkpoints on a ReadWriteMany claim.
 */
function pipelinePlan(name: string, ha: boolean) {
  return (config: StreamcertConfig, namespace: string, labels: Record<string, string>, inputs: PlanInputs = {}) => {
    const names = cassandraNames(config.cassandra.clusterName, config.cassandra.datacenter);
    const cassandraNs = cassandraNamespace(config, labels[runIdLabel] ?? 'planned');
    const fromSecret = placeholder(`from ${cassandraNs}/${names.superuserSecret}`);
    const login = inputs.cassandraLogin ?? { username: fromSecret, password: fromSecret };
    const haClaim = ha ? `${name}-data` : undefined;
    return {
      serviceAccount: flinkServiceAccount(config, namespace, labels),
      credentials: credentialsSecretObject(namespace, labels, login.username, login.password),
      haClaim: haClaim ? rwxClaim(haClaim, namespace, labels, rwxClass(inputs)) : [],
      pipeline: pipelineDeployment({
        name,
        namespace,
        labels,
        config,
        cassandraEndpoint:
          inputs.cassandraEndpoint ??
          (config.cassandra.address
            ? placeholder(`${names.service}.${cassandraNs}.svc.cluster.local:9042, or ${config.cassandra.address} when Cassandra runs on another cluster`)
            : `${names.service}.${cassandraNs}.svc.cluster.local:9042`),
        haClaim,
        startTimeMs: inputs.pipelineStartMs ?? placeholder('when the job is started'),
      }),
    };
  };
}

export const flinkToCassandraPlan = registerPlan('08-flink-to-cassandra', pipelinePlan('topspeeds', false));
export const chaosPlan = registerPlan('09-chaos', pipelinePlan('chaos-pipeline', true));

function rwxClass(inputs: PlanInputs): string {
  return inputs.rwxStorageClass ?? placeholder("the cluster's ReadWriteMany storage class");
}

/**
 * 04: per variant a Flink cluster with Kubernetes HA and checkpoints on a ReadWriteMany claim; the
 * session variant's job is a FlinkSessionJob (when a jar URL the operator can download is known).
 */
export const jobManagerHaPlan = registerPlan('04-jobmanager-ha', (config, namespace, labels, inputs = {}) => {
  const cluster = (name: string, job?: JobSpec) =>
    flinkDeployment({ name, namespace, labels, config, dataClaim: `${name}-data`, ha: true, checkpointIntervalMs: 2000, job });
  const sessionJar = sessionJobJarUrl(config);
  return {
    serviceAccount: flinkServiceAccount(config, namespace, labels),
    appClaim: rwxClaim('ha-app-data', namespace, labels, rwxClass(inputs)),
    app: cluster('ha-app', { jarURI: config.flink.jobJar, parallelism: 1 }),
    sessionClaim: rwxClaim('ha-session-data', namespace, labels, rwxClass(inputs)),
    session: cluster('ha-session'),
    sessionJob: sessionJar ? flinkSessionJob('ha-session-job', namespace, labels, 'ha-session', { jarURI: sessionJar, parallelism: 1 }) : [],
  };
});

/** 06: a standalone session cluster whose TaskManagers read the input from a ReadWriteMany claim, and the pod that writes the input there. */
export const wordCountPlan = registerPlan('06-wordcount-sweep', (config, namespace, labels, inputs = {}) => {
  const wc = config.wordCount;
  return {
    serviceAccount: flinkServiceAccount(config, namespace, labels),
    claim: rwxClaim('wordcount-data', namespace, labels, rwxClass(inputs), '2Gi'),
    session: flinkDeployment({
      name: 'wordcount',
      namespace,
      labels,
      config,
      mode: 'standalone',
      taskManagerReplicas: wc.taskManagers,
      dataClaim: 'wordcount-data',
      // The sweep measures throughput, so its TaskManagers run with the JVM's full compiler: the lab's
      // client-compiler-only default (a start-up setting, lib/lab/settings.ts) made WordCount over 200 MB
      // 2.4× slower (p1 188 s → 77 s). On a cluster the platform's own JVM options stand.
      ...(config.target === 'lab' ? { flinkConfiguration: { 'env.java.opts.taskmanager': '-XX:TieredStopAtLevel=4' } } : {}),
    }),
    generator: wordCountGeneratorPod(config.flink.image, namespace, labels, wordCountSpec(config)),
  };
});
