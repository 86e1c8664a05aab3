// A small client for the Prometheus HTTP API (v1): readiness, build info, scrape targets and instant
// queries, which is what the monitoring suite asserts on. How the API is reached (a URL or a
// port-forward) is the transport's business (lib/monitoring/connect.ts).

/** GET `path` (starting with `/`) relative to the Prometheus base URL. */
export type HttpGet = (path: string) => Promise<{ status: number; body: string }>;

export interface BuildInfo {
  version: string;
  revision: string;
  branch: string;
  goVersion: string;
}

export interface ScrapeTarget {
  scrapePool: string;
  scrapeUrl: string;
  /** Target labels after relabelling: `job`, `instance`, `namespace`, `pod`, ... */
  labels: Record<string, string>;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
  lastScrape: string;
}

export interface Sample {
  metric: Record<string, string>;
  value: number;
  /** Evaluation time, epoch seconds. */
  at: number;
}

export class PrometheusError extends Error {
  override name = 'PrometheusError';
}

interface ApiEnvelope<T> {
  status: 'success' | 'error';
  data?: T;
  errorType?: string;
  error?: string;
}

export class Prometheus {
  constructor(
    private readonly get: HttpGet,
    /** How it is reached, for messages: `service monitoring/prometheus:9090 (port-forward)`. */
    readonly where: string,
  ) {}

  /** GET with the address in the message when nothing answers (a port-forward with no Ready pod, a wrong URL). */
  private async fetch(path: string): Promise<{ status: number; body: string }> {
    try {
      return await this.get(path);
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      throw new PrometheusError(`Prometheus at ${this.where} did not answer GET ${path}: ${e.cause?.code ?? e.cause?.message ?? e.message}`);
    }
  }

  private async api<T>(path: string): Promise<T> {
    const res = await this.fetch(path);
    let parsed: ApiEnvelope<T>;
    try {
      parsed = JSON.parse(res.body) as ApiEnvelope<T>;
    } catch {
      throw new PrometheusError(`Prometheus at ${this.where}: GET ${path} answered HTTP ${res.status} with a non-JSON body: ${res.body.slice(0, 200)}`);
    }
    if (parsed.status !== 'success' || parsed.data === undefined) {
      throw new PrometheusError(`Prometheus at ${this.where}: GET ${path} failed (HTTP ${res.status}): ${parsed.errorType ?? ''} ${parsed.error ?? res.body.slice(0, 200)}`.trim());
    }
    return parsed.data;
  }

  /** `/-/ready`: 200 once the TSDB is open and the server serves queries. */
  async ready(): Promise<{ ready: boolean; status: number; body: string }> {
    const res = await this.fetch('/-/ready');
    return { ready: res.status === 200, status: res.status, body: res.body.trim() };
  }

  buildInfo(): Promise<BuildInfo> {
    return this.api<BuildInfo>('/api/v1/status/buildinfo');
  }

  async activeTargets(): Promise<ScrapeTarget[]> {
    const data = await this.api<{ activeTargets: ScrapeTarget[] }>('/api/v1/targets?state=active');
    return data.activeTargets;
  }

  /** An instant query; a vector result as samples, a scalar as one sample without labels. */
  async query(promql: string): Promise<Sample[]> {
    const data = await this.api<{ resultType: string; result: unknown }>(`/api/v1/query?query=${encodeURIComponent(promql)}`);
    if (data.resultType === 'vector') {
      return (data.result as { metric: Record<string, string>; value: [number, string] }[]).map((r) => ({
        metric: r.metric,
        at: r.value[0],
        value: Number(r.value[1]),
      }));
    }
    if (data.resultType === 'scalar') {
      const [at, v] = data.result as [number, string];
      return [{ metric: {}, at, value: Number(v) }];
    }
    throw new PrometheusError(`Prometheus at ${this.where}: query ${promql} returned a ${data.resultType}, expected a vector`);
  }
}

/** `name{a="x",b="y"}`, for queries and messages. */
export function selector(metric: string, labels: Record<string, string> = {}): string {
  const matchers = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);
  return matchers.length ? `${metric}{${matchers.join(',')}}` : metric;
}

/** One line per scrape pool: `kubernetes-pods 3 up, 1 down (connection refused)`. */
export function describeTargets(targets: ScrapeTarget[]): string {
  const pools = new Map<string, ScrapeTarget[]>();
  for (const t of targets) pools.set(t.scrapePool, [...(pools.get(t.scrapePool) ?? []), t]);
  return [...pools.entries()]
    .map(([pool, ts]) => {
      const up = ts.filter((t) => t.health === 'up').length;
      const down = ts.filter((t) => t.health !== 'up');
      const err = down.find((t) => t.lastError)?.lastError;
      return `${pool} ${up} up${down.length ? `, ${down.length} not up${err ? ` (${err})` : ''}` : ''}`;
    })
    .join('; ');
}
