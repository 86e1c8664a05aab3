// Is the Cassandra datacenter ready, as streamcert sees it with its own eyes rather than through the
// operator's status (which, on the lab, our own emulated controller writes)? Every pod Ready, every
// node accepting a login as the superuser, bootstrapped, and seen by every node as NORMAL with an
// advancing gossip heartbeat. Cassandra 5.0 exposes no failure-detector verdict over CQL (gossip_info
// has no liveness column; system_views.peers with a state arrives only with TCM after 5.0), so "UP" is
// the input the failure detector itself uses: a heartbeat that moves. A hard-killed node keeps its
// NORMAL status in its peers' gossip for a while, but its heartbeat stops and it refuses our session.
import { fail, pass, type Judgement } from '../util/judgement.ts';

export interface CassandraPodObservation {
  name: string;
  ip?: string;
  phase?: string;
  ready: boolean;
  terminating: boolean;
  /** A container's waiting reason (CrashLoopBackOff, ContainerCreating, …), when there is one. */
  waiting?: string;
}

/** One row of a node's system_views.gossip_info: what that node knows of one endpoint. */
export interface GossipEntry {
  address: string;
  hostId?: string;
  dc?: string;
  /** STATUS_WITH_PORT (else STATUS) as gossiped, e.g. `NORMAL,-4611686018427387904`, `LEAVING,…`, `shutdown,true`. */
  status?: string;
  generation?: number;
  heartbeat?: number;
}

export type LoginOutcome = { ok: true } | { ok: false; refused: boolean; message: string };

export interface NodeObservation {
  pod: string;
  login: LoginOutcome;
  /** system.local of that node, read over its own session. */
  local?: { hostId: string; address: string; bootstrapped?: string; releaseVersion?: string };
  /** The node's gossip table at the first and the last read, `secondsBetween` apart. */
  gossip?: { first: GossipEntry[]; last: GossipEntry[]; secondsBetween: number };
  /** A query that failed after the login. */
  error?: string;
}

export interface ClusterReadinessObservation {
  /** Where the pods were listed, for messages: `namespace ns, pods app.kubernetes.io/…`. */
  where: string;
  datacenter: string;
  /** cassandra.size */
  expectedNodes: number;
  username: string;
  pods: CassandraPodObservation[];
  nodes: NodeObservation[];
}

/** The gossip state without its tokens: `NORMAL`, `BOOT`, `LEAVING`, `LEFT`, `shutdown`, `hibernate`… */
export function gossipState(status: string | undefined): string {
  return (status ?? '').split(',')[0]!.trim() || 'no status';
}

function describePod(p: CassandraPodObservation): string {
  return `${p.name} (${p.waiting ?? p.phase ?? 'no phase'}${p.terminating ? ', terminating' : ''})`;
}

/** The newest entry for a host id in one gossip view (an old address of a restarted pod may linger). */
function entryFor(view: GossipEntry[], hostId: string): GossipEntry | undefined {
  return view.filter((e) => e.hostId === hostId).sort((a, b) => (b.generation ?? 0) - (a.generation ?? 0))[0];
}

function heartbeatAdvanced(first: GossipEntry | undefined, last: GossipEntry): boolean {
  if (!first) return false;
  if ((last.generation ?? 0) !== (first.generation ?? 0)) return (last.generation ?? 0) > (first.generation ?? 0);
  return (last.heartbeat ?? 0) > (first.heartbeat ?? 0);
}

