// judgeGrafanaDatasources on each of its sides. The lab has no Grafana; the one recorded observation is
// what the judge received on the lab on 2026-12-04 with monitoring.grafanaUrl set to the lab's
// Prometheus, a server that is not Grafana (run 20261204-020255-05ed, see __fixtures__/grafana/README.md).
// The other sides are built in the shape observeGrafanaDatasources writes, with the answers Grafana 9+
// documents for GET /api/datasources and /api/datasources/uid/<uid>/health ("Successfully queried the
// Prometheus API."; on failure status ERROR and the query error), and say so in their titles.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fail, pass } from '../util/judgement.ts';
import { judgeGrafanaDatasources, type GrafanaDatasourcesObservation } from './grafana-judge.ts';

const notGrafana = (): GrafanaDatasourcesObservation =>
  JSON.parse(readFileSync(new URL('./__fixtures__/grafana/10-grafana-datasources-not-grafana.json', import.meta.url), 'utf8')) as GrafanaDatasourcesObservation;

const grafana = 'http://grafana.monitoring:3000';
const ok = { status: 'OK', message: 'Successfully queried the Prometheus API.' };
const healthy = (): GrafanaDatasourcesObservation => ({
  grafana,
  datasources: [{ name: 'Prometheus', uid: 'PE9C8AA5B1A6E7E89', url: 'http://prometheus.monitoring:9090', health: ok }],
});

describe('judgeGrafanaDatasources', () => {
  it('passes when every Prometheus datasource is healthy (built: one datasource, Grafana\'s OK answer)', () => {
    expect(judgeGrafanaDatasources(healthy())).toEqual(
      pass(`Grafana at ${grafana}: Prometheus (http://prometheus.monitoring:9090) OK: Successfully queried the Prometheus API.`),
    );
  });

  it('fails on the recorded server that is not Grafana: GET /api/datasources answered 404', () => {
    expect(judgeGrafanaDatasources(notGrafana())).toEqual(
      fail("expected Grafana's Prometheus datasources at http://10.96.0.90:9090: Grafana at http://10.96.0.90:9090: GET /api/datasources answered HTTP 404: 404 page not found"),
    );
  });

  it('fails on an empty observation: Grafana lists no Prometheus datasource (built: the healthy one with datasources emptied)', () => {
    expect(judgeGrafanaDatasources({ grafana, datasources: [] })).toEqual(
      fail(`Grafana at ${grafana} has no Prometheus datasource (GET /api/datasources lists none of type prometheus)`),
    );
  });

  it('fails naming the one datasource that is not healthy (built: a second datasource whose Prometheus refuses connections)', () => {
    const o = healthy();
    const message = 'Post "http://prometheus-old.monitoring:9090/api/v1/query": dial tcp 10.96.0.91:9090: connect: connection refused - There was an error returned querying the Prometheus API.';
    o.datasources.push({ name: 'Prometheus (old)', uid: 'P0LD', url: 'http://prometheus-old.monitoring:9090', health: { status: 'ERROR', message } });
    expect(judgeGrafanaDatasources(o)).toEqual(
      fail(
        `1 of 2 Prometheus datasources of Grafana at ${grafana} not healthy (expected status OK from /api/datasources/uid/…/health): ` +
          `Prometheus (old) (http://prometheus-old.monitoring:9090): ERROR: ${message}`,
      ),
    );
  });

  it('fails when a health check was not read (built: the healthy one with its health removed)', () => {
    const o = healthy();
    delete o.datasources[0]!.health;
    expect(judgeGrafanaDatasources(o).reason).toBe(
      `1 of 1 Prometheus datasources of Grafana at ${grafana} not healthy (expected status OK from /api/datasources/uid/…/health): Prometheus (http://prometheus.monitoring:9090): health not read`,
    );
  });

  it('fails on a refused login (built: the error Grafana\'s client raises on HTTP 401, no datasource read)', () => {
    const error = `Grafana at ${grafana} refused GET /api/datasources (HTTP 401): check monitoring.grafanaCredentials`;
    expect(judgeGrafanaDatasources({ grafana, datasources: [], error })).toEqual(fail(`expected Grafana's Prometheus datasources at ${grafana}: ${error}`));
  });
});
