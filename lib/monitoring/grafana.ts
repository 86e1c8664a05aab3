// Grafana's view of Prometheus: its Prometheus datasource(s) and what Grafana's own health check of
// each says (the check Grafana's "Save & test" button runs). Basic auth with the configured login,
// which never appears in a message.
import type { GrafanaDatasourcesObservation } from './grafana-judge.ts';

export interface GrafanaDatasource {
  uid: string;
  name: string;
  type: string;
  url: string;
}

export interface DatasourceHealth {
  status: string;
  message: string;
}

export class Grafana {
  private readonly base: string;
  private readonly headers: Record<string, string>;

  constructor(baseUrl: string, credentials?: { username: string; password: string }) {
    this.base = baseUrl.replace(/\/$/, '');
    this.headers = { Accept: 'application/json' };
    if (credentials) this.headers.Authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  }

  private async getJSON<T>(path: string): Promise<{ status: number; body: T | undefined; text: string }> {
    const res = await fetch(`${this.base}${path}`, { headers: this.headers, signal: AbortSignal.timeout(15_000) });
    const text = await res.text();
    let body: T | undefined;
    try {
      body = JSON.parse(text) as T;
    } catch {
      body = undefined;
    }
    return { status: res.status, body, text };
  }

  async prometheusDatasources(): Promise<GrafanaDatasource[]> {
    const res = await this.getJSON<GrafanaDatasource[]>('/api/datasources');
    if (res.status === 401 || res.status === 403) {
      throw new Error(`Grafana at ${this.base} refused GET /api/datasources (HTTP ${res.status}): check monitoring.grafanaCredentials`);
    }
    if (res.status !== 200 || !Array.isArray(res.body)) {
      throw new Error(`Grafana at ${this.base}: GET /api/datasources answered HTTP ${res.status}: ${res.text.slice(0, 200)}`);
    }
    return res.body.filter((d) => d.type === 'prometheus');
  }

  /** Grafana (9+) asks the datasource itself: `status` is `OK` when Grafana reached Prometheus. */
  async health(ds: GrafanaDatasource): Promise<DatasourceHealth> {
    const res = await this.getJSON<{ status?: string; message?: string }>(`/api/datasources/uid/${encodeURIComponent(ds.uid)}/health`);
    return { status: res.body?.status ?? `HTTP ${res.status}`, message: res.body?.message ?? res.text.slice(0, 200) };
  }
}

/** Grafana's Prometheus datasources and the health of each, for judgeGrafanaDatasources. Never throws. */
export async function observeGrafanaDatasources(grafana: Grafana, where: string): Promise<GrafanaDatasourcesObservation> {
  const observed: GrafanaDatasourcesObservation = { grafana: where, datasources: [] };
  try {
    for (const ds of await grafana.prometheusDatasources()) {
      const health = await grafana.health(ds).catch((err: Error) => ({ status: 'not answered', message: err.message }));
      observed.datasources.push({ name: ds.name, uid: ds.uid, url: ds.url, health });
    }
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    observed.error = e.cause ? `${e.message} (${e.cause.code ?? e.cause.message})` : e.message;
  }
  return observed;
}
