// Where the suite finds Prometheus: `monitoring.prometheusUrl` when set (reachable from where
// streamcert runs); otherwise the Service `monitoring.prometheusService` port `monitoring.prometheusPort`
// in `namespaces.monitoring`, reached like Flink REST through a port-forward to one of its Ready pods.
import type { V1Service } from '@kubernetes/client-node';
import type { StreamcertConfig } from '../config/schema.ts';
import type { Cluster } from '../k8s/cluster.ts';
import { portForward } from '../k8s/portforward.ts';
import { Prometheus, type HttpGet } from './prometheus.ts';

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
