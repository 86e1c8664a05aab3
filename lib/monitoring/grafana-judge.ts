// 10's "Grafana's Prometheus datasource is healthy", as a judge over what Grafana said: no Prometheus
// datasource at all never passes (dashboards over Prometheus then show nothing), and every one must
// pass Grafana's own health check (the "Save & test" button), each failing one named.
import { fail, pass, type Judgement } from '../util/judgement.ts';

export interface GrafanaDatasourcesObservation {
  /** monitoring.grafanaUrl */
  grafana: string;
  /** GET /api/datasources failed (refused login, not Grafana, not reachable). */
  error?: string;
  /** Its Prometheus datasources, each with Grafana's health check of it. */
  datasources: { name: string; uid: string; url: string; health?: { status: string; message: string } }[];
}

export function judgeGrafanaDatasources(o: GrafanaDatasourcesObservation): Judgement {
  if (o.error) return fail(`expected Grafana's Prometheus datasources at ${o.grafana}: ${o.error.trim()}`);
  if (o.datasources.length === 0) return fail(`Grafana at ${o.grafana} has no Prometheus datasource (GET /api/datasources lists none of type prometheus)`);
  const unhealthy = o.datasources.filter((d) => d.health?.status !== 'OK');
  if (unhealthy.length > 0) {
    const named = unhealthy.map((d) => `${d.name} (${d.url}): ${d.health ? `${d.health.status}: ${d.health.message}` : 'health not read'}`);
    return fail(`${unhealthy.length} of ${o.datasources.length} Prometheus datasources of Grafana at ${o.grafana} not healthy (expected status OK from /api/datasources/uid/…/health): ${named.join('; ')}`);
  }
  return pass(`Grafana at ${o.grafana}: ${o.datasources.map((d) => `${d.name} (${d.url}) OK: ${d.health!.message}`).join('; ')}`);
}
