// judgePrometheusScrapes on each of its sides. The observations are what the judge received on the lab
// on 2026-12-04 (see __fixtures__/prometheus/README.md): suite 10 passing (run 20261204-020255-05ed,
// Prometheus 3.16.0 ready, 2 of 2 targets up), with monitoring.prometheusService=no-prometheus (run
// 20261204-020445-8295: no such Service) and with monitoring.prometheusUrl pointing under a path
// Prometheus does not serve (run 20261204-020519-7802: /-/ready answers 404). Sides nothing recorded
// are minimal edits of these, named in each test.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fail, pass } from '../util/judgement.ts';
import { judgePrometheusScrapes, type PrometheusObservation } from './prometheus-judge.ts';

const recorded = (name: string): PrometheusObservation =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/prometheus/${name}`, import.meta.url), 'utf8')) as PrometheusObservation;

const scraping = () => recorded('10-prometheus.json');
const prometheus = 'Service prometheus in namespace monitoring port 9090 (port-forward)';

describe('judgePrometheusScrapes', () => {
  it('passes on the recorded run: Prometheus 3.16.0 ready, 2 of 2 active targets up', () => {
    expect(judgePrometheusScrapes(scraping())).toEqual(
      pass(`Prometheus 3.16.0 at ${prometheus} is ready (HTTP 200); 2 of 2 active scrape targets up: kube-apiserver 1 up; prometheus 1 up`),
    );
  });

  it('fails on the recorded absent Prometheus (monitoring.prometheusService=no-prometheus): names the Service and the namespace', () => {
    expect(judgePrometheusScrapes(recorded('10-prometheus-absent.json'))).toEqual(
      fail(
        'expected Prometheus at Service no-prometheus in namespace monitoring port 9090: no Prometheus: Service no-prometheus in namespace monitoring does not exist ' +
          '(set monitoring.prometheusUrl, or monitoring.prometheusService and namespaces.monitoring)',
      ),
    );
  });

  it('fails on the recorded Prometheus that is not ready: GET /-/ready answered 404', () => {
    expect(judgePrometheusScrapes(recorded('10-prometheus-not-ready.json'))).toEqual(
      fail('GET /-/ready of Prometheus at http://10.96.0.90:9090/no-such-prefix: expected HTTP 200, got 404: 404 page not found'),
    );
  });

  it('fails when the ready answer is 503 with an empty body (recorded run with ready edited: a Prometheus still replaying its WAL)', () => {
    expect(judgePrometheusScrapes({ ...scraping(), ready: { ready: false, status: 503, body: '' } })).toEqual(
      fail(`GET /-/ready of Prometheus at ${prometheus}: expected HTTP 200, got 503: empty body`),
    );
  });

  it('fails on zero active targets (recorded run with targets edited to 0 of 0: a Prometheus that scrapes nothing)', () => {
    expect(judgePrometheusScrapes({ ...scraping(), targets: { active: 0, up: 0, summary: '' } })).toEqual(
      fail(`Prometheus at ${prometheus} is ready but has no active scrape targets: it scrapes nothing (look at its scrape configuration, /api/v1/targets)`),
    );
  });

  it('fails when no target is up by the deadline (recorded run with targets edited to 0 of 2 up after 180 s, the last scrape error kept in the summary)', () => {
    const summary = 'kube-apiserver 0 up, 1 not up (server returned HTTP status 401 Unauthorized); prometheus 0 up, 1 not up';
    expect(judgePrometheusScrapes({ ...scraping(), waitedSeconds: 180, targets: { active: 2, up: 0, summary } })).toEqual(
      fail(`none of the 2 active scrape targets of Prometheus at ${prometheus} is up after 180.0 s: ${summary}`),
    );
  });

  it('fails on an empty observation: nothing but where (recorded run with ready, version and targets removed)', () => {
    expect(judgePrometheusScrapes({ where: prometheus })).toEqual(fail(`Prometheus at ${prometheus}: GET /-/ready was not observed`));
  });

  it('fails when the targets could not be read after a ready answer (recorded run with targets removed and the client\'s error added)', () => {
    const { targets: _t, ...o } = scraping();
    const error = `Prometheus at ${prometheus} did not answer GET /api/v1/targets?state=active: ECONNRESET`;
    expect(judgePrometheusScrapes({ ...o, error })).toEqual(fail(`expected Prometheus at ${prometheus}: ${error}`));
  });
});
