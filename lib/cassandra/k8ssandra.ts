// A K8ssandraCluster as the suites see it: created once per run (or adopted when one of that name
// exists), ready as the upstream e2e tests define it, and reached over CQL with the operator's own
// superuser secret. 07, 08 and 09 share it, so it lives in a run-wide namespace that the run removes
// at its end (unless --keep), not in one suite's namespace.
import type { V1Pod, V1Secret } from '@kubernetes/client-node';
import type { StreamcertConfig } from '../config/schema.ts';
import { apply, list, read, type K8sObject } from '../k8s/objects.ts';
import { faultActive } from '../suite/selftest-faults.ts';
import { kinds } from '../k8s/resources.ts';
import { watchedObject } from '../k8s/wait.ts';
import { runIdLabel } from '../run/context.ts';
import { createAllowed } from '../run/ownership.ts';
import type { CassandraContext } from '../suite/handle.ts';
import { CqlAuthenticationError, describeTarget, openCql, type CqlCredentials, type CqlSession, type CqlTarget } from './cql.ts';
import type { LoginError, SuperuserLoginObservation, WrongPasswordObservation } from './login-judge.ts';
import { cassandraNames, type CassandraNames } from './names.ts';
import { observeClusterReadiness } from './node-observation.ts';
import type { ClusterReadinessObservation } from './readiness.ts';
import { conditionTrue, describePods, readyPods } from '../k8s/conditions.ts';
import type { Watched } from '../k8s/wait.ts';
import { until } from '../util/until.ts';
import { k8ssandraPlan } from '../suite/plans.ts';

interface Condition {
  type?: string;
  status?: string;
  message?: string;
}

type K8ssandraClusterObject = K8sObject & {
  metadata: K8sObject['metadata'] & { generation?: number };
  status?: { conditions?: Condition[]; observedGeneration?: number; datacenters?: Record<string, unknown> };
};

type CassandraDatacenterObject = K8sObject & {
  metadata: K8sObject['metadata'] & { generation?: number };
  status?: { conditions?: Condition[]; cassandraOperatorProgress?: string; observedGeneration?: number };
};

/** The run-wide namespace of the Cassandra cluster (or the configured one). */
export function cassandraNamespace(config: StreamcertConfig, runId: string): string {
  return config.namespaces.cassandra ?? `sc-${runId}-cassandra`;
}

export function k8ssandraCluster(config: StreamcertConfig, namespace: string, labels: Record<string, string>): K8sObject {
  const c = config.cassandra;
  return {
    apiVersion: 'k8ssandra.io/v1alpha1',
    kind: 'K8ssandraCluster',
    metadata: { name: c.clusterName, namespace, labels },
    spec: {
      cassandra: {
        serverVersion: c.serverVersion,
        storageConfig: {
          cassandraDataVolumeClaimSpec: {
            ...(c.storageClass ? { storageClassName: c.storageClass } : {}),
            accessModes: ['ReadWriteOnce'],
            resources: { requests: { storage: c.storageSize } },
          },
        },
        datacenters: [{ metadata: { name: c.datacenter }, size: c.size }],
      },
      ...(c.stargate ? { stargate: { size: 1 } } : {}),
    },
  };
}


/** Ready as upstream's e2e tests check it (field notes section 4); undefined while not. */
export function clusterReadiness(kc: K8ssandraClusterObject | undefined): string | undefined {
  if (!kc) return 'K8ssandraCluster not found';
  if (!conditionTrue(kc.status?.conditions, 'CassandraInitialized')) return 'condition CassandraInitialized not True';
  if (kc.status?.observedGeneration !== undefined && kc.status.observedGeneration !== kc.metadata.generation) {
    return `observedGeneration ${kc.status.observedGeneration} != generation ${kc.metadata.generation}`;
  }
  return undefined;
}

export function datacenterReadiness(dc: CassandraDatacenterObject | undefined): string | undefined {
  if (!dc) return 'CassandraDatacenter not found';
  if (!conditionTrue(dc.status?.conditions, 'Ready')) return 'condition Ready not True';
  if (dc.status?.cassandraOperatorProgress !== 'Ready') return `cassandraOperatorProgress ${dc.status?.cassandraOperatorProgress ?? '-'}`;
  if (dc.status?.observedGeneration !== dc.metadata.generation) {
    return `observedGeneration ${dc.status?.observedGeneration ?? '-'} != generation ${dc.metadata.generation}`;
  }
  return undefined;
}

export class CassandraCluster {
  readonly names: CassandraNames;
  readonly namespace: string;

