// Where the suite finds Prometheus: `monitoring.prometheusUrl` when set (reachable from where
// streamcert runs); otherwise the Service `monitoring.prometheusService` port `monitoring.prometheusPort`
// in `namespaces.monitoring`, reached like Flink REST through a port-forward to one of its Ready pods;
// and what 10's first check sees of it there.
import type { V1Service } from '@kubernetes/client-node';
import type { StreamcertConfig } from '../config/schema.ts';
import type { Cluster } from '../k8s/cluster.ts';
import { portForward } from '../k8s/portforward.ts';
import type { PrometheusObservation } from './prometheus-judge.ts';
import { describeTargets, Prometheus, type HttpGet, type ScrapeTarget } from './prometheus.ts';
import { Deadline, polled, until } from '../util/until.ts';

export interface PrometheusConnection {
  prometheus: Prometheus;
  close(): Promise<void>;
}

function fetchGet(baseUrl: string, timeoutMs = 15_000): HttpGet {
  const base = baseUrl.replace(/\/$/, '');
  return async (path) => {
    const res = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, body: await res.text() };
  };
}

function statusCode(err: unknown): number | undefined {
  const e = err as { code?: number; statusCode?: number; response?: { statusCode?: number } };
  return e.code ?? e.statusCode ?? e.response?.statusCode;
}

export async function connectPrometheus(cluster: Cluster, config: StreamcertConfig): Promise<PrometheusConnection> {
  const m = config.monitoring;
  if (m.prometheusUrl) return { prometheus: new Prometheus(fetchGet(m.prometheusUrl), m.prometheusUrl), close: async () => {} };

  const namespace = config.namespaces.monitoring;
  const ref = { namespace, service: m.prometheusService, port: m.prometheusPort };
  const what = `Service ${m.prometheusService} in namespace ${namespace}`;
  let svc: V1Service;
  try {
    svc = await cluster.core.readNamespacedService({ name: ref.service, namespace });
  } catch (err) {
    if (statusCode(err) === 404) {
      throw new Error(`no Prometheus: ${what} does not exist (set monitoring.prometheusUrl, or monitoring.prometheusService and namespaces.monitoring)`);
    }
    throw err;
  }
  if (!(svc.spec?.ports ?? []).some((p) => p.port === ref.port)) {
    const ports = (svc.spec?.ports ?? []).map((p) => p.port).join(', ') || 'none';
    throw new Error(`no Prometheus: ${what} has no port ${ref.port} (ports: ${ports}; set monitoring.prometheusPort)`);
  }
  // A port-forward (and the API server's service proxy) reaches pods only: a Prometheus outside the
  // cluster behind hand-written Endpoints is reached by its URL instead.
  if (Object.keys(svc.spec?.selector ?? {}).length === 0) {
    throw new Error(`${what} selects no pods, so a port-forward cannot reach it: set monitoring.prometheusUrl to its address`);
  }
  const fwd = await portForward(cluster, ref);
  return { prometheus: new Prometheus(fetchGet(fwd.url), `${what} port ${ref.port} (port-forward)`), close: () => fwd.close() };
}

/** Where the configuration says Prometheus is, for messages when it cannot be reached. */
export function prometheusAddress(config: StreamcertConfig): string {
  const m = config.monitoring;
  return m.prometheusUrl ?? `Service ${m.prometheusService} in namespace ${config.namespaces.monitoring} port ${m.prometheusPort}`;
}

/**
 * Connects, then reads readiness, build info and the active scrape targets, waiting up to `timeoutMs`
 * for one target to be up; for judgePrometheusScrapes. Never throws on what it sees: a Prometheus that
 * is absent or unready is an observation. The connection, when one was made, is the caller's to close.
 */
export async function observePrometheus(cluster: Cluster, config: StreamcertConfig, timeoutMs: number): Promise<{ connection?: PrometheusConnection; observed: PrometheusObservation }> {
  const observed: PrometheusObservation = { where: prometheusAddress(config) };
  let connection: PrometheusConnection;
  try {
    connection = await connectPrometheus(cluster, config);
  } catch (err) {
    observed.error = (err as Error).message;
    return { observed };
  }
  const p = connection.prometheus;
  observed.where = p.where;
  try {
    observed.ready = await p.ready();
    if (observed.ready.status !== 200) return { connection, observed };
    observed.version = (await p.buildInfo()).version;
    // A Prometheus started moments ago reports its targets' health as unknown until its first scrape
    // of each (up to one scrape interval): wait for one to be up, then keep what was last seen.
    const started = Date.now();
    let targets: ScrapeTarget[] = await p.activeTargets();
    await until(
      polled({
        description: `an active scrape target of Prometheus at ${p.where} to be up`,
        check: async () => ((targets = await p.activeTargets()).some((t) => t.health === 'up') ? true : undefined),
        observe: () => describeTargets(targets) || 'no active targets',
      }),
      Deadline.in(timeoutMs),
    ).catch(() => undefined);
    observed.waitedSeconds = Math.round((Date.now() - started) / 100) / 10;
    observed.targets = { active: targets.length, up: targets.filter((t) => t.health === 'up').length, summary: describeTargets(targets) };
  } catch (err) {
    observed.error = (err as Error).message;
  }
  return { connection, observed };
}
