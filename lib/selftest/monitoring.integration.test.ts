// Suite 10 against the lab, as `streamcert run` runs it: it passes on the lab's real Prometheus, and
// fails naming the cause when Prometheus is not where the configuration says, or when the Flink pods
// it should scrape export nothing.
import { describe, expect, it } from 'vitest';
import { failures, streamcert, suiteOf } from './streamcert.ts';

// Runs of their own, in namespaces of their own: two at a time (the integration project's maxConcurrency).
describe.concurrent('10 monitoring on the lab', () => {
  it('passes: Prometheus scrapes the job’s metrics; Cassandra and Grafana are skipped with their reasons', async () => {
    const run = await streamcert(['run', '--suite', '10']);
    const suite = suiteOf(run, '10-monitoring');
    expect(suite.verdict, failures(suite)).toBe('passed');
    expect(run.exitCode).toBe(0);
    const skipped = suite.checks.filter((c) => c.verdict === 'skipped').map((c) => c.reason);
    expect(skipped).toEqual([expect.stringMatching(/no Prometheus target with a cassandra job or label/), expect.stringMatching(/monitoring\.grafanaUrl is not configured/)]);
    expect(suite.measurements.map((m) => m.name)).toEqual(expect.arrayContaining(['queryLatency', 'timeToMetrics', 'flinkSeries', 'recordsInGrowth']));
  });

  it('negative control: a Prometheus Service that does not exist fails naming the service and namespace', async () => {
    const run = await streamcert(['run', '--suite', '10', '--set', 'monitoring.prometheusService=no-prometheus']);
    const suite = suiteOf(run, '10-monitoring');
    expect(run.exitCode).toBe(1);
    expect(suite.checks[0]!.verdict).toBe('failed');
    expect(failures(suite)).toMatch(/Service no-prometheus in namespace monitoring does not exist/);
  });

  it('negative control: a Grafana address where no Grafana answers fails the datasource check naming the address and its answer', async () => {
    // The lab's Prometheus answers HTTP there, but it is not Grafana: GET /api/datasources is a 404.
    const run = await streamcert(['run', '--suite', '10', '--grep', '^Grafana', '--set', 'monitoring.grafanaUrl=http://10.96.0.90:9090']);
    const suite = suiteOf(run, '10-monitoring');
    expect(run.exitCode).toBe(1);
    expect(suite.checks.map((c) => `${c.name}: ${c.verdict}`)).toEqual(['Grafana’s Prometheus datasource is healthy: failed']);
    expect(failures(suite)).toMatch(/expected Grafana's Prometheus datasources at http:\/\/10\.96\.0\.90:9090: .*GET \/api\/datasources answered HTTP 404/);
  });

  it('negative control: Flink pods without the Prometheus reporter fail naming the missing metric', async () => {
    const run = await streamcert([
      'run',
      '--suite',
      '10',
      '--set',
      'flink.configuration={"metrics.reporter.prom.factory.class": null}',
      '--set',
      'timeouts.metrics=45s',
    ]);
    const suite = suiteOf(run, '10-monitoring');
    expect(run.exitCode).toBe(1);
    const reasons = failures(suite);
    expect(reasons).toMatch(/flink_taskmanager_job_task_numRecordsIn\{job_id="[0-9a-f]{32}"\}/);
    // Why: the annotated pods are scraped, but nothing listens on the reporter port.
    expect(reasons).toMatch(/not up/);
  });

  it('negative control: a job whose TaskManager is frozen while its counter is watched fails the growth check, naming the counter', async () => {
    const run = await streamcert(['run', '--suite', '10', '--grep', '^(Prometheus answers|the job runs|its TaskManager|the job’s records-in counter)', '--set', 'timeouts.metrics=30s'], {
      env: { STREAMCERT_SELFTEST_FAULTS: 'flink-taskmanager-frozen' },
    });
    const suite = suiteOf(run, '10-monitoring');
    expect(run.exitCode).toBe(1);
    const failed = suite.checks.filter((c) => c.verdict === 'failed');
    expect(failed.map((c) => c.name), failures(suite)).toEqual(['the job’s records-in counter grows from one scrape to the next']);
    expect(failed[0]!.reason).toMatch(/^sum\(flink_taskmanager_job_task_numRecordsIn\{job_id="[0-9a-f]{32}"\}\) (did not grow beyond|was) \d+/);
    process.stderr.write(`10 frozen-TaskManager control: ${run.seconds.toFixed(0)} s\n`);
  });
});

// Alone, after the runs above: Prometheus's targets are cluster-wide, so a Cassandra target announced
// here would be seen by a run beside it (whose Cassandra check must be SKIPPED on the lab).
describe('10 Cassandra metrics on the lab', () => {
  it('negative control: a Cassandra target that exports nothing fails the Cassandra metrics check, naming the target and its scrape error', async () => {
    const run = await streamcert(['run', '--suite', '10', '--grep', '^(Prometheus answers|Cassandra metrics)'], { env: { STREAMCERT_SELFTEST_FAULTS: 'cassandra-exporter-absent' } });
    const suite = suiteOf(run, '10-monitoring');
    expect(run.exitCode).toBe(1);
    const failed = suite.checks.filter((c) => c.verdict === 'failed');
    expect(failed.map((c) => c.name), failures(suite)).toEqual(['Cassandra metrics are scraped where an exporter runs']);
    expect(failed[0]!.reason).toMatch(
      /^count\(\{__name__=~"mcac_\.\+\|org_apache_cassandra_\.\+\|cassandra_\.\+",instance=~"[^"]*:9103"\}\) returned nothing: expected Cassandra series \(mcac_\*, org_apache_cassandra_\*, cassandra_\*\) from the Cassandra targets http:\/\/\S+:9103\/metrics \(kubernetes-pods 0 up, 1 not up \(.*connection refused\)\)/,
    );
    process.stderr.write(`10 Cassandra exporter-absent control: ${run.seconds.toFixed(0)} s\n`);
  });
});