  constructor(private readonly s: CassandraContext) {
    this.names = cassandraNames(s.config.cassandra.clusterName, s.config.cassandra.datacenter);
    this.namespace = cassandraNamespace(s.config, s.run.runId);
    s.evidenceNamespaces.add(this.namespace);
  }

  private get cluster() {
    return this.s.cassandra;
  }

  get replicationFactor(): number {
    return this.s.config.cassandra.replicationFactor;
  }

  /**
   * Creates the namespace and the K8ssandraCluster unless they exist. A cluster of that name not made
   * by this run is adopted as it is (never changed, never deleted): a user's existing K8ssandra.
   */
  async ensure(): Promise<{ created: boolean }> {
    const existing = await read<K8ssandraClusterObject>(this.cluster, kinds.K8ssandraCluster, this.names.cluster, this.namespace);
    if (existing) return { created: false };
    // Preflight refused this already; kept here too so no path creates where the run may not.
    if (!createAllowed(this.s.config, this.namespace, this.s.run.runId)) {
      throw new Error(`refusing to create K8ssandraCluster ${this.names.cluster} in namespace ${this.namespace}: not created by this run and not in namespaces.allowCreate`);
    }
    const manifest = k8ssandraPlan(this.s.config, this.namespace, this.s.labels()).cluster;
    if (!this.s.config.namespaces.cassandra) {
      // Left for the run's end (run cleanup by label): 08 and 09 use it after 07 is over.
      await apply(this.cluster, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: this.namespace, labels: manifest.metadata.labels } });
    }
    if (faultActive('cassandra-auth-off', this.s.config.target)) (manifest.spec as Record<string, unknown>).auth = false;
    await apply(this.cluster, manifest);
    return { created: true };
  }

  /** Whether this run made the cluster (its objects carry this run's id). */
  async ownedByRun(): Promise<boolean> {
    const kc = await read<K8ssandraClusterObject>(this.cluster, kinds.K8ssandraCluster, this.names.cluster, this.namespace);
    return kc?.metadata.labels?.[runIdLabel] === this.s.run.runId;
  }

  async pods(): Promise<V1Pod[]> {
    return (await list<K8sObject>(this.cluster, kinds.Pod, { namespace: this.namespace, labelSelector: this.names.podSelector })) as unknown as V1Pod[];
  }

  /** Waits until the K8ssandraCluster and its CassandraDatacenter are ready as upstream defines it. */
  async untilReady(deadline = this.s.deadline('cassandraReady')): Promise<void> {
    const podsNow = async () => describePods(await this.pods().catch(() => []));
    let pods = 'no pods yet';
    const refreshPods = setInterval(() => void podsNow().then((p) => (pods = p)), 5_000);
    try {
      await until(
        watchedObject<true, K8ssandraClusterObject>(
          this.cluster,
          { kind: kinds.K8ssandraCluster, namespace: this.namespace, name: this.names.cluster },
          {
            description: `K8ssandraCluster ${this.namespace}/${this.names.cluster} to have CassandraInitialized=True`,
            check: (kc) => (clusterReadiness(kc) === undefined ? true : undefined),
            observe: (kc) => `${clusterReadiness(kc) ?? 'ready'}; pods: ${pods}`,
          },
        ),
        deadline,
      );
      await until(
        watchedObject<true, CassandraDatacenterObject>(
          this.cluster,
          { kind: kinds.CassandraDatacenter, namespace: this.namespace, name: this.names.datacenter },
          {
            description: `CassandraDatacenter ${this.namespace}/${this.names.datacenter} to be Ready with cassandraOperatorProgress Ready`,
            check: (dc) => (datacenterReadiness(dc) === undefined ? true : undefined),
            observe: (dc) => `${datacenterReadiness(dc) ?? 'ready'}; pods: ${pods}`,
          },
        ),
        deadline,
      );
    } finally {
      clearInterval(refreshPods);
    }
  }

  /** `count` Cassandra pods Ready and none terminating (after a pod kill or a resize). */
  readyPods(count: number): Watched<V1Pod[]> {
    return readyPods(this.cluster, { namespace: this.namespace, labelSelector: this.names.podSelector }, count, `Cassandra pod(s) of ${this.names.statefulSet}`);
  }

  /** The superuser credentials: the configured override, else the operator's secret. Never logged. */
  async credentials(): Promise<CqlCredentials> {
    const override = this.s.config.cassandra.credentials;
    if (override) return override;
    const secret = await read<V1Secret & K8sObject>(this.cluster, kinds.Secret, this.names.superuserSecret, this.namespace);
    const decode = (key: string) => {
      const value = secret?.data?.[key];
      if (!value) throw new Error(`secret ${this.namespace}/${this.names.superuserSecret} has no key ${key}`);
      return Buffer.from(value, 'base64').toString('utf8');
    };
    if (!secret) throw new Error(`superuser secret ${this.namespace}/${this.names.superuserSecret} does not exist`);
    return { username: decode('username'), password: decode('password') };
  }

  /** The datacenter's Service, or the configured LoadBalancer/Stargate address. */
  private get sessionTarget(): CqlTarget {
    const address = this.s.config.cassandra.address;
    return address ? { address } : { namespace: this.namespace, service: this.names.service };
  }

  /** Where credentials() reads them, for messages. */
  private get credentialsFrom(): string {
    return this.s.config.cassandra.credentials ? 'the configuration (cassandra.credentials)' : `secret ${this.namespace}/${this.names.superuserSecret}`;
  }

  /** A session through the datacenter's Service (or the configured LoadBalancer/Stargate address). */
  async session(credentials?: CqlCredentials): Promise<CqlSession> {
    const session = await openCql(this.cluster, this.sessionTarget, credentials ?? (await this.credentials()), {
      localDataCenter: this.names.datacenter,
    });
    this.s.teardown.add(`CQL session to ${session.describe}`, () => session.close());
    return session;
  }

  /**
   * A login with the superuser credentials and one query over the session, for judgeSuperuserLogin.
   * Never throws on a failed login: that is the judge's call. The session, when one opened, stays open.
   */
  async observeSuperuserLogin(): Promise<{ session?: CqlSession; observed: SuperuserLoginObservation }> {
    const started = Date.now();
    const observed: SuperuserLoginObservation = { credentialsFrom: this.credentialsFrom, where: describeTarget(this.sessionTarget), loggedIn: false };
    let credentials: CqlCredentials;
    try {
      credentials = await this.credentials();
    } catch (err) {
      observed.error = loginError(err);
      return { observed };
    }
    observed.username = credentials.username;
    let session: CqlSession;
    try {
      session = await this.session(credentials);
    } catch (err) {
      observed.error = loginError(err, credentials.password);
      return { observed };
    }
    Object.assign(observed, { loggedIn: true, where: session.describe, secondsToLogin: (Date.now() - started) / 1000 });
    try {
      const queried = performance.now();
      observed.releaseVersion = await session.releaseVersion();
      observed.roundTripMs = Math.round((performance.now() - queried) * 10) / 10;
    } catch (err) {
      observed.error = loginError(err, credentials.password);
    }
    return { session, observed };
  }

  /** A login as the superuser with a password that is not its own, for judgeWrongPasswordRefused. */
  async observeWrongPassword(): Promise<WrongPasswordObservation> {
    const { username } = await this.credentials();
    const password = `wrong-${Date.now()}`;
    const where = describeTarget(this.sessionTarget);
    const started = Date.now();
    try {
      // Accepted: the session stays open until teardown closes it, as every session of the suite does.
      await this.session({ username, password });
      return { username, where, outcome: 'logged in', elapsedMs: Date.now() - started };
    } catch (err) {
      const outcome = err instanceof CqlAuthenticationError ? 'refused' : 'error';
      return { username, where, outcome, error: loginError(err, password), elapsedMs: Date.now() - started };
    }
  }

  /** streamcert's own look at every node (pods, a login on each, gossip), for judgeClusterReadiness. */
  async observeReadiness(): Promise<ClusterReadinessObservation> {
    return observeClusterReadiness({
      cluster: this.cluster,
      namespace: this.namespace,
      podSelector: this.names.podSelector,
      datacenter: this.names.datacenter,
      expectedNodes: this.s.config.cassandra.size,
      credentials: await this.credentials(),
      pods: await this.pods(),
    });
  }

  /** One session per Cassandra node: virtual tables such as system_views.local_write_latency are per node. */
  async nodeSessions(): Promise<CqlSession[]> {
    const credentials = await this.credentials();
    const pods = (await this.pods()).filter((p) => !p.metadata?.deletionTimestamp);
    return Promise.all(
      pods.map(async (p) => {
        const session = await openCql(this.cluster, { namespace: this.namespace, pod: p.metadata!.name! }, credentials, {
          localDataCenter: this.names.datacenter,
        });
        this.s.teardown.add(`CQL session to ${session.describe}`, () => session.close());
        return session;
      }),
    );
  }
}

/** An error as an observation records it: its class and message, the password (if it appears) masked. */
function loginError(err: unknown, password?: string): LoginError {
  const e = err instanceof Error ? err : new Error(String(err));
  const message = password ? e.message.split(password).join('***') : e.message;
  return { name: e.name, message };
}
