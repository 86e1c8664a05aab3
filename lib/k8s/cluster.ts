// One handle per Kubernetes cluster the run talks to: the kubeconfig, typed API clients and the
// generic object API. Connecting checks reachability first, so an unreachable cluster costs seconds
// and one clear line, not a long timeout inside a suite.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Agent, AgentOptions } from 'node:https';
import { createSecureContext, type SecureContext } from 'node:tls';
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
  shareTlsContexts(kc);
  return kc;
}

type AgentFactory = { createAgent(cluster: { server: string; proxyUrl?: string } | null, options: AgentOptions): Agent };

/**
 * client-node makes a new agent for every request, and each connection then builds its TLS context
 * from the PEM text again (parse the key, the certificate, the CA): a third of the harness's CPU in a
 * suite that mostly waits. The context is built once per credentials and handed to every agent; each
 * request still has a connection of its own, so nothing is reused across an API server restart.
 */
export function shareTlsContexts(kc: KubeConfig): void {
  const factory = kc as unknown as AgentFactory;
  const make = factory.createAgent.bind(kc);
  const contexts = new Map<string, SecureContext>();
  factory.createAgent = (cluster, options) => {
    if (!cluster || cluster.proxyUrl || !cluster.server.startsWith('https:') || options.pfx || options.secureContext) return make(cluster, options);
    const material = { ca: options.ca, cert: options.cert, key: options.key, passphrase: options.passphrase };
    const id = createHash('sha256').update(JSON.stringify(Object.values(material).map((v) => (v === undefined ? null : String(v))))).digest('hex');
    let secureContext = contexts.get(id);
    if (!secureContext) contexts.set(id, (secureContext = createSecureContext(material)));
    return make(cluster, { ...options, secureContext });
  };
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
