// Flink's side of monitoring: the Prometheus reporter (flink-metrics-prometheus, loaded from the
// image's plugins/metrics-prometheus/), the pod annotations an annotation-driven Prometheus scrapes
// by, and the series names the reporter exports (scope `<component>_<scope>_`, prefix `flink_`,
// e.g. `flink_taskmanager_job_task_numRecordsIn` with labels job_id, task_name, subtask_index, ...).

export const flinkReporterPort = 9249;

/** Flink configuration that turns the Prometheus reporter on, serving /metrics on `flinkReporterPort`. */
export const prometheusReporter: Record<string, string> = {
  'metrics.reporter.prom.factory.class': 'org.apache.flink.metrics.prometheus.PrometheusReporterFactory',
  'metrics.reporter.prom.port': String(flinkReporterPort),
};

/** The de-facto annotations (`prometheus.io/*`) the lab's Prometheus and many others select pods by. */
export const scrapeAnnotations: Record<string, string> = {
  'prometheus.io/scrape': 'true',
  'prometheus.io/port': String(flinkReporterPort),
  'prometheus.io/path': '/metrics',
};

export const flinkSeries = {
  /** Per subtask, counter: records the task received. */
  taskRecordsIn: 'flink_taskmanager_job_task_numRecordsIn',
  /** JobManager gauge: jobs in RUNNING. */
  runningJobs: 'flink_jobmanager_numRunningJobs',
} as const;

/** Every Flink series Prometheus holds for the pods of `namespace`. */
export function flinkSeriesCountQuery(namespace: string): string {
  return `count({__name__=~"flink_.+",namespace="${namespace}"})`;
}
