import { describe, expect, it } from 'vitest';
import { prometheusConfig } from '../lab/index.ts';
import { cassandraSeriesQuery, cassandraTargets } from './cassandra.ts';
import { describeTargets, Prometheus, selector, type ScrapeTarget } from './prometheus.ts';

const target = (pool: string, health: ScrapeTarget['health'], labels: Record<string, string>, lastError = ''): ScrapeTarget => ({
  scrapePool: pool,
  scrapeUrl: `http://${labels.instance ?? 'x'}/metrics`,
  labels: { job: pool, ...labels },
  health,
  lastError,
  lastScrape: '2026-11-24T20:00:00Z',
});

describe('Prometheus client', () => {
  it('parses vector and scalar results and reports API errors with the query', async () => {
    const answers: Record<string, unknown> = {
      'up': { status: 'success', data: { resultType: 'vector', result: [{ metric: { job: 'etcd' }, value: [1700000000.5, '1'] }] } },
      '1+1': { status: 'success', data: { resultType: 'scalar', result: [1700000000, '2'] } },
      'bad(': { status: 'error', errorType: 'bad_data', error: 'parse error' },
    };
    const p = new Prometheus(async (path) => {
      const q = decodeURIComponent(new URL(path, 'http://x').searchParams.get('query') ?? '');
      const a = answers[q];
      return { status: a && (a as { status: string }).status === 'success' ? 200 : 400, body: JSON.stringify(a) };
    }, 'test');
    expect(await p.query('up')).toEqual([{ metric: { job: 'etcd' }, at: 1700000000.5, value: 1 }]);
    expect(await p.query('1+1')).toEqual([{ metric: {}, at: 1700000000, value: 2 }]);
    await expect(p.query('bad(')).rejects.toThrow(/bad_data parse error/);
  });

  it('writes selectors with escaped label values', () => {
    expect(selector('flink_jobmanager_numRunningJobs')).toBe('flink_jobmanager_numRunningJobs');
    expect(selector('m', { job_id: 'ab', x: 'a"b' })).toBe('m{job_id="ab",x="a\\"b"}');
  });

  it('summarises targets per scrape pool with the first error', () => {
    const s = describeTargets([
      target('kubernetes-pods', 'up', { instance: '10.211.0.20:9249' }),
      target('kubernetes-pods', 'down', { instance: '10.211.0.21:9249' }, 'connection refused'),
      target('etcd', 'up', { instance: '127.0.0.1:12381' }),
    ]);
    expect(s).toBe('kubernetes-pods 1 up, 1 not up (connection refused); etcd 1 up');
  });
});

describe('Cassandra targets', () => {
  it('are the targets whose job or labels name Cassandra', () => {
    const ts = [
      target('kubernetes-pods', 'up', { instance: '10.0.0.5:9000', app_kubernetes_io_name: 'cassandra' }),
      target('cassandra-mcac', 'up', { instance: '10.0.0.6:9103' }),
      target('kubernetes-pods', 'up', { instance: '10.0.0.7:9249', app: 'flink' }),
    ];
    const found = cassandraTargets(ts);
    expect(found.map((t) => t.labels.instance)).toEqual(['10.0.0.5:9000', '10.0.0.6:9103']);
    expect(cassandraSeriesQuery(found)).toBe('count({__name__=~"mcac_.+|org_apache_cassandra_.+|cassandra_.+",instance=~"10\\\\.0\\\\.0\\\\.5:9000|10\\\\.0\\\\.0\\\\.6:9103"})');
  });
});

describe("the lab's Prometheus configuration", () => {
  it('scrapes annotated pods at their annotated port with namespace and pod labels', () => {
    const cfg = prometheusConfig() as { scrape_configs: { job_name: string; relabel_configs?: Record<string, unknown>[] }[] };
    const pods = cfg.scrape_configs.find((j) => j.job_name === 'kubernetes-pods')!;
    expect(pods.relabel_configs).toContainEqual({ source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'], regex: 'true', action: 'keep' });
    expect(pods.relabel_configs!.map((r) => r.target_label)).toEqual(expect.arrayContaining(['__address__', 'namespace', 'pod']));
    expect(cfg.scrape_configs.map((j) => j.job_name)).toEqual(['prometheus', 'kubernetes-pods', 'kube-apiserver']);
  });
});
