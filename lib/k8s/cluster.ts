// One handle per Kubernetes cluster the run talks to: the kubeconfig, typed API clients and the
// generic object API. Connecting checks reachability first, so an unreachable cluster costs seconds
// and one clear line, not a long timeout inside a suite.
import { existsSync } from 'node:fs';
import {
  AppsV1Api,
  AuthorizationV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  VersionApi,
  type VersionInfo,
} from '@kubernetes/client-node';
import { EnvironmentError } from '../errors.ts';
import { withTimeout } from '../util/time.ts';

export interface ClusterAccess {
  kubeconfig?: string;
  context?: string;
}

export class Cluster {
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly authz: AuthorizationV1Api;
  readonly objects: KubernetesObjectApi;
  readonly version: VersionApi;

  constructor(
    readonly kc: KubeConfig,
    /** How this cluster is named in messages: `flink cluster (context lab)`. */
    readonly label: string,
  ) {
    this.core = kc.makeApiClient(CoreV1Api);
    this.apps = kc.makeApiClient(AppsV1Api);
    this.authz = kc.makeApiClient(AuthorizationV1Api);
    this.objects = KubernetesObjectApi.makeApiClient(kc);
    this.version = kc.makeApiClient(VersionApi);
  }

  get server(): string {
    return this.kc.getCurrentCluster()?.server ?? '(no server in kubeconfig)';
  }

  get contextName(): string {
    return this.kc.getCurrentContext();
  }
}

export function loadKubeConfig(access: ClusterAccess, label: string): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (access.kubeconfig) {
      if (!existsSync(access.kubeconfig)) {
        throw new EnvironmentError(`${label}: kubeconfig not found: ${access.kubeconfig}`);
      }
      kc.loadFromFile(access.kubeconfig);
    } else {
      kc.loadFromDefault();
    }
  } catch (err) {
    if (err instanceof EnvironmentError) throw err;
    throw new EnvironmentError(`${label}: cannot read kubeconfig: ${(err as Error).message}`);
  }
  if (access.context) {
    if (!kc.getContextObject(access.context)) {
      const known = kc.getContexts().map((c) => c.name).join(', ') || 'none';
      throw new EnvironmentError(`${label}: context "${access.context}" not in kubeconfig (contexts: ${known})`);
    }
    kc.setCurrentContext(access.context);
  }
  if (!kc.getCurrentCluster()) {
    throw new EnvironmentError(`${label}: kubeconfig has no current cluster (set a context)`);
  }
  return kc;
}

function reasonOf(err: unknown): string {
  const e = err as { code?: number | string; message?: string; cause?: { code?: string; message?: string } };
  if (typeof e.code === 'number' && (e.code === 401 || e.code === 403)) {
    return `credentials rejected (HTTP ${e.code})`;
  }
  const cause = e.cause?.code ?? (typeof e.code === 'string' ? e.code : undefined);
  const msg = (e.cause?.message ?? e.message ?? String(err)).split('\n')[0];
  return cause && !msg?.includes(cause) ? `${cause}: ${msg}` : (msg ?? 'unknown error');
}

/** Connects and asks the API server for its version; fails fast with one line naming the server. */
export async function connect(access: ClusterAccess, label: string, timeoutMs: number): Promise<{
  cluster: Cluster;
  version: VersionInfo;
}> {
  const kc = loadKubeConfig(access, label);
  const cluster = new Cluster(kc, label);
  try {
    const version = await withTimeout(cluster.version.getCode(), timeoutMs, `no answer in ${timeoutMs / 1000}s`);
    return { cluster, version };
  } catch (err) {
    throw new EnvironmentError(
      `${label}: cannot reach the Kubernetes API at ${cluster.server} (context ${cluster.contextName}): ${reasonOf(err)}`,
    );
  }
}
