// A CQL session as the suites use it: through a port-forward to a Service or one pod (any cluster), or
// to a configured address (a LoadBalancer, the paper's Stargate service). The driver would otherwise
// discover every node by its pod address and try to reach it directly, which works from inside a
// cluster only: an allow-list keeps it on the one endpoint we can reach.
import cassandra from 'cassandra-driver';
import type { Cluster } from '../k8s/cluster.ts';
import { portForward, type Forward, type ForwardTarget } from '../k8s/portforward.ts';
import { WaitEnded } from '../util/time.ts';

export interface CqlCredentials {
  username: string;
  password: string;
}

export type CqlTarget = { namespace: string; service: string } | { namespace: string; pod: string } | { address: string };

export interface CqlOptions {
  localDataCenter: string;
  /** Per-request timeout; the paper's count(*) ran into cqlsh's 10 s default. */
  readTimeoutMs?: number;
  connectTimeoutMs?: number;
}

/** Login refused: final, so a wait stops at once instead of retrying until its deadline. */
/** A refused login never turns into an accepted one: a wait that logs in ends at once on it. */
export class CqlAuthenticationError extends WaitEnded {
  override name = 'CqlAuthenticationError';
}

export class CqlSession {
  constructor(
    readonly client: cassandra.Client,
    /** What the session reaches, for messages: `service ns/demo-dc1-service` or an address. */
    readonly describe: string,
    private readonly forward?: Forward,
  ) {}

  execute(query: string, params?: unknown[], options: cassandra.QueryOptions = {}): Promise<cassandra.types.ResultSet> {
    return this.client.execute(query, params as cassandra.ArrayOrObject | undefined, { prepare: params !== undefined, ...options });
  }

  /** The release the node reports (system.local), e.g. `5.0.9`. */
  async releaseVersion(): Promise<string> {
    const rs = await this.execute('SELECT release_version FROM system.local');
    return String(rs.first()?.get('release_version') ?? 'unknown');
  }

  async close(): Promise<void> {
    await this.client.shutdown().catch(() => undefined);
    await this.forward?.close();
  }
}

/** What a target is, for messages: `service ns/name`, `pod ns/name`, `address host:port`. */
export function describeTarget(target: CqlTarget): string {
  if ('address' in target) return `address ${target.address}`;
  return 'service' in target ? `service ${target.namespace}/${target.service}` : `pod ${target.namespace}/${target.pod}`;
}

/** The driver wraps a refused login in NoHostAvailableError; say plainly that the login was refused. */
function explainConnectError(err: unknown, user: string, where: string): Error {
  const inner = err instanceof cassandra.errors.NoHostAvailableError ? Object.values(err.innerErrors ?? {}) : [err];
  const auth = inner.find((e) => e instanceof cassandra.errors.AuthenticationError) as Error | undefined;
  if (auth) return new CqlAuthenticationError(`CQL login as ${user} refused by ${where}: ${auth.message}`);
  const detail = inner.map((e) => (e instanceof Error ? e.message : String(e))).join('; ') || (err as Error).message;
  return new Error(`cannot reach CQL at ${where}: ${detail}`);
}

export async function openCql(cluster: Cluster, target: CqlTarget, credentials: CqlCredentials, opts: CqlOptions): Promise<CqlSession> {
  const where = describeTarget(target);
  let forward: Forward | undefined;
  let endpoint: string;
  if ('address' in target) {
    endpoint = target.address.includes(':') ? target.address : `${target.address}:9042`;
  } else {
    forward = await portForward(cluster, { ...(target as ForwardTarget), port: 9042 } as ForwardTarget);
    endpoint = `127.0.0.1:${forward.localPort}`;
  }
  const [host, port] = [endpoint.slice(0, endpoint.lastIndexOf(':')), Number(endpoint.slice(endpoint.lastIndexOf(':') + 1))];
  const client = new cassandra.Client({
    contactPoints: [`${host}:${port}`],
    localDataCenter: opts.localDataCenter,
    credentials,
    policies: {
      loadBalancing: new cassandra.policies.loadBalancing.AllowListPolicy(
        new cassandra.policies.loadBalancing.DCAwareRoundRobinPolicy(opts.localDataCenter),
        [`${host}:${port}`],
      ),
      // A node that went away (a chaos kill) is tried again every half second, not with the default
      // exponential back-off that would leave the session idle for minutes after the node is back.
      reconnection: new cassandra.policies.reconnection.ConstantReconnectionPolicy(500),
    },
    pooling: { coreConnectionsPerHost: { [cassandra.types.distance.local]: 1, [cassandra.types.distance.remote]: 0 } },
    socketOptions: { readTimeout: opts.readTimeoutMs ?? 12_000, connectTimeout: opts.connectTimeoutMs ?? 10_000 },
    // Schema agreement waits only make sense with every node reachable; through one endpoint they time out.
    protocolOptions: { maxSchemaAgreementWaitSeconds: 5 },
  });
  try {
    await client.connect();
  } catch (err) {
    await client.shutdown().catch(() => undefined);
    await forward?.close();
    throw explainConnectError(err, credentials.username, where);
  }
  return new CqlSession(client, where, forward);
}
