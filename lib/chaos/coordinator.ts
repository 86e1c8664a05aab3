// Which Cassandra node coordinates the ledger's writes. The driver cannot say: its session goes to one
// local port-forward (or one configured address), so its execution info names 127.0.0.1 whatever pod
// is behind it. The node can: system.local read over the ledger's own session (one connection, the
// one its INSERTs use) names the coordinator, and its address is a pod's IP.
import { fail, pass, type Judgement } from '../util/judgement.ts';

export interface CoordinatorObservation {
  /** The ledger's session, for messages: `service ns/demo-dc1-service`. */
  session: string;
  /** system.local of the node that answered over that session. */
  node?: { hostId: string; address: string };
  /** Why system.local could not be read. */
  error?: string;
  pods: { name: string; ip?: string; terminating?: boolean }[];
}

export type CoordinatorJudgement = Judgement & { pod?: string };

const describeNode = (n: { hostId: string; address: string }) => `${n.address} (host id ${n.hostId})`;
const describePods = (pods: CoordinatorObservation['pods']) => pods.map((p) => `${p.name}=${p.ip ?? 'no IP'}`).join(', ') || 'no pods';

/** The pod that coordinates the ledger's writes: the victim of the node kill. */
export function judgeLedgerCoordinator(o: CoordinatorObservation): CoordinatorJudgement {
  if (!o.node) return fail(`cannot tell which node coordinates the ledger's writes: system.local over ${o.session} not read (${o.error ?? 'no row'})`);
  const pod = o.pods.find((p) => p.ip === o.node!.address && !p.terminating);
  if (!pod) return fail(`the ledger's writes over ${o.session} are coordinated by ${describeNode(o.node)}, which is none of the Cassandra pods (${describePods(o.pods)})`);
  return { ...pass(`the ledger's writes over ${o.session} are coordinated by pod ${pod.name}, ${describeNode(o.node)}`), pod: pod.name };
}

/** After the kill the writer must go on through another node (its session reconnects through the Service). */
export function judgeCoordinatorMoved(victim: string, after: CoordinatorObservation | undefined): CoordinatorJudgement {
  if (!after) return fail(`no write acknowledged after pod ${victim} was killed, so no other node took over the ledger's writes`);
  const now = judgeLedgerCoordinator(after);
  if (!now.ok || !now.pod) return now;
  if (now.pod === victim) return fail(`after the kill the ledger's writes are still coordinated by pod ${victim}, the killed node (${describeNode(after.node!)}): was it killed?`);
  return { ...pass(`after the kill of ${victim} the ledger's writes went on through pod ${now.pod}, ${describeNode(after.node!)}`), pod: now.pod };
}
