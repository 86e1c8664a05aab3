// What the real operators do through the management API, done over CQL from the lab host (which
// reaches pod IPs on the lab's bridge): first-time auth set-up of a datacenter and login checks.
// The driver is used directly, not the harness's CQL client: the lab's emulated operators and the
// checks that judge them must not share code.
import { randomInt } from 'node:crypto';
import cassandra from 'cassandra-driver';
import type { Cluster } from '../../k8s/cluster.ts';

export interface CqlCredentials {
  username: string;
  password: string;
}

/** One node's CQL session, as the operators' management calls use it. */
export interface CqlSession {
  execute(query: string, params?: unknown[]): Promise<cassandra.types.ResultSet>;
  close(): Promise<void>;
}

/** A session to the node at `ip` only (never routed to its peers). */
async function connect(ip: string, credentials: CqlCredentials, dc: string): Promise<CqlSession> {
  const endpoint = `${ip}:9042`;
  const client = new cassandra.Client({
    contactPoints: [endpoint],
    localDataCenter: dc,
    credentials,
    policies: { loadBalancing: new cassandra.policies.loadBalancing.AllowListPolicy(new cassandra.policies.loadBalancing.DCAwareRoundRobinPolicy(dc), [endpoint]) },
    pooling: { coreConnectionsPerHost: { [cassandra.types.distance.local]: 1, [cassandra.types.distance.remote]: 0 } },
    socketOptions: { readTimeout: 20_000, connectTimeout: 5_000 },
    protocolOptions: { maxSchemaAgreementWaitSeconds: 5 },
  });
  try {
    await client.connect();
  } catch (err) {
    await client.shutdown().catch(() => undefined);
    throw err;
  }
  return {
    execute: (query, params) => client.execute(query, params as cassandra.ArrayOrObject | undefined, { prepare: params !== undefined }),
    close: () => client.shutdown().catch(() => undefined),
  };
}

/** Whether the driver's error is a refused login (wrapped in NoHostAvailableError), and its message. */
function describeLoginError(err: unknown): { refused: boolean; message: string } {
  const inner = err instanceof cassandra.errors.NoHostAvailableError ? Object.values(err.innerErrors ?? {}) : [err];
  const refused = inner.some((e) => e instanceof cassandra.errors.AuthenticationError);
  const message = inner.map((e) => (e instanceof Error ? e.message : String(e))).join('; ') || (err as Error).message;
  return { refused, message };
}

/** k8ssandra-operator's generated passwords: 20 characters of this set (pkg/secret). */
const passwordCharacters = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function randomPassword(length = 20): string {
  return Array.from({ length }, () => passwordCharacters[randomInt(passwordCharacters.length)]).join('');
}

const defaultSuperuser: CqlCredentials = { username: 'cassandra', password: 'cassandra' };

export type LoginResult = { ok: true; session: CqlSession } | { ok: false; refused: boolean; message: string };

// `cluster` is unused: pod IPs are reachable from the lab host. Kept so callers read as the operators' calls do.
export async function login(_cluster: Cluster, ip: string, credentials: CqlCredentials, dc: string): Promise<LoginResult> {
  try {
    return { ok: true, session: await connect(ip, credentials, dc) };
  } catch (err) {
    return { ok: false, ...describeLoginError(err) };
  }
}

const quoteName = (s: string) => `"${s.replaceAll('"', '""')}"`;
const quoteString = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** The system keyspaces k8ssandra-operator moves to NetworkTopologyStrategy (updateReplicationOfSystemKeyspaces). */
export const systemKeyspaces = ['system_auth', 'system_distributed', 'system_traces'];

export type AuthSetup = { done: true; steps: string[] } | { done: false; waiting: string };

/**
 * Sets a fresh datacenter's authentication up as the operators do: system keyspaces replicated
 * NetworkTopologyStrategy {dc: rf}, the superuser role from the secret, and the default `cassandra`
 * superuser made unusable (random password, no login, no superuser). Idempotent: a datacenter whose
 * superuser already logs in only gets the default superuser disabled (again).
 */
