// Minimal HTTPS client for the lab's own bootstrap calls (readiness probes and server-side apply of
// the few objects the lab itself owns), authenticated with the admin client certificate. Suites use
// @kubernetes/client-node against the admin kubeconfig instead.
import { request } from 'node:https';
import { readFileSync } from 'node:fs';
import { pki, pkiFiles } from './certs.ts';
import { apiserverURL } from './topology.ts';
import { plog } from './progress.ts';
import { WaitEnded } from '../util/time.ts';
import { Deadline, polled, until } from '../util/until.ts';

export interface HttpResult {
  status: number;
  body: string;
}

interface TlsOpts {
  ca?: string;
  cert?: string;
  key?: string;
  /** For components whose serving certificate the lab did not issue (self-signed health ports). */
  insecure?: boolean;
}

export function httpsRequest(url: string, method: string, tls: TlsOpts, body?: string, contentType?: string, timeoutMs = 5_000): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        ca: tls.ca ? readFileSync(tls.ca) : undefined,
        cert: tls.cert ? readFileSync(tls.cert) : undefined,
        key: tls.key ? readFileSync(tls.key) : undefined,
        rejectUnauthorized: !tls.insecure,
        headers: body !== undefined ? { 'content-type': contentType ?? 'application/json', 'content-length': Buffer.byteLength(body) } : {},
        timeout: timeoutMs,
      },
      (res) => {
        let data = '';
        res.on('data', (d: Buffer) => (data += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs}ms: ${method} ${url}`)));
    req.on('error', reject);
    req.end(body);
  });
}

function adminTls(): TlsOpts {
  const admin = pki('admin');
  return { ca: pkiFiles.ca.cert, cert: admin.cert, key: admin.key };
}

// 30 s, not the 5 s of a probe: on a 2-core machine running two suites' JVMs, the API server can take
// several seconds over a large object (a server-side apply of the K8ssandraCluster CRD timed out at 5 s
// in CI). A slow answer is not a down API server; readiness probes keep their own short timeout.
const apiTimeoutMs = 30_000;

export function apiRequest(path: string, method = 'GET', body?: string, contentType?: string): Promise<HttpResult> {
  return httpsRequest(`${apiserverURL}${path}`, method, adminTls(), body, contentType, apiTimeoutMs);
}

/** Collection paths of the kinds the lab applies itself. */
const resources: Record<string, { group: string; plural: string; namespaced: boolean }> = {
  Namespace: { group: 'api/v1', plural: 'namespaces', namespaced: false },
  Service: { group: 'api/v1', plural: 'services', namespaced: true },
  Endpoints: { group: 'api/v1', plural: 'endpoints', namespaced: true },
  ServiceAccount: { group: 'api/v1', plural: 'serviceaccounts', namespaced: true },
  ConfigMap: { group: 'api/v1', plural: 'configmaps', namespaced: true },
  EndpointSlice: { group: 'apis/discovery.k8s.io/v1', plural: 'endpointslices', namespaced: true },
  ClusterRole: { group: 'apis/rbac.authorization.k8s.io/v1', plural: 'clusterroles', namespaced: false },
  ClusterRoleBinding: { group: 'apis/rbac.authorization.k8s.io/v1', plural: 'clusterrolebindings', namespaced: false },
  Role: { group: 'apis/rbac.authorization.k8s.io/v1', plural: 'roles', namespaced: true },
  RoleBinding: { group: 'apis/rbac.authorization.k8s.io/v1', plural: 'rolebindings', namespaced: true },
  StorageClass: { group: 'apis/storage.k8s.io/v1', plural: 'storageclasses', namespaced: false },
  APIService: { group: 'apis/apiregistration.k8s.io/v1', plural: 'apiservices', namespaced: false },
};

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
}

/**
 * What a freshly started control plane may answer for a while: etcd timing out on a busy machine (a
 * 5xx), and after such a timeout a fixed cluster IP "already allocated" to a Service whose creation
 * failed, until the apiserver's repair loop frees it (about a minute; seen during the lab's bring-up).
 */
const passing = /provided IP is already allocated/;

/** Server-side apply of `obj` with the lab's field manager; idempotent, so retried through what passes. */
export async function applyObject(obj: KubeObject): Promise<void> {
  const r = resources[obj.kind];
  if (!r) throw new Error(`lab apply: unsupported kind ${obj.kind}`);
  const ns = r.namespaced ? `/namespaces/${obj.metadata.namespace ?? 'default'}` : '';
  const path = `/${r.group}${ns}/${r.plural}/${obj.metadata.name}?fieldManager=streamcert-lab&force=true`;
  let last = '';
  await until(
    polled({
      description: `apply ${obj.kind}/${obj.metadata.name}`,
      check: async () => {
        const res = await apiRequest(path, 'PATCH', JSON.stringify(obj), 'application/apply-patch+yaml');
        if (res.status < 300) return true;
        last = `${res.status} ${res.body.slice(0, 300)}`;
        if (res.status >= 500 || res.status === 429 || passing.test(res.body)) return undefined;
        throw new WaitEnded(`apply ${obj.kind}/${obj.metadata.name}: ${last}`);
      },
      observe: () => last,
      intervalMs: 2000,
    }),
    Deadline.in(180_000),
    { progress: (line) => plog.info(`  ${line}`) },
  );
}

export async function getJSON<T>(path: string): Promise<T | undefined> {
  const res = await apiRequest(path);
  if (res.status === 404) return undefined;
  if (res.status >= 300) throw new Error(`GET ${path}: ${res.status} ${res.body.slice(0, 300)}`);
  return JSON.parse(res.body) as T;
}
