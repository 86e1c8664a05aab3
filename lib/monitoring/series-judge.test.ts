// judgeRunningJobsMetric and judgeCassandraSeries on each of their sides. The running-jobs observation
// is what the judge received on the lab on 2026-12-04 (see __fixtures__/series/README.md): suite 10
// passing (run 20261204-020255-05ed, the JobManager of the monitored job reporting 1 running job). The
// lab's Cassandra exports no Prometheus metrics, so 10 skips that check before observing: its
// observations below are built in the shape the suite writes, from the lab's recorded targets, and
// say so. Sides nothing recorded are minimal edits, named in each test.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fail, pass } from '../util/judgement.ts';
import { judgeCassandraSeries, judgeRunningJobsMetric, type CassandraSeriesObservation, type RunningJobsObservation } from './series-judge.ts';

const running = (): RunningJobsObservation =>
  JSON.parse(readFileSync(new URL('./__fixtures__/series/10-running-jobs.json', import.meta.url), 'utf8')) as RunningJobsObservation;

const prometheus = 'Prometheus at Service prometheus in namespace monitoring port 9090 (port-forward)';
const promql = 'flink_jobmanager_numRunningJobs{namespace="sc-20261204-020255-05ed-10"}';
const jobManager = 'monitored-5bdd4cd579-w77jw';

describe('judgeRunningJobsMetric', () => {
  it('passes on the recorded run: the JobManager reports 1 running job', () => {
    expect(judgeRunningJobsMetric(running())).toEqual(pass(`${promql}: 1 from ${jobManager} (${prometheus})`));
  });

  it('fails when the query returned nothing (recorded run with samples emptied: the largest of no values is -Infinity, not a pass)', () => {
    expect(judgeRunningJobsMetric({ ...running(), samples: [] })).toEqual(
      fail(`${promql} returned nothing: no JobManager reports its running jobs (${prometheus})`),
    );
  });

  it('fails when the JobManager reports 0 running jobs (recorded run with the value edited to 0: a job that failed or finished)', () => {
    const o = running();
    o.samples[0]!.value = 0;
    expect(judgeRunningJobsMetric(o)).toEqual(fail(`${promql}: expected at least 1 running job, seen 0 from ${jobManager} (${prometheus})`));
  });

  it('passes when one of two JobManager series reports the job (recorded run with a second sample of 0 from a pod gone, kept as stale by Prometheus)', () => {
    const o = running();
    o.samples.unshift({ ...o.samples[0]!, metric: { ...o.samples[0]!.metric, pod: 'monitored-5bdd4cd579-old00' }, value: 0 });
    expect(judgeRunningJobsMetric(o)).toEqual(pass(`${promql}: 0 from monitored-5bdd4cd579-old00, 1 from ${jobManager} (${prometheus})`));
  });

  it('names a series by its instance when it has no pod label (recorded run with the pod label removed)', () => {
    const o = running();
    delete o.samples[0]!.metric.pod;
    o.samples[0]!.value = 0;
    expect(judgeRunningJobsMetric(o).reason).toBe(`${promql}: expected at least 1 running job, seen 0 from 10.211.0.14:9249 (${prometheus})`);
  });
});

describe('judgeCassandraSeries', () => {
  // Built, not recorded: the lab's Cassandra exports no metrics. The shape is the suite's (10's
  // 'Cassandra metrics are scraped where an exporter runs'); the target an MCAC endpoint of a pod.
  const where = 'Service prometheus in namespace monitoring port 9090 (port-forward)';
  const exporting = (): CassandraSeriesObservation => ({
    promql: 'count({__name__=~"mcac_.+|org_apache_cassandra_.+|cassandra_.+",instance=~"10\\\\.211\\\\.0\\\\.20:9103"})',
    where,
    scrapeUrls: ['http://10.211.0.20:9103/metrics'],
    targets: 'kubernetes-pods 1 up',
    series: 2143,
  });

  it('passes on a count above zero (built: 2143 series from one MCAC target)', () => {
    expect(judgeCassandraSeries(exporting())).toEqual(
      pass(`2143 Cassandra series from the Cassandra targets http://10.211.0.20:9103/metrics (kubernetes-pods 1 up) (Prometheus at ${where})`),
    );
  });

  it('fails when the count returned no sample (built observation with series removed: a target up that exports other metrics)', () => {
    const { series: _s, ...o } = exporting();
    expect(judgeCassandraSeries(o)).toEqual(
      fail(
        `${o.promql} returned nothing: expected Cassandra series (mcac_*, org_apache_cassandra_*, cassandra_*) from the Cassandra targets ` +
          `http://10.211.0.20:9103/metrics (kubernetes-pods 1 up) (Prometheus at ${where})`,
      ),
    );
  });

  it('fails on a count of 0 with the target down (built observation with series 0 and the target not up)', () => {
    const o = { ...exporting(), series: 0, targets: 'kubernetes-pods 0 up, 1 not up (connection refused)' };
    expect(judgeCassandraSeries(o).reason).toBe(
      `${o.promql} returned 0: expected Cassandra series (mcac_*, org_apache_cassandra_*, cassandra_*) from the Cassandra targets ` +
        `http://10.211.0.20:9103/metrics (kubernetes-pods 0 up, 1 not up (connection refused)) (Prometheus at ${where})`,
    );
    expect(judgeCassandraSeries(o).ok).toBe(false);
  });

  it('fails on an empty observation: no Cassandra target (built observation with scrapeUrls emptied)', () => {
    expect(judgeCassandraSeries({ ...exporting(), scrapeUrls: [], targets: '' })).toEqual(
      fail(`no Prometheus target is Cassandra's: no Cassandra series to look for (Prometheus at ${where})`),
    );
  });

  it('fails on the recorded observation of a Cassandra target that exports nothing (fault cassandra-exporter-absent)', () => {
    const o = JSON.parse(readFileSync(new URL('./__fixtures__/series/10-cassandra-series-exporter-absent.json', import.meta.url), 'utf8')) as CassandraSeriesObservation;
    expect(judgeCassandraSeries(o)).toEqual(
      fail(
        `${o.promql} returned nothing: expected Cassandra series (mcac_*, org_apache_cassandra_*, cassandra_*) from the Cassandra targets ` +
          'http://10.211.0.32:9103/metrics (kubernetes-pods 0 up, 1 not up (Get "http://10.211.0.32:9103/metrics": dial tcp 10.211.0.32:9103: connect: connection refused)) ' +
          `(Prometheus at ${where})`,
      ),
    );
  });
});
