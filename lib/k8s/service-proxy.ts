// HTTP GET through the API server's service proxy (`services/proxy`), with the kubeconfig's
// credentials. For Services a port-forward cannot reach: one without a selector has no pod to
// forward to (its endpoints are written by hand, e.g. a host process or something outside the
// cluster), while the API server proxies to whatever its Endpoints name.
import { request } from 'node:https';
import type { Cluster } from './cluster.ts';

export interface ServiceRef {
  namespace: string;
  service: string;
  /** Service port number (or name). */
  port: number | string;
}

export function serviceProxyPath(ref: ServiceRef, path: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(ref.namespace)}/services/${encodeURIComponent(ref.service)}:${ref.port}/proxy${path}`;
}

export async function serviceProxyGet(cluster: Cluster, ref: ServiceRef, path: string, timeoutMs = 15_000): Promise<{ status: number; body: string }> {
  const opts: Record<string, unknown> = {};
  await cluster.kc.applyToHTTPSOptions(opts as never);
  const url = `${cluster.server.replace(/\/$/, '')}${serviceProxyPath(ref, path)}`;
  return new Promise((resolve, reject) => {
    const req = request(url, { ...opts, method: 'GET', timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} in ${timeoutMs / 1000}s`)));
    req.on('error', reject);
    req.end();
  });
}
