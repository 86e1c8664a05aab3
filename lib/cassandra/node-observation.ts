// What streamcert sees of each Cassandra node by itself, for judgeClusterReadiness: the pods as the
// API server lists them, and a CQL session to every pod through its own port-forward (not the
// Service, which would hide which node answered), reading system.local and the node's gossip table
// twice, until every heartbeat it knows has moved or the window is over.
import type { V1Pod } from '@kubernetes/client-node';
import type { Cluster } from '../k8s/cluster.ts';
import { CqlAuthenticationError, openCql, type CqlCredentials, type CqlSession } from './cql.ts';
import { gossipState, type CassandraPodObservation, type ClusterReadinessObservation, type GossipEntry, type NodeObservation } from './readiness.ts';
import { podReady } from '../k8s/conditions.ts';
import { Deadline, polled, until } from '../util/until.ts';

export function observePod(p: V1Pod): CassandraPodObservation {
  return {
    name: p.metadata?.name ?? '?',
    ip: p.status?.podIP,
    phase: p.status?.phase,
    ready: podReady(p),
    terminating: Boolean(p.metadata?.deletionTimestamp),
    waiting: p.status?.containerStatuses?.find((c) => c.state?.waiting)?.state?.waiting?.reason,
  };
}

const text = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));
const int = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v));

export async function readGossip(session: CqlSession): Promise<GossipEntry[]> {
  const rs = await session.execute('SELECT address, host_id, dc, status, status_with_port, generation, heartbeat FROM system_views.gossip_info');
  return rs.rows.map((r) => ({
    address: String(r.get('address')),
    hostId: text(r.get('host_id')),
    dc: text(r.get('dc')),
    status: text(r.get('status_with_port')) ?? text(r.get('status')),
    generation: int(r.get('generation')),
    heartbeat: int(r.get('heartbeat')),
  }));
}

export async function readLocal(session: CqlSession): Promise<NonNullable<NodeObservation['local']>> {
  const row = (await session.execute('SELECT host_id, broadcast_address, listen_address, bootstrapped, release_version FROM system.local')).first();
  return {
    hostId: String(row?.get('host_id') ?? ''),
    address: String(row?.get('broadcast_address') ?? row?.get('listen_address') ?? ''),
    bootstrapped: text(row?.get('bootstrapped')),
    releaseVersion: text(row?.get('release_version')),
  };
}

export interface ReadinessTarget {
  cluster: Cluster;
  namespace: string;
  podSelector: string;
  datacenter: string;
  expectedNodes: number;
  credentials: CqlCredentials;
  pods: V1Pod[];
  /** How long to wait for every heartbeat to move; gossip beats once a second. */
  heartbeatWindowMs?: number;
}

export async function observeClusterReadiness(t: ReadinessTarget): Promise<ClusterReadinessObservation> {
  const pods = t.pods.map(observePod);
  const nodes: NodeObservation[] = [];
  const sessions: { node: NodeObservation; session: CqlSession; startedAt: number }[] = [];
  try {
    await Promise.all(
      pods
        .filter((p) => !p.terminating)
        .map(async (p) => {
          const node: NodeObservation = { pod: p.name, login: { ok: true } };
          nodes.push(node);
          let session: CqlSession;
          try {
            session = await openCql(t.cluster, { namespace: t.namespace, pod: p.name }, t.credentials, {
              localDataCenter: t.datacenter,
              connectTimeoutMs: 10_000,
              readTimeoutMs: 10_000,
            });
          } catch (err) {
            node.login = { ok: false, refused: err instanceof CqlAuthenticationError, message: (err as Error).message };
            return;
          }
          try {
            node.local = await readLocal(session);
            const startedAt = Date.now();
            const first = await readGossip(session);
            node.gossip = { first, last: first, secondsBetween: 0 };
            sessions.push({ node, session, startedAt });
          } catch (err) {
            node.error = (err as Error).message.split('\n')[0];
            await session.close();
          }
        }),
    );
    if (sessions.length > 0) {
      const moved = (n: NodeObservation) =>
        n.gossip!.last
          // Entries of other datacenters or of endpoints long gone never move: not worth waiting for.
          .filter((e) => e.dc === t.datacenter && gossipState(e.status) === 'NORMAL')
          .every((e) => {
          const before = n.gossip!.first.find((f) => f.address === e.address);
          return before !== undefined && ((e.generation ?? 0) > (before.generation ?? 0) || (e.heartbeat ?? 0) > (before.heartbeat ?? 0));
        });
      // Not done when the window ends: the last read is the observation, and the judge says what did not move.
      await until(
        polled({
          description: 'every gossip heartbeat to advance',
          check: async () => {
            await Promise.all(
              sessions.map(async ({ node, session, startedAt }) => {
                try {
                  node.gossip!.last = await readGossip(session);
                  node.gossip!.secondsBetween = Math.round((Date.now() - startedAt) / 100) / 10;
                } catch (err) {
                  node.error = `gossip_info read again failed: ${(err as Error).message.split('\n')[0]}`;
                }
              }),
            );
            return sessions.every((x) => moved(x.node)) ? true : undefined;
          },
          intervalMs: 1_000,
        }),
        Deadline.in(t.heartbeatWindowMs ?? 8_000),
      ).catch(() => undefined);
    }
  } finally {
    await Promise.all(sessions.map((x) => x.session.close()));
  }
  nodes.sort((a, b) => a.pod.localeCompare(b.pod));
  return {
    where: `namespace ${t.namespace}, pods ${t.podSelector}`,
    datacenter: t.datacenter,
    expectedNodes: t.expectedNodes,
    username: t.credentials.username,
    pods,
    nodes,
  };
}
