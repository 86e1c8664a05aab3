// judgeClusterReadiness and judgeNodeDownSeen on each of their sides. The observations are what the
// judge received on the lab on 2026-12-03 (see __fixtures__/readiness/README.md): suite 07 passing on a
// 3-node datacenter (run 20261203-151800-2bf2), failing with a wrong superuser password (run
// 20261203-152554-722f) and with its one node frozen by SIGSTOP (run 20261203-152600-5bc9). Sides
// nothing recorded are minimal edits of the recorded 3-node observation, named in each test.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fail, pass } from '../util/judgement.ts';
import { gossipState, judgeClusterReadiness, judgeNodeDownSeen, type ClusterReadinessObservation, type GossipEntry } from './readiness.ts';

const recorded = (name: string): ClusterReadinessObservation =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/readiness/${name}`, import.meta.url), 'utf8')) as ClusterReadinessObservation;

const threeNodes = () => recorded('07-readiness-3-nodes.json');
const where = (run: string) => `(namespace sc-${run}-cassandra, pods cassandra.datastax.com/cluster=demo,cassandra.datastax.com/datacenter=dc1)`;
/** The failing reason on the 3-node run with these problems. */
const notReady = (...problems: string[]) => `Cassandra datacenter dc1 not ready as Cassandra reports it: ${problems.join('; ')} ${where('20261203-151800-2bf2')}`;

const sts = (i: number) => `demo-dc1-default-sts-${i}`;
const ips = ['10.211.0.64', '10.211.0.67', '10.211.0.69'];
const named = (i: number) => `${sts(i)} (${ips[i]})`;

/** The entry for node `of` in pod `pod`'s last (or first) gossip read of an observation. */
const entry = (o: ClusterReadinessObservation, pod: number, of: number, read: 'first' | 'last' = 'last'): GossipEntry =>
  o.nodes[pod]!.gossip![read].find((e) => e.address === ips[of])!;

describe('gossipState', () => {
  it('strips the tokens of a gossiped status and names a missing one', () => {
    expect(gossipState('NORMAL,-3212737892045487296')).toBe('NORMAL');
    expect(gossipState('shutdown,true')).toBe('shutdown');
    expect(gossipState(undefined)).toBe('no status');
    expect(gossipState('')).toBe('no status');
  });
});

describe('judgeClusterReadiness', () => {
  it('passes on the recorded 3-node datacenter: every pod Ready, logged in, all NORMAL with advancing heartbeats', () => {
    expect(judgeClusterReadiness(threeNodes())).toEqual({
      ok: true,
      reason:
        '3 of 3 Cassandra pods Ready; each accepted a login as demo-superuser and sees all 3 nodes NORMAL with heartbeats advancing over 1.1 s ' +
        `(system_views.gossip_info): ${named(0)}, ${named(1)}, ${named(2)}`,
    });
  });

  it('fails on the recorded wrong superuser password: the login refused, as the driver words it', () => {
    expect(judgeClusterReadiness(recorded('07-readiness-wrong-password.json'))).toEqual({
      ok: false,
      reason:
        'Cassandra datacenter dc1 not ready as Cassandra reports it: login as demo-superuser refused by pod demo-dc1-default-sts-0: ' +
        'CQL login as demo-superuser refused by pod sc-20261203-152554-722f-cassandra/demo-dc1-default-sts-0: Provided username demo-superuser and/or password are incorrect ' +
        where('20261203-152554-722f'),
    });
  });

  it('fails on the recorded node frozen with SIGSTOP: Ready by Kubernetes, but no CQL session', () => {
    expect(judgeClusterReadiness(recorded('07-readiness-node-frozen.json'))).toEqual({
      ok: false,
      reason:
        'Cassandra datacenter dc1 not ready as Cassandra reports it: pod demo-dc1-default-sts-0: no CQL session: ' +
        'cannot reach CQL at pod sc-20261203-152600-5bc9-cassandra/demo-dc1-default-sts-0: The host 127.0.0.1:34973 did not reply before timeout 10000 ms ' +
        where('20261203-152600-5bc9'),
    });
  });

  it('fails naming only the silent pod when one of 3 gives no session (recorded 3-node run with node 2\'s login edited to a timeout: a frozen node its peers still gossip as NORMAL)', () => {
    const o = threeNodes();
    o.nodes[2] = { pod: sts(2), login: { ok: false, refused: false, message: 'cannot reach CQL at pod x/demo-dc1-default-sts-2: timeout' } };
    // Its peers still list 10.211.0.69 as NORMAL: that is the pod without a session, not a node foreign to the pods.
    expect(judgeClusterReadiness(o)).toEqual(fail(notReady(`pod ${sts(2)}: no CQL session: cannot reach CQL at pod x/demo-dc1-default-sts-2: timeout`)));
  });

  it('fails when no pod is found (recorded 3-node run with pods emptied: wrong selector or namespace)', () => {
    expect(judgeClusterReadiness({ ...threeNodes(), pods: [], nodes: [] })).toEqual(
      fail(`no Cassandra pods found ${where('20261203-151800-2bf2')}; cassandra.size is 3`),
    );
  });

  it('fails on an empty observation: pods listed but no node observed (recorded 3-node run with nodes emptied)', () => {
    expect(judgeClusterReadiness({ ...threeNodes(), nodes: [] })).toEqual(
      fail(notReady(`pod ${sts(0)}: no CQL observation`, `pod ${sts(1)}: no CQL observation`, `pod ${sts(2)}: no CQL observation`)),
    );
  });

  it('fails when a pod is missing (recorded 3-node run with pod 2 and its node removed: a lost pod)', () => {
    const o = threeNodes();
    o.pods.splice(2, 1);
    o.nodes.splice(2, 1);
    // Its peers still know it by its host id: a node in the ring that is none of the pods.
    expect(judgeClusterReadiness(o)).toEqual(
      fail(
        notReady(
          `2 Cassandra pod(s) where cassandra.size is 3: ${sts(0)} (Running), ${sts(1)} (Running)`,
          `pod ${sts(0)} sees 10.211.0.69 (host id 94dab3ad-920f-479b-aa20-ed046552ced1) as NORMAL, a node that is none of the pods observed`,
          `pod ${sts(1)} sees 10.211.0.69 (host id 94dab3ad-920f-479b-aa20-ed046552ced1) as NORMAL, a node that is none of the pods observed`,
        ),
      ),
    );
  });

  it('fails when every pod is terminating (recorded 3-node run with all pods edited to terminating: nothing left to observe)', () => {
    const o = threeNodes();
    o.pods = o.pods.map((p) => ({ ...p, terminating: true }));
    expect(judgeClusterReadiness(o)).toEqual(
      fail(`every Cassandra pod found is terminating: ${sts(0)} (Running, terminating), ${sts(1)} (Running, terminating), ${sts(2)} (Running, terminating) ${where('20261203-151800-2bf2')}; cassandra.size is 3`),
    );
    expect(judgeClusterReadiness({ ...o, expectedNodes: 0 }).ok).toBe(false);
  });

  it('fails when a pod is terminating (recorded 3-node run with pod 2 edited to terminating: it does not count)', () => {
    const o = threeNodes();
    o.pods[2] = { ...o.pods[2]!, terminating: true };
    expect(judgeClusterReadiness(o)).toEqual(
      fail(notReady(`2 Cassandra pod(s) where cassandra.size is 3: ${sts(0)} (Running), ${sts(1)} (Running), ${sts(2)} (Running, terminating)`)),
    );
  });

  it('fails when a pod is not Ready (recorded 3-node run with pod 1 edited to ready=false, waiting CrashLoopBackOff)', () => {
    const o = threeNodes();
    o.pods[1] = { ...o.pods[1]!, ready: false, waiting: 'CrashLoopBackOff' };
    expect(judgeClusterReadiness(o)).toEqual(fail(notReady(`pod ${sts(1)} (CrashLoopBackOff) is not Ready`)));
  });

  it('fails when a pod has no CQL observation (recorded 3-node run with node 1 removed)', () => {
    const o = threeNodes();
    o.nodes.splice(1, 1);
    expect(judgeClusterReadiness(o)).toEqual(fail(notReady(`pod ${sts(1)}: no CQL observation`)));
  });

  it('fails when system.local was not read (recorded 3-node run with node 1\'s local removed and an error added)', () => {
    const o = threeNodes();
    const { local: _local, gossip: _gossip, ...n } = o.nodes[1]!;
    o.nodes[1] = { ...n, error: 'system.local read failed: Operation timed out' };
    expect(judgeClusterReadiness(o)).toEqual(fail(notReady(`pod ${sts(1)}: system.local not read: system.local read failed: Operation timed out`)));
    o.nodes[1] = n;
    expect(judgeClusterReadiness(o)).toEqual(fail(notReady(`pod ${sts(1)}: system.local not read`)));
  });

  it('fails when a node is not bootstrapped (recorded 3-node run with node 2\'s bootstrapped edited to IN_PROGRESS, then removed)', () => {
    const o = threeNodes();
    o.nodes[2]!.local!.bootstrapped = 'IN_PROGRESS';
    expect(judgeClusterReadiness(o)).toEqual(fail(notReady(`pod ${sts(2)}: system.local bootstrapped=IN_PROGRESS, not COMPLETED`)));
    delete o.nodes[2]!.local!.bootstrapped;
    expect(judgeClusterReadiness(o)).toEqual(fail(notReady(`pod ${sts(2)}: system.local bootstrapped=null, not COMPLETED`)));
  });

  it('fails when the gossip table was not read (recorded 3-node run with node 0\'s gossip removed and an error added)', () => {
    const o = threeNodes();
    delete o.nodes[0]!.gossip;
    o.nodes[0]!.error = 'gossip_info read failed: unconfigured table gossip_info';
    expect(judgeClusterReadiness(o)).toEqual(fail(notReady(`pod ${sts(0)}: system_views.gossip_info not read: gossip_info read failed: unconfigured table gossip_info`)));
  });

  it('fails when a node does not know another in gossip (recorded 3-node run with node 2 removed from node 0\'s last gossip read: a partition)', () => {
    const o = threeNodes();
    o.nodes[0]!.gossip!.last = o.nodes[0]!.gossip!.last.filter((e) => e.address !== ips[2]);
    expect(judgeClusterReadiness(o)).toEqual(fail(notReady(`pod ${sts(0)} does not know ${named(2)} in gossip`)));
  });

  it.each([
    ['BOOT', 'BOOT,-1279306972338111538', 'a node still joining'],
    ['LEAVING', 'LEAVING,-1279306972338111538', 'a node being decommissioned'],
    ['shutdown', 'shutdown,true', 'a node drained and stopped'],
  ])('fails when a node is seen as %s (recorded 3-node run with node 2\'s status in node 1\'s last read edited to %s: %s)', (state, status) => {
    const o = threeNodes();
    entry(o, 1, 2).status = status;
    expect(judgeClusterReadiness(o)).toEqual(fail(notReady(`pod ${sts(1)} sees ${named(2)} as ${state}, not NORMAL`)));
  });

  it('fails when a heartbeat does not advance (recorded 3-node run with node 2\'s last heartbeat in node 0\'s view edited back to its first, 65: a node DOWN)', () => {
    const o = threeNodes();
    entry(o, 0, 2).heartbeat = entry(o, 0, 2, 'first').heartbeat;
    expect(judgeClusterReadiness(o)).toEqual(fail(notReady(`pod ${sts(0)} sees no heartbeat from ${named(2)} in 1.1 s (heartbeat 65): DOWN`)));
  });

  it('fails when a node is absent from the first gossip read (recorded 3-node run with node 2 removed from node 0\'s first read: no heartbeat to compare)', () => {
    const o = threeNodes();
    o.nodes[0]!.gossip!.first = o.nodes[0]!.gossip!.first.filter((e) => e.address !== ips[2]);
    expect(judgeClusterReadiness(o)).toEqual(fail(notReady(`pod ${sts(0)} sees no heartbeat from ${named(2)} in 1.1 s (heartbeat 66): DOWN`)));
  });

  it('passes on a node restarted between the reads, and fails on an older generation (recorded 3-node run with node 2\'s last generation in node 0\'s view edited ±1, heartbeat 1)', () => {
    const o = threeNodes();
    const e = entry(o, 0, 2);
    Object.assign(e, { generation: 1796311150, heartbeat: 1 });
    expect(judgeClusterReadiness(o).ok).toBe(true);
    Object.assign(e, { generation: 1796311148, heartbeat: 1000 });
    expect(judgeClusterReadiness(o)).toEqual(fail(notReady(`pod ${sts(0)} sees no heartbeat from ${named(2)} in 1.1 s (heartbeat 1000): DOWN`)));
  });

  it('fails when a node of the datacenter that is none of the pods is NORMAL in the ring (recorded 3-node run with a fourth dc1 entry added to node 0\'s last read: a lost node or stale replacement)', () => {
    const o = threeNodes();
    const foreign: GossipEntry = { address: '10.211.0.50', hostId: '5a1e0000-0000-4000-8000-000000000001', dc: 'dc1', status: 'NORMAL,-9', generation: 1796310000, heartbeat: 4000 };
    o.nodes[0]!.gossip!.last.push(foreign);
    expect(judgeClusterReadiness(o)).toEqual(
      fail(notReady(`pod ${sts(0)} sees 10.211.0.50 (host id 5a1e0000-0000-4000-8000-000000000001) as NORMAL, a node that is none of the pods observed`)),
    );
    // The same node LEFT, or in another datacenter, is no fault of this one.
    foreign.status = 'LEFT,-9,1796400000000';
    expect(judgeClusterReadiness(o).ok).toBe(true);
    Object.assign(foreign, { status: 'NORMAL,-9', dc: 'dc2' });
    expect(judgeClusterReadiness(o).ok).toBe(true);
  });

  it('names every problem at once (recorded 3-node run with pod 1 not Ready and node 2 LEAVING in node 0\'s view)', () => {
    const o = threeNodes();
    o.pods[1] = { ...o.pods[1]!, ready: false };
    entry(o, 0, 2).status = 'LEAVING,-1279306972338111538';
    expect(judgeClusterReadiness(o)).toEqual(fail(notReady(`pod ${sts(1)} (Running) is not Ready`, `pod ${sts(0)} sees ${named(2)} as LEAVING, not NORMAL`)));
  });
});

describe('judgeNodeDownSeen', () => {
  it('passes on the recorded frozen node: the readiness check fails naming the victim', () => {
    const readiness = judgeClusterReadiness(recorded('07-readiness-node-frozen.json'));
    expect(judgeNodeDownSeen(readiness, sts(0))).toEqual(pass(`the readiness check sees pod ${sts(0)} down: ${readiness.reason}`));
  });

  it('passes on a frozen node of 3 (recorded 3-node run with node 2\'s login edited to a timeout)', () => {
    const o = threeNodes();
    o.nodes[2] = { pod: sts(2), login: { ok: false, refused: false, message: 'timeout' } };
    expect(judgeNodeDownSeen(judgeClusterReadiness(o), sts(2)).ok).toBe(true);
  });

  it('fails when the readiness check passed during the fault (the recorded passing 3-node run, taken as seen while node 2 was down)', () => {
    const readiness = judgeClusterReadiness(threeNodes());
    expect(judgeNodeDownSeen(readiness, sts(2))).toEqual(
      fail(`the readiness check passed while pod ${sts(2)} was down: it cannot see a node down (${readiness.reason})`),
    );
  });

  it('fails when the readiness check failed without naming the victim (recorded wrong-password run, taken as seen while pod demo-dc1-default-sts-1 was down)', () => {
    const readiness = judgeClusterReadiness(recorded('07-readiness-wrong-password.json'));
    expect(judgeNodeDownSeen(readiness, sts(1))).toEqual(
      fail(`the readiness check failed without naming pod ${sts(1)}, the node that is down: ${readiness.reason}`),
    );
  });
});
