// judgeLedgerCoordinator and judgeCoordinatorMoved on each of their sides. The observations are shaped
// as QuorumLedger.coordinator() builds them in 09's Cassandra node kill: the session's describe string,
// system.local (host id, the answering node's pod IP) read over that session, and the dc1 pods as
// listed at that moment (name, pod IP, terminating when they carry a deletionTimestamp).
import { describe, expect, it } from 'vitest';
import { judgeCoordinatorMoved, judgeLedgerCoordinator, type CoordinatorObservation } from './coordinator.ts';

const session = 'service sc-20261202-1039-09/demo-dc1-service';
const pods: CoordinatorObservation['pods'] = [
  { name: 'demo-dc1-default-sts-0', ip: '10.244.0.17' },
  { name: 'demo-dc1-default-sts-1', ip: '10.244.0.18' },
  { name: 'demo-dc1-default-sts-2', ip: '10.244.0.19' },
];
const sts1 = { hostId: '6f2c3a1e-4b7d-4c1a-9e0f-2d5b8a7c9e31', address: '10.244.0.18' };
const sts2 = { hostId: 'b41d9e07-1c3f-4a86-8d2e-7f60c5a3b912', address: '10.244.0.19' };
const atKill: CoordinatorObservation = { session, node: sts1, pods };
// After the kill: sts-1 comes back under its name with a new IP; the ledger now writes through sts-2.
const afterKill: CoordinatorObservation = { session, node: sts2, pods: [pods[0]!, { name: 'demo-dc1-default-sts-1', ip: '10.244.0.23' }, pods[2]!] };

describe('judgeLedgerCoordinator', () => {
  it('passes naming the pod whose IP system.local reports', () => {
    expect(judgeLedgerCoordinator(atKill)).toEqual({
      ok: true,
      pod: 'demo-dc1-default-sts-1',
      reason: `the ledger's writes over ${session} are coordinated by pod demo-dc1-default-sts-1, 10.244.0.18 (host id ${sts1.hostId})`,
    });
  });

  it('fails with the read error when system.local could not be read', () => {
    const j = judgeLedgerCoordinator({ session, pods, error: 'All host(s) tried for query failed (tried: 127.0.0.1:39042 (OperationTimedOutError))' });
    expect(j).toEqual({
      ok: false,
      reason: `cannot tell which node coordinates the ledger's writes: system.local over ${session} not read (All host(s) tried for query failed (tried: 127.0.0.1:39042 (OperationTimedOutError)))`,
    });
  });

  it('fails on an empty observation: no node, no error, no pods', () => {
    expect(judgeLedgerCoordinator({ session, pods: [] })).toEqual({
      ok: false,
      reason: `cannot tell which node coordinates the ledger's writes: system.local over ${session} not read (no row)`,
    });
  });

  it('fails naming the address and every pod with its IP when the node is none of the pods', () => {
    const j = judgeLedgerCoordinator({ session, node: { hostId: sts1.hostId, address: '10.244.1.5' }, pods: [...pods.slice(0, 2), { name: 'demo-dc1-default-sts-2' }] });
    expect(j).toEqual({
      ok: false,
      reason: `the ledger's writes over ${session} are coordinated by 10.244.1.5 (host id ${sts1.hostId}), which is none of the Cassandra pods (demo-dc1-default-sts-0=10.244.0.17, demo-dc1-default-sts-1=10.244.0.18, demo-dc1-default-sts-2=no IP)`,
    });
  });

  it('fails saying "no pods" when the pod list is empty', () => {
    expect(judgeLedgerCoordinator({ session, node: sts1, pods: [] }).reason).toBe(
      `the ledger's writes over ${session} are coordinated by 10.244.0.18 (host id ${sts1.hostId}), which is none of the Cassandra pods (no pods)`,
    );
  });

  it('does not take a terminating pod for the coordinator, even at the same IP', () => {
    const j = judgeLedgerCoordinator({ session, node: sts1, pods: pods.map((p) => (p.name === 'demo-dc1-default-sts-1' ? { ...p, terminating: true } : p)) });
    expect(j.ok).toBe(false);
    expect(j.pod).toBeUndefined();
    expect(j.reason).toMatch(/coordinated by 10\.244\.0\.18 \(host id 6f2c3a1e-[^)]*\), which is none of the Cassandra pods \(.*demo-dc1-default-sts-1=10\.244\.0\.18.*\)$/);
  });
});

describe('judgeCoordinatorMoved', () => {
  it('passes naming the pod the writes went on through', () => {
    expect(judgeCoordinatorMoved('demo-dc1-default-sts-1', afterKill)).toEqual({
      ok: true,
      pod: 'demo-dc1-default-sts-2',
      reason: `after the kill of demo-dc1-default-sts-1 the ledger's writes went on through pod demo-dc1-default-sts-2, 10.244.0.19 (host id ${sts2.hostId})`,
    });
  });

  it('fails on an absent observation: no write acknowledged after the kill', () => {
    expect(judgeCoordinatorMoved('demo-dc1-default-sts-1', undefined)).toEqual({
      ok: false,
      reason: "no write acknowledged after pod demo-dc1-default-sts-1 was killed, so no other node took over the ledger's writes",
    });
  });

  it("fails with the coordinator judge's reason when system.local is still unread after the kill", () => {
    const j = judgeCoordinatorMoved('demo-dc1-default-sts-1', { session, pods: afterKill.pods, error: 'Connection to 127.0.0.1:39042 lost' });
    expect(j).toEqual({
      ok: false,
      reason: `cannot tell which node coordinates the ledger's writes: system.local over ${session} not read (Connection to 127.0.0.1:39042 lost)`,
    });
  });

  it('fails when the node answering is none of the pods after the kill', () => {
    const j = judgeCoordinatorMoved('demo-dc1-default-sts-1', { ...afterKill, node: sts1 });
    expect(j.ok).toBe(false);
    expect(j.reason).toBe(
      `the ledger's writes over ${session} are coordinated by 10.244.0.18 (host id ${sts1.hostId}), which is none of the Cassandra pods (demo-dc1-default-sts-0=10.244.0.17, demo-dc1-default-sts-1=10.244.0.23, demo-dc1-default-sts-2=10.244.0.19)`,
    );
  });

  it('fails when the writes are still coordinated by the killed pod', () => {
    const back = { name: 'demo-dc1-default-sts-1', ip: '10.244.0.23' };
    const j = judgeCoordinatorMoved('demo-dc1-default-sts-1', { session, node: { hostId: sts1.hostId, address: back.ip }, pods: [pods[0]!, back, pods[2]!] });
    expect(j).toEqual({
      ok: false,
      reason: `after the kill the ledger's writes are still coordinated by pod demo-dc1-default-sts-1, the killed node (10.244.0.23 (host id ${sts1.hostId})): was it killed?`,
    });
  });
});
