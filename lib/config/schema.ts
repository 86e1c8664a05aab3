// The one schema every configuration source is validated against: file, environment, CLI flags.
// Defaults describe the lab, so that a fresh machine with no config runs every suite there.
import { z } from 'zod';

const duration = z
  .union([z.number().positive(), z.string().regex(/^\d+(\.\d+)?(ms|s|m|h)$/, 'a duration such as 90s, 5m or 1500ms')])
  .describe('seconds as a number, or a string with a unit');

const kubernetesName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a Kubernetes name: lower-case letters, digits and "-"')
  .max(63);

/** Access to one Kubernetes cluster. Both empty means: the kubeconfig's current context. */
const clusterAccess = z
  .object({
    kubeconfig: z.string().min(1).optional().describe('path of the kubeconfig file'),
    context: z.string().min(1).optional().describe('context name inside the kubeconfig'),
  })
  .strict();

export const configSchema = z
  .object({
    /** `lab` runs against the embedded one-machine Kubernetes; `cluster` against the kubeconfigs below. */
    target: z.enum(['lab', 'cluster']).default('lab'),
    flinkCluster: clusterAccess.prefault({}),
    /** The paper ran Cassandra on a second workload cluster; empty means the same as flinkCluster. */
    cassandraCluster: clusterAccess.prefault({}),
    namespaces: z
      .object({
        operator: kubernetesName.default('flink-operator'),
        /** Fixed namespace for all suites; empty means a fresh namespace per suite, labelled with the run id. */
        suites: kubernetesName.optional(),
        /**
         * Where to find an existing K8ssandraCluster (used as it is, never deleted). Empty: the run creates
         * one in `sc-<run-id>-cassandra`. The run creates one here only if allowCreate lists the namespace.
         */
        cassandra: kubernetesName.optional(),
        monitoring: kubernetesName.default('monitoring'),
        /**
         * Namespaces the run did not create but may create objects in (and deletes them from at its end).
         * Anywhere else outside its own `sc-<run-id>-…` namespaces and namespaces.suites, a run refuses
         * before it creates anything.
         */
        allowCreate: z.array(kubernetesName).default([]),
      })
      .strict()
      .prefault({}),
    flink: z
      .object({
        image: z.string().min(1).default('flink:1.20'),
        /**
         * `spec.flinkVersion` (the CRD's enum form). Empty: v1_20, except on the lab, whose operator
         * release (the newest on Maven Central, 1.7.0) knows versions up to v1_18 and runs the 1.20 image as such.
         */
        flinkVersion: z
          .string()
          .regex(/^v\d+_\d+$/, 'the CRD form, e.g. v1_20')
          .optional(),
        serviceAccount: z.string().min(1).default('flink'),
        jobJar: z.string().min(1).default('local:///opt/flink/examples/streaming/TopSpeedWindowing.jar'),
        wordCountJar: z.string().min(1).default('local:///opt/flink/examples/streaming/WordCount.jar'),
        /**
         * Jar for FlinkSessionJobs: an http(s) URL the operator downloads, or `local:///path` in the
         * Flink image. Empty: 03 runs TopSpeedWindowing from the image, served from its own namespace
         * by a pod of config.flink.image (lib/flink/jar-server.ts), on the lab as on a cluster; 04's
         * session variant uses the lab's artifact server, and is skipped on a cluster.
         */
        sessionJobJar: z.string().url().optional(),
        /**
         * Flink configuration added to every FlinkDeployment, after the suite's own (so it wins): e.g.
         * a filesystem plugin's credentials provider, or, for a negative control, `high-availability.type: NONE`.
         * A key set to null is removed (`scheduler-mode: null` turns reactive mode off).
         */
        configuration: z.record(z.string(), z.string().nullable()).default({}),
        /** A steady CPU load job for the HPA suite (fixtures/jobs). */
        loadJobJar: z.string().min(1).default('local:///opt/flink/examples/streamcert/streamcert-jobs.jar'),
        loadJobClass: z.string().min(1).default('io.streamcert.jobs.CpuLoadJob'),
        loadJobArgs: z.array(z.string()).default(['--records-per-second', '1000', '--hashes-per-record', '100']),
        /**
         * The jar 03 uploads through the REST API: a file, an http(s) URL reachable from where streamcert
         * runs, or `local:///path` in the Flink image. Empty: TopSpeedWindowing from the image, fetched
         * from 03's jar server (see sessionJobJar) through a port-forward.
         */
        restJobJar: z.string().min(1).optional(),
        /** How 04 kills the JobManager: delete its pod, or `kill 1` in its container by exec. */
        jobManagerKill: z.enum(['pod', 'exec']).default('pod'),
        /** Storage class for HA metadata and checkpoints; must offer ReadWriteMany. */
        rwxStorageClass: z.string().min(1).optional(),
        jobManager: z
          .object({ memory: z.string().default('1024m'), cpu: z.number().positive().default(0.25) })
          .strict()
          .prefault({}),
        taskManager: z
          .object({
            memory: z.string().default('1024m'),
            cpu: z.number().positive().default(0.25),
            slots: z.number().int().positive().default(2),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    cassandra: z
      .object({
        clusterName: kubernetesName.default('demo'),
        datacenter: kubernetesName.default('dc1'),
        size: z.number().int().min(1).max(9).default(1),
        serverVersion: z.string().default('5.0.9'),
        replicationFactor: z.number().int().min(1).default(1),
        /** StorageClass of the Cassandra data volumes; empty: the cluster's default class. */
        storageClass: z.string().min(1).optional(),
        storageSize: z.string().default('5Gi'),
        /** Expose the datacenter through Stargate's service name as a LoadBalancer (the paper did; deprecated upstream). */
        stargate: z.boolean().default(false),
        /** host:port of a LoadBalancer/Stargate-style address; empty means port-forward to the service. */
        address: z.string().optional(),
        /** Overrides the superuser secret read from the cluster; masked in every output. */
        credentials: z
          .object({ username: z.string().min(1), password: z.string().min(1) })
          .strict()
          .optional(),
      })
      .strict()
      .prefault({}),
    expect: z
      .object({
        operatorVersion: z.string().optional(),
        /**
         * The Flink release the running cluster must report (REST /config "flink-version", checked by 02),
         * e.g. 1.20.0; not the CRD's enum form (flink.flinkVersion, v1_20), which names no release.
         */
        flinkVersion: z
          .string()
          .regex(/^\d+\.\d+\.\d+(-\S+)?$/, 'the Flink release as the cluster reports it, e.g. 1.20.0 (not the CRD form v1_20)')
          .optional(),
        cassandraVersion: z.string().optional(),
      })
      .strict()
      .prefault({}),
    timeouts: z
      .object({
        clusterReachable: duration.default('10s'),
        deploymentReady: duration.default('5m'),
        jobRunning: duration.default('5m'),
        checkpoint: duration.default('3m'),
        recovery: duration.default('5m'),
        rescale: duration.default('5m'),
        hpa: duration.default('8m'),
        teardown: duration.default('3m'),
        /** How long the operator gets to finish a deletion: what a check that judges one (02, 03) waits, nothing forced, and the grace teardown gives before it forces. */
        deletion: duration.default('60s'),
        cassandraReady: duration.default('10m'),
        /** A running job's metrics to appear in Prometheus, or a scraped counter to grow. */
        metrics: duration.default('3m'),
      })
      .strict()
      .prefault({}),
    /** The paper's HPA: `kubectl autoscale --min=1 --max=15 --cpu-percent=20` on the TaskManagers. */
    hpa: z
      .object({
        minReplicas: z.number().int().min(1).default(1),
        maxReplicas: z.number().int().min(1).default(15),
        cpuPercent: z.number().int().min(1).max(100).default(20),
        /** How long to watch for a scale-down after the load is removed (recorded, not asserted). */
        scaleDownWindow: duration.default('6m'),
      })
      .strict()
      .prefault({}),
    wordCount: z
      .object({
        /** Path or URL of the input; empty means the lab's generated input of `generatedSizeMb`. */
        input: z.string().optional(),
        // 100 MB: on the lab (2 cores) WordCount reads about 2.5 MB/s at parallelism 1, so the sweep takes 2 minutes;
        // its figures are durations and words per second, and the judges check counts, not a size.
        generatedSizeMb: z.number().positive().default(100),
        /** Distinct words in the generated input. */
        vocabulary: z.number().int().min(1).max(1_000_000).default(5000),
        /** The WordCount jar for REST upload (path or URL); empty: the lab's flink-examples-streaming copy. */
        jar: z.string().min(1).optional(),
        /** TaskManagers of the sweep's session cluster; their slots cap the parallelism. */
        taskManagers: z.number().int().min(1).default(2),
        parallelism: z.array(z.number().int().positive()).min(1).default([1, 2, 4, 8, 16, 32]),
      })
      .strict()
      .prefault({}),
    /** The paper's pipeline: TopSpeedWindowing writing (carid, speed, distance, time) into Cassandra. */
    pipeline: z
      .object({
        keyspace: kubernetesName.default('example'),
        /** The table the checks read. */
        table: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'a CQL table name').default('topspeeds'),
        /** The table the job writes; empty: `table` (a negative control points it elsewhere). */
        jobTable: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'a CQL table name').optional(),
        jobJar: z.string().min(1).default('local:///opt/flink/examples/streamcert/streamcert-jobs.jar'),
        jobClass: z.string().min(1).default('io.streamcert.jobs.TopSpeedsToCassandra'),
        cars: z.number().int().min(1).default(10),
        recordsPerSecond: z.number().int().min(1).default(200),
        /** How long 08 samples the write count. */
        samplingWindow: duration.default('30s'),
        /** How far Flink's sink count and Cassandra's write count may differ, in percent (plus a lag allowance). */
        reconcileTolerancePercent: z.number().min(0).max(100).default(5),
      })
      .strict()
      .prefault({}),
    monitoring: z
      .object({
        /** Prometheus base URL reachable from where streamcert runs; empty: port-forward to the Service below. */
        prometheusUrl: z.string().url().optional(),
        /** Prometheus Service in namespaces.monitoring (the paper: tanzu-system-monitoring). */
        prometheusService: kubernetesName.default('prometheus'),
        prometheusPort: z.number().int().min(1).max(65535).default(9090),
        /** Grafana base URL; empty: Grafana is not checked (SKIPPED with the reason). */
        grafanaUrl: z.string().url().optional(),
        /** Grafana login for the datasource health check; masked in every output. */
        grafanaCredentials: z
          .object({ username: z.string().min(1), password: z.string().min(1) })
          .strict()
          .optional(),
      })
      .strict()
      .prefault({}),
    chaos: z
      .object({
        /** Namespaces chaos may touch besides the ones a run creates itself. */
        allowNamespaces: z.array(kubernetesName).default([]),
        /** How soon after a fault writes must flow again. */
        writesResumeWithin: duration.default('4m'),
        /** The QUORUM ledger writer of the Cassandra pod kill: writes per second while the experiment runs. */
        ledgerWritesPerSecond: z.number().int().min(1).max(2000).default(50),
      })
      .strict()
      .prefault({}),
    reports: z
      .object({
        dir: z.string().default('reports'),
        /** Trends: a time that grows or a rate that falls by more than this (percent) against the baseline is a regression. */
        regressionThreshold: z.number().positive().default(20),
        /** Per-figure thresholds in percent, by name (`rto`) or suite/name (`04-jobmanager-ha/rto`). */
        regressionThresholds: z.record(z.string(), z.number().positive()).default({}),
        /** Noise floor per unit: smaller absolute changes never count (merged over s: 1, ms: 10, 1/s: 1). */
        regressionMinChange: z.record(z.string(), z.number().nonnegative()).default({}),
        /** The run to compare with: a run id under `dir`, a run folder or a results.json; empty: the previous run. */
        baseline: z.string().min(1).optional(),
        /** Exit 1 when a figure regressed, even if every check passed (the nightly profile turns it on). */
        failOnRegression: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    /** Leave what the run created in place for debugging. */
    keep: z.boolean().default(false),
  })
  .strict();

export type StreamcertConfig = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

/** Parses `90s`, `5m`, `1500ms` or a number of seconds into milliseconds. */
export function toMillis(value: number | string): number {
  if (typeof value === 'number') return value * 1000;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value);
  if (!m) throw new Error(`not a duration: ${value}`);
  const n = Number(m[1]);
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return n * factor;
}
