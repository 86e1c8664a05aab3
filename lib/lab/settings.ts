// Where the lab departs from what a production install of the same components would do, so that the
// environment block of a lab run's results says so (lib/run/preflight.ts). Each departure is made
// for the 2-core machine the lab runs on and changes no property a check judges; the lines that make
// them carry the reason.
export const labSettings: readonly string[] = [
  // lib/lab/operator.ts: the defaults are 60 s, 10 s, 10 s and 5.
  'Flink operator: kubernetes.operator.reconcile.interval 5 s, observer.progress-check.interval 5 s, observer.rest-ready.delay 1 s, rate-limiter.limit 20',
  // lib/lab/controlplane.ts and lib/lab/addons.ts: the defaults are 15 s and 60 s.
  'HPA: kube-controller-manager --horizontal-pod-autoscaler-sync-period 5 s, metrics-server --metric-resolution 10 s',
  // lib/lab/operator.ts (operator defaults for deployed clusters) and the Cassandra image's jvm17-server.options.
  "Flink and Cassandra JVMs: client compiler only (-XX:TieredStopAtLevel=1), except 06's TaskManagers (throughput: the full compiler)",
];
