// Faults our own negative controls inject where no configuration can break the property (input data
// altered behind the harness's back). Only honoured on the lab, and recorded in the run's results so a report can never
// pass off a fault-injected run as a real one.
const envName = 'STREAMCERT_SELFTEST_FAULTS';

export type Fault =
  // Appends one word to 06's input file after the harness computed the counts it expects: the job then
  // really counts one more, and 06 must name the word with both counts.
  | 'wordcount-corrupt-input'
  | 'ledger-delete-acknowledged'
  // 08: three of the job's rows that no later firing can write again, deleted behind its back once a
  // checkpoint has flushed them: lost writes for real, which the set check must name.
  | 'topspeeds-rows-deleted'
  // 08: the job's rows written again by the harness, same values, before the reconcile: duplicated
  // writes for real, which Cassandra counts and Flink's sink never sent.
  | 'topspeeds-writes-duplicated'
  // 08: a partition of a car the generator does not have, written by another writer while 08 reads the
  // table's partitions and deleted right after: the partition check must name the unexpected carid.
  | 'topspeeds-foreign-partition'
  // 08: the Cassandra node frozen (SIGSTOP from the host) while 08 counts the table with paging, thawed
  // right after: the count cannot complete, and the full-count check must say so.
  | 'cassandra-frozen-during-count'
  // Lets a flinkVersion the operator cannot parse through preflight, to show that a Flink wait then
  // fails fast on the crash-looping operator and that cleanup works without a healthy operator.
  | 'operator-compat-unchecked'
  // 02's FlinkDeployment (and 03's session cluster) carry one more finalizer that nobody removes, as an
  // operator that cannot finish its cleanup would leave it: the deletion check must fail naming it,
  // and teardown record that it forced it.
  | 'flinkdeployment-finalizer-held'
  // 07: one Cassandra node frozen (SIGSTOP on its container, from the host) while streamcert observes
  // readiness, thawed right after: its pod still shows Ready, the node answers nothing, and the
  // readiness check must name it.
  | 'cassandra-node-frozen'
  // 04: the JobManager that replaces the killed one crashes once more after it starts, then recovers:
  // the job comes back, and "restarted once" must see the second start.
  | 'jobmanager-crashes-again'
  // 05: the HPA's TaskManagers rolled to pods that request no CPU: the HPA can never compute their
  // utilisation, and 05 must say so at once rather than wait for a scale-up.
  | 'taskmanager-cpu-request-removed'
  // 10: the monitored job's TaskManager frozen (SIGSTOP from the host) while its records-in counter is
  // watched, thawed right after: the job processes nothing, and the growth check must fail.
  | 'flink-taskmanager-frozen'
  // 10: a pod labelled cassandra and annotated for scraping at MCAC's port where nothing listens, as a
  // Cassandra whose metrics agent is not loaded (lib/monitoring/sabotage.ts): the Cassandra metrics
  // check then runs, and must fail naming the target and its scrape error.
  | 'cassandra-exporter-absent'
  // 01: the metrics APIService pointed at a Service that does not exist while 01 observes it, restored
  // right after: the metrics API is really unavailable (the HPA gets nothing), and 01 must say so.
  | 'metrics-api-unavailable'
  // 01: the FlinkSessionJob CRD's v1beta1 not served (served: false) while 01 reads the CRDs, served
  // again right after: the API really answers 404 for FlinkSessionJobs, and 01 must say so.
  | 'flinksessionjob-crd-unserved'
  // 07: the paper's keyspace created beforehand with one replica more than configured, as a run finds
  // it on a cluster where it already exists: the schema check must name both replication factors.
  | 'keyspace-other-replication'
  // 04: a FlinkDeployment the operator's validator rejects (parallelism -1) applied in the suite's
  // namespace during the failover: the operator logs a real ERROR about that namespace, and 04's
  // operator-log check must quote it.
  | 'operator-error-in-namespace'
  // 07: the run's K8ssandraCluster created with spec.auth: false (k8ssandra-operator's switch for
  // AllowAllAuthenticator), as a cluster someone set up without authentication: every password is
  // accepted, and the wrong-password check must say so.
  | 'cassandra-auth-off';

/** The finalizer fault flinkdeployment-finalizer-held adds: no controller owns it, so nobody removes it. */
export const heldFinalizer = 'streamcert.io/selftest-held';

export function activeFaults(env: NodeJS.ProcessEnv = process.env): Fault[] {
  return (env[envName] ?? '').split(',').map((f) => f.trim()).filter(Boolean) as Fault[];
}

export function faultActive(fault: Fault, target: string, env: NodeJS.ProcessEnv = process.env): boolean {
  return target === 'lab' && activeFaults(env).includes(fault);
}
