// 10 Monitoring: the paper watched Flink and Cassandra in Grafana dashboards over Prometheus. Here
// Prometheus must answer where it is configured and scrape live targets; a running job's JobManager
// and TaskManager metrics must reach it and its record counter grow from one scrape to the next;
// Cassandra's metrics are checked where an exporter is scraped, Grafana's datasource where one is
// configured (each SKIPPED with the reason otherwise).
import { expect } from 'vitest';
import { FlinkDeploymentHandle } from '../lib/flink/deployment.ts';
import { recordObservation } from '../lib/flink/record-observation.ts';
import { whileFrozen } from '../lib/lab/freeze.ts';
import { apply } from '../lib/k8s/objects.ts';
import { connectPrometheus } from '../lib/monitoring/connect.ts';
import { cassandraTargets, cassandraSeriesQuery } from '../lib/monitoring/cassandra.ts';
import { flinkSeries, flinkSeriesCountQuery } from '../lib/monitoring/flink.ts';
import { Grafana } from '../lib/monitoring/grafana.ts';
import { describeTargets, selector, type Prometheus } from '../lib/monitoring/prometheus.ts';
import { judgeCounterGrowth } from '../lib/monitoring/counter-growth.ts';
import { medianQueryMs, observeCounterGrowth, scalarOf, untilSeries } from '../lib/monitoring/wait.ts';
import { step, suite } from '../lib/suite/dsl.ts';
import { faultActive } from '../lib/suite/faults.ts';
import { holds } from '../lib/suite/judgement.ts';
import { monitoringPlan } from '../lib/suite/plans.ts';
import { skipBecause } from '../lib/suite/skip.ts';
import { pollUntil } from '../lib/util/poll.ts';
import { secondsSince } from '../lib/util/time.ts';

suite('10-monitoring', (s) => {
  let prometheus: Prometheus;
  let jobId: string;
  let runningAt: number;
  let fd: FlinkDeploymentHandle;

  step('Prometheus answers and has targets it scrapes', async () => {
    const connection = await connectPrometheus(s.flink, s.config);
    s.teardown.add('connection to Prometheus', () => connection.close());
    prometheus = connection.prometheus;
    const ready = await prometheus.ready();
    expect(ready.status, `GET /-/ready of Prometheus at ${prometheus.where}: ${ready.body}`).toBe(200);
    const { version } = await prometheus.buildInfo();
    s.record('queryLatency', await medianQueryMs(prometheus, 'up', 5), 'ms', { prometheusVersion: version });
    // A Prometheus started moments ago reports its targets' health as unknown until its first scrape
    // of each (up to one scrape interval): wait for one to be up, then assert on what was last seen.
    let targets = await prometheus.activeTargets();
    await pollUntil({
      description: `an active scrape target of Prometheus at ${prometheus.where} to be up`,
      check: async () => ((targets = await prometheus.activeTargets()).some((t) => t.health === 'up') ? true : undefined),
      observe: () => describeTargets(targets) || 'no active targets',
      timeoutMs: s.timeout('metrics'),
    }).catch(() => undefined);
    s.record('activeTargets', targets.length, 'count');
    expect(targets.filter((t) => t.health === 'up').length, `active targets that are up (${describeTargets(targets) || 'none'})`).toBeGreaterThan(0);
  });

  step('the job runs with Flink’s Prometheus reporter on', async () => {
    const objects = monitoringPlan(s.config, s.namespace, s.labels());
    for (const obj of objects.slice(0, -1)) await apply(s.flink, obj);
    fd = new FlinkDeploymentHandle(s, objects.at(-1)!);
    await fd.apply();
    jobId = (await fd.untilStatus({ lifecycleState: 'STABLE', job: 'RUNNING' })).jobStatus!.jobId!;
    runningAt = Date.now();
  });

  step('its TaskManager and JobManager metrics reach Prometheus', async () => {
    const wait = { timeoutMs: s.timeout('metrics'), namespace: s.namespace };
    await untilSeries(prometheus, selector(flinkSeries.taskRecordsIn, { job_id: jobId }), wait);
    s.record('timeToMetrics', secondsSince(runningAt), 's');
    const running = await untilSeries(prometheus, selector(flinkSeries.runningJobs, { namespace: s.namespace }), wait);
    expect(Math.max(...running.map((r) => r.value)), `${flinkSeries.runningJobs} of ${s.namespace}`).toBeGreaterThanOrEqual(1);
    s.record('flinkSeries', (await scalarOf(prometheus, flinkSeriesCountQuery(s.namespace))) ?? 0, 'count');
  });

  step('the job’s records-in counter grows from one scrape to the next', async () => {
    const promql = `sum(${selector(flinkSeries.taskRecordsIn, { job_id: jobId })})`;
    const victim = faultActive('flink-taskmanager-frozen', s.config.target) ? (await fd.pods('taskmanager'))[0] : undefined;
    const grown = await whileFrozen(victim, 'flink-main-container', () =>
      observeCounterGrowth(prometheus, promql, { timeoutMs: s.timeout('metrics'), namespace: s.namespace }),
    );
    recordObservation(victim ? '10-counter-growth-frozen' : '10-counter-growth', grown);
    holds(judgeCounterGrowth(grown));
    s.record('recordsInGrowth', grown.last! - grown.before!, 'count');
  });

  step('Cassandra metrics are scraped where an exporter runs', async () => {
    const targets = cassandraTargets(await prometheus.activeTargets());
    if (targets.length === 0) skipBecause('no Prometheus target with a cassandra job or label: this Cassandra exports no Prometheus metrics (the lab’s does not)');
    const series = await scalarOf(prometheus, cassandraSeriesQuery(targets));
    expect(series ?? 0, `Cassandra series of the targets ${targets.map((t) => t.scrapeUrl).join(', ')} (${describeTargets(targets)})`).toBeGreaterThan(0);
    s.record('cassandraSeries', series!, 'count');
  });

  step('Grafana’s Prometheus datasource is healthy', async () => {
    const { grafanaUrl, grafanaCredentials } = s.config.monitoring;
    if (!grafanaUrl) skipBecause('monitoring.grafanaUrl is not configured (the lab has no Grafana)');
    const grafana = new Grafana(grafanaUrl, grafanaCredentials);
    const sources = await grafana.prometheusDatasources();
    expect(sources.map((d) => d.name), `Prometheus datasources in Grafana at ${grafanaUrl}`).not.toEqual([]);
    for (const ds of sources) {
      const health = await grafana.health(ds);
      expect(health.status, `health of datasource ${ds.name} (${ds.url}): ${health.message}`).toBe('OK');
    }
  });
});
