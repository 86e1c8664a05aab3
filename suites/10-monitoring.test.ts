// 10 Monitoring: the paper watched Flink and Cassandra in Grafana dashboards over Prometheus. Here
// Prometheus must answer where it is configured and scrape live targets; a running job's JobManager
// and TaskManager metrics must reach it and its record counter grow from one scrape to the next;
// Cassandra's metrics are checked where an exporter is scraped, Grafana's datasource where one is
// configured (each SKIPPED with the reason otherwise).
import { FlinkDeploymentHandle } from '../lib/flink/deployment.ts';
import { recordObservation } from '../lib/flink/record-observation.ts';
import { whileFrozen } from '../lib/lab/index.ts';
import { apply } from '../lib/k8s/objects.ts';
import { observePrometheus } from '../lib/monitoring/connect.ts';
import { cassandraTargets, cassandraSeriesQuery } from '../lib/monitoring/cassandra.ts';
import { flinkSeries, flinkSeriesCountQuery } from '../lib/monitoring/flink.ts';
import { Grafana, observeGrafanaDatasources } from '../lib/monitoring/grafana.ts';
import { judgeGrafanaDatasources } from '../lib/monitoring/grafana-judge.ts';
import { describeTargets, selector, type Prometheus } from '../lib/monitoring/prometheus.ts';
import { announceAbsentCassandraExporter } from '../lib/monitoring/sabotage.ts';
import { judgePrometheusScrapes } from '../lib/monitoring/prometheus-judge.ts';
import { judgeCassandraSeries, judgeRunningJobsMetric, type CassandraSeriesObservation, type RunningJobsObservation } from '../lib/monitoring/series-judge.ts';
import { judgeCounterGrowth } from '../lib/monitoring/counter-growth.ts';
import { medianQueryMs, observeCounterGrowth, scalarOf, untilSeries } from '../lib/monitoring/wait.ts';
import { step, suite } from '../lib/suite/dsl.ts';
import { faultActive } from '../lib/suite/selftest-faults.ts';
import { holds } from '../lib/util/judgement.ts';
import { monitoringPlan } from '../lib/suite/plans.ts';
import { skipBecause } from '../lib/suite/skip.ts';
import { secondsSince } from '../lib/util/time.ts';
import { until } from '../lib/util/until.ts';

suite('10-monitoring', (s) => {
  const prometheusSeen = s.fixture(
    'the connection to Prometheus',
    () => observePrometheus(s.flink, s.config, s.timeout('metrics')),
    async ({ connection }) => connection?.close(),
  );
  const monitored = s.fixture('the job with Flink’s Prometheus reporter on', async () => {
    const plan = monitoringPlan(s.config, s.namespace, s.labels());
    for (const obj of plan.serviceAccount) await apply(s.flink, obj);
    const fd = new FlinkDeploymentHandle(s, plan.monitored);
    await fd.apply();
    return fd;
  });
  let prometheus: Prometheus;
  let jobId: string;
  let runningAt: number;

  step('Prometheus answers and has targets it scrapes', async () => {
    const { connection, observed } = await prometheusSeen();
    recordObservation('10-prometheus', observed);
    holds(judgePrometheusScrapes(observed));
    prometheus = connection!.prometheus;
    s.record('queryLatency', await medianQueryMs(prometheus, 'up', 5), 'ms', { prometheusVersion: observed.version! });
    s.record('activeTargets', observed.targets!.active, 'count');
  });

  step('the job runs with Flink’s Prometheus reporter on', async () => {
    jobId = (await until((await monitored()).status({ lifecycleState: 'STABLE', job: 'RUNNING' }), s.deadline('jobRunning'))).jobStatus!.jobId!;
    runningAt = Date.now();
  });

  step('its TaskManager and JobManager metrics reach Prometheus', async () => {
    const wait = { timeoutMs: s.timeout('metrics'), namespace: s.namespace };
    await untilSeries(prometheus, selector(flinkSeries.taskRecordsIn, { job_id: jobId }), wait);
    s.record('timeToMetrics', secondsSince(runningAt), 's');
    const promql = selector(flinkSeries.runningJobs, { namespace: s.namespace });
    const running: RunningJobsObservation = { promql, where: prometheus.where, samples: await untilSeries(prometheus, promql, wait) };
    recordObservation('10-running-jobs', running);
    holds(judgeRunningJobsMetric(running));
    s.record('flinkSeries', (await scalarOf(prometheus, flinkSeriesCountQuery(s.namespace))) ?? 0, 'count');
  });

  step('the job’s records-in counter grows from one scrape to the next', async () => {
    const promql = `sum(${selector(flinkSeries.taskRecordsIn, { job_id: jobId })})`;
    const victim = faultActive('flink-taskmanager-frozen', s.config.target) ? (await (await monitored()).pods('taskmanager'))[0] : undefined;
    const grown = await whileFrozen(victim, 'flink-main-container', () =>
      observeCounterGrowth(prometheus, promql, { timeoutMs: s.timeout('metrics'), namespace: s.namespace }),
    );
    recordObservation(victim ? '10-counter-growth-frozen' : '10-counter-growth', grown);
    holds(judgeCounterGrowth(grown));
    s.record('recordsInGrowth', grown.last! - grown.before!, 'count');
  });

  step('Cassandra metrics are scraped where an exporter runs', async () => {
    if (faultActive('cassandra-exporter-absent', s.config.target)) {
      await announceAbsentCassandraExporter(s.flink, prometheus, { namespace: s.namespace, labels: s.labels(), image: s.config.flink.image, timeoutMs: s.timeout('metrics') });
    }
    const targets = cassandraTargets(await prometheus.activeTargets());
    if (targets.length === 0) skipBecause('no Prometheus target with a cassandra job or label: this Cassandra exports no Prometheus metrics (the lab’s does not)');
    const promql = cassandraSeriesQuery(targets);
    const observed: CassandraSeriesObservation = {
      promql,
      where: prometheus.where,
      scrapeUrls: targets.map((t) => t.scrapeUrl),
      targets: describeTargets(targets),
      series: await scalarOf(prometheus, promql),
    };
    recordObservation('10-cassandra-series', observed);
    holds(judgeCassandraSeries(observed));
    s.record('cassandraSeries', observed.series!, 'count');
  });

  step('Grafana’s Prometheus datasource is healthy', async () => {
    const { grafanaUrl, grafanaCredentials } = s.config.monitoring;
    if (!grafanaUrl) skipBecause('monitoring.grafanaUrl is not configured (the lab has no Grafana)');
    const observed = await observeGrafanaDatasources(new Grafana(grafanaUrl, grafanaCredentials), grafanaUrl);
    recordObservation('10-grafana-datasources', observed);
    holds(judgeGrafanaDatasources(observed));
  });
});