export function judgeClusterReadiness(o: ClusterReadinessObservation): Judgement {
  if (o.pods.length === 0) return fail(`no Cassandra pods found (${o.where}); cassandra.size is ${o.expectedNodes}`);
  const live = o.pods.filter((p) => !p.terminating);
  if (live.length === 0) return fail(`every Cassandra pod found is terminating: ${o.pods.map(describePod).join(', ')} (${o.where}); cassandra.size is ${o.expectedNodes}`);
  const problems: string[] = [];
  if (live.length !== o.expectedNodes) {
    problems.push(`${live.length} Cassandra pod(s) where cassandra.size is ${o.expectedNodes}: ${o.pods.map(describePod).join(', ')}`);
  }
  for (const p of live.filter((x) => !x.ready)) problems.push(`pod ${describePod(p)} is not Ready`);

  const answered: { node: NodeObservation; hostId: string }[] = [];
  for (const p of live) {
    const node = o.nodes.find((n) => n.pod === p.name);
    if (!node) {
      problems.push(`pod ${p.name}: no CQL observation`);
      continue;
    }
    if (!node.login.ok) {
      problems.push(node.login.refused ? `login as ${o.username} refused by pod ${p.name}: ${node.login.message}` : `pod ${p.name}: no CQL session: ${node.login.message}`);
      continue;
    }
    if (!node.local) {
      problems.push(`pod ${p.name}: system.local not read${node.error ? `: ${node.error}` : ''}`);
      continue;
    }
    if (node.local.bootstrapped !== 'COMPLETED') problems.push(`pod ${p.name}: system.local bootstrapped=${node.local.bootstrapped ?? 'null'}, not COMPLETED`);
    answered.push({ node, hostId: node.local.hostId });
  }

  const nameOf = new Map(answered.map((a) => [a.hostId, `${a.node.pod} (${a.node.local!.address})`]));
  const silentIps = new Set(o.pods.filter((p) => p.ip && !answered.some((a) => a.node.pod === p.name)).map((p) => p.ip!));
  for (const { node } of answered) {
    if (!node.gossip) {
      problems.push(`pod ${node.pod}: system_views.gossip_info not read${node.error ? `: ${node.error}` : ''}`);
      continue;
    }
    const { first, last, secondsBetween } = node.gossip;
    for (const [hostId, name] of nameOf) {
      const entry = entryFor(last, hostId);
      if (!entry) {
        problems.push(`pod ${node.pod} does not know ${name} in gossip`);
        continue;
      }
      const state = gossipState(entry.status);
      if (state !== 'NORMAL') problems.push(`pod ${node.pod} sees ${name} as ${state}, not NORMAL`);
      else if (!heartbeatAdvanced(entryFor(first, hostId), entry)) {
        problems.push(`pod ${node.pod} sees no heartbeat from ${name} in ${secondsBetween} s (heartbeat ${entry.heartbeat ?? '-'}): DOWN`);
      }
    }
    // A node of this datacenter in the ring that is none of its pods (a lost node, a stale replacement).
    // A pod that gave no host id (no session, terminating) is still one of the pods: known by its IP.
    for (const e of last.filter((x) => x.dc === o.datacenter && x.hostId && !nameOf.has(x.hostId) && !silentIps.has(x.address))) {
      const state = gossipState(e.status);
      if (state === 'NORMAL' || state === 'BOOT' || state === 'LEAVING') problems.push(`pod ${node.pod} sees ${e.address} (host id ${e.hostId}) as ${state}, a node that is none of the pods observed`);
    }
  }

  if (problems.length > 0) return fail(`Cassandra datacenter ${o.datacenter} not ready as Cassandra reports it: ${problems.join('; ')} (${o.where})`);
  const seconds = Math.min(...answered.map((a) => a.node.gossip!.secondsBetween));
  return pass(
    `${live.length} of ${o.expectedNodes} Cassandra pods Ready; each accepted a login as ${o.username} and sees all ${answered.length} nodes NORMAL ` +
      `with heartbeats advancing over ${seconds} s (system_views.gossip_info): ${[...nameOf.values()].join(', ')}`,
  );
}

/**
 * The readiness check calibrated on a real fault: while `victim` is down, judgeClusterReadiness must
 * FAIL and name it. A readiness check that passes during a node kill could never see a node down.
 */
export function judgeNodeDownSeen(readiness: Judgement, victim: string): Judgement {
  if (readiness.ok) return fail(`the readiness check passed while pod ${victim} was down: it cannot see a node down (${readiness.reason})`);
  if (!readiness.reason.includes(victim)) return fail(`the readiness check failed without naming pod ${victim}, the node that is down: ${readiness.reason}`);
  return pass(`the readiness check sees pod ${victim} down: ${readiness.reason}`);
}
