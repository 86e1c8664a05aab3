// What reached Prometheus, judged: a running job's JobManager gauge, and Cassandra's own series where
// an exporter is scraped. A query that returns nothing never passes (the largest value of no samples
// is -Infinity, and a count over nothing is no sample at all, not zero).
import { fail, pass, type Judgement } from '../util/judgement.ts';
import type { Sample } from './prometheus.ts';

export interface RunningJobsObservation {
  /** e.g. `flink_jobmanager_numRunningJobs{namespace="sc-…-10"}` */
  promql: string;
  /** The Prometheus asked, for messages. */
  where: string;
  /** One sample a JobManager; []: the query returned nothing. */
  samples: Sample[];
}

/** A series by the pod (else instance) that exported it: what to look at next. */
const source = (s: Sample) => s.metric.pod ?? s.metric.instance ?? JSON.stringify(s.metric);

export function judgeRunningJobsMetric(o: RunningJobsObservation): Judgement {
  if (o.samples.length === 0) return fail(`${o.promql} returned nothing: no JobManager reports its running jobs (Prometheus at ${o.where})`);
  const values = o.samples.map((s) => `${s.value} from ${source(s)}`).join(', ');
  if (!o.samples.some((s) => s.value >= 1)) return fail(`${o.promql}: expected at least 1 running job, seen ${values} (Prometheus at ${o.where})`);
  return pass(`${o.promql}: ${values} (Prometheus at ${o.where})`);
}

export interface CassandraSeriesObservation {
  /** The count query over the Cassandra targets' instances. */
  promql: string;
  where: string;
  /** The targets taken for Cassandra's (lib/monitoring/cassandra.ts). */
  scrapeUrls: string[];
  /** describeTargets of them: health and the last scrape error. */
  targets: string;
  /** The count; undefined: the query returned no sample (count() of nothing). */
  series?: number;
}

export function judgeCassandraSeries(o: CassandraSeriesObservation): Judgement {
  if (o.scrapeUrls.length === 0) return fail(`no Prometheus target is Cassandra's: no Cassandra series to look for (Prometheus at ${o.where})`);
  const targets = `the Cassandra targets ${o.scrapeUrls.join(', ')} (${o.targets || 'no health read'})`;
  if (!o.series) return fail(`${o.promql} returned ${o.series ?? 'nothing'}: expected Cassandra series (mcac_*, org_apache_cassandra_*, cassandra_*) from ${targets} (Prometheus at ${o.where})`);
  return pass(`${o.series} Cassandra series from ${targets} (Prometheus at ${o.where})`);
}
