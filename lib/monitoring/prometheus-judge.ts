// 10's "Prometheus answers and has targets it scrapes", as a judge over what streamcert saw of it: a
// Prometheus that cannot be reached, is not ready, or has no target up never passes. Zero targets is
// a failure, not a vacuous pass: a Prometheus that scrapes nothing would make every later metrics
// check wait out its deadline for a reason it would not name.
import { fail, pass, type Judgement } from '../util/judgement.ts';

export interface PrometheusObservation {
  /** Where it was looked for: `Service prometheus in namespace monitoring port 9090 (port-forward)`, or the URL. */
  where: string;
  /** Why it could not be reached or read (no such Service, no port, nothing answers, a non-JSON answer). */
  error?: string;
  /** GET /-/ready: 200 once the TSDB is open and queries are served. */
  ready?: { ready: boolean; status: number; body: string };
  /** /api/v1/status/buildinfo */
  version?: string;
  /** Active scrape targets when a first one was up, or at the deadline: counts and one line per pool. */
  targets?: { active: number; up: number; summary: string };
  /** How long streamcert waited for a target to be up (a Prometheus started moments ago reports `unknown`). */
  waitedSeconds?: number;
}

export function judgePrometheusScrapes(o: PrometheusObservation): Judgement {
  if (o.error) return fail(`expected Prometheus at ${o.where}: ${o.error}`);
  if (!o.ready) return fail(`Prometheus at ${o.where}: GET /-/ready was not observed`);
  if (o.ready.status !== 200) return fail(`GET /-/ready of Prometheus at ${o.where}: expected HTTP 200, got ${o.ready.status}: ${o.ready.body || 'empty body'}`);
  const t = o.targets;
  if (!t || t.active === 0) return fail(`Prometheus at ${o.where} is ready but has no active scrape targets: it scrapes nothing (look at its scrape configuration, /api/v1/targets)`);
  if (t.up === 0) {
    return fail(`none of the ${t.active} active scrape targets of Prometheus at ${o.where} is up after ${(o.waitedSeconds ?? 0).toFixed(1)} s: ${t.summary}`);
  }
  return pass(`Prometheus ${o.version ?? '(version not read)'} at ${o.where} is ready (HTTP 200); ${t.up} of ${t.active} active scrape targets up: ${t.summary}`);
}