export async function setUpAuth(cluster: Cluster, ip: string, dc: string, rf: number, superuser: CqlCredentials): Promise<AuthSetup> {
  const steps: string[] = [];
  let mine = await login(cluster, ip, superuser, dc);
  if (!mine.ok) {
    const initial = await login(cluster, ip, defaultSuperuser, dc);
    if (!initial.ok) {
      // Right after start the default role is created a moment after CQL opens; also seen when the
      // default superuser was disabled but the secret's password no longer matches its role.
      return { done: false, waiting: `neither ${superuser.username} nor the default superuser can log in yet (${initial.message})` };
    }
    const s = initial.session;
    try {
      for (const ks of systemKeyspaces) {
        await s.execute(`ALTER KEYSPACE ${ks} WITH replication = {'class': 'NetworkTopologyStrategy', ${quoteString(dc)}: ${rf}}`);
      }
      steps.push(`${systemKeyspaces.join(', ')} replicated NetworkTopologyStrategy {${dc}: ${rf}}`);
      const role = `${quoteName(superuser.username)} WITH PASSWORD = ${quoteString(superuser.password)} AND SUPERUSER = true AND LOGIN = true`;
      const exists = (await s.execute('SELECT role FROM system_auth.roles WHERE role = ?', [superuser.username])).rowLength > 0;
      await s.execute(`${exists ? 'ALTER' : 'CREATE'} ROLE ${role}`);
      steps.push(`superuser role ${superuser.username} ${exists ? 'updated' : 'created'}`);
    } finally {
      await s.close();
    }
    mine = await login(cluster, ip, superuser, dc);
    if (!mine.ok) return { done: false, waiting: `the new superuser ${superuser.username} cannot log in yet (${mine.message})` };
  }
  try {
    const rs = await mine.session.execute("SELECT can_login, is_superuser FROM system_auth.roles WHERE role = 'cassandra'");
    const row = rs.first();
    if (row && (row.get('can_login') || row.get('is_superuser'))) {
      await mine.session.execute(`ALTER ROLE cassandra WITH PASSWORD = ${quoteString(randomPassword(32))} AND SUPERUSER = false AND LOGIN = false`);
      steps.push('default superuser cassandra disabled');
    }
  } finally {
    await mine.session.close();
  }
  return { done: true, steps };
}

/**
 * Lowers the system keyspaces' replication in `dc` to `rf` where it is higher. Before a datacenter
 * shrinks below its system RF: Cassandra reads roles at LOCAL_QUORUM (auth_read_consistency_level),
 * so with fewer nodes than replicas nobody could log in any more.
 */
export async function capSystemReplication(cluster: Cluster, ip: string, dc: string, rf: number, credentials: CqlCredentials): Promise<string[]> {
  const r = await login(cluster, ip, credentials, dc);
  if (!r.ok) throw new Error(`cannot log in to lower the system keyspaces' replication: ${r.message}`);
  const changed: string[] = [];
  try {
    for (const ks of systemKeyspaces) {
      const row = (await r.session.execute('SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?', [ks])).first();
      const replication = (row?.get('replication') ?? {}) as Record<string, string>;
      if (Number(replication[dc] ?? 0) <= rf) continue;
      await r.session.execute(`ALTER KEYSPACE ${ks} WITH replication = {'class': 'NetworkTopologyStrategy', ${quoteString(dc)}: ${rf}}`);
      changed.push(`${ks} ${replication[dc]} → ${rf}`);
    }
  } finally {
    await r.session.close();
  }
  return changed;
}

/** Logs in as `credentials` on one node and reads what cass-operator puts in nodeStatuses. */
export async function nodeStatus(
  cluster: Cluster,
  ip: string,
  credentials: CqlCredentials,
  dc: string,
): Promise<{ ok: true; hostID: string; rack: string } | { ok: false; message: string }> {
  const r = await login(cluster, ip, credentials, dc);
  if (!r.ok) return { ok: false, message: r.message };
  try {
    const row = (await r.session.execute('SELECT host_id, rack FROM system.local')).first();
    return { ok: true, hostID: String(row?.get('host_id') ?? ''), rack: String(row?.get('rack') ?? '') };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  } finally {
    await r.session.close();
  }
}
