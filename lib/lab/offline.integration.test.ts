// The lab never reaches outside the machine, not even with a DNS lookup. Observed, not assumed: for
// the length of the test every packet the host sends or forwards to an address outside loopback and
// the lab's own ranges is counted and dropped by iptables (so nothing leaves even if the lab did try).
// The counter is shown to work first: a pull by `ctr`, a client without the lab's proxy settings,
// looks up the registry's name and is caught. Then a pod whose image the lab does not hold must fail
// at once, naming the image, with the counter unchanged.
import type { V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply, deleteAndWait, type K8sObject } from '../k8s/objects.ts';
import { kinds } from '../k8s/resources.ts';
import { watchedObject } from '../k8s/wait.ts';
import { run } from './exec.ts';
import { labCluster } from './testing.ts';
import { lab, statePaths } from './topology.ts';
import { Deadline, until } from '../util/until.ts';

const chain = 'STREAMCERT-EGRESS-PROBE';
const iptables = (...args: string[]) => run('iptables', ['-w', ...args], { timeoutMs: 10_000 });

/** Packets counted (and dropped) by the chain's last rule: everything bound off the machine. */
async function egressPackets(): Promise<number> {
  const out = (await iptables('-L', chain, '-v', '-x', '-n')).stdout.trim().split('\n');
  return Number(out.at(-1)!.trim().split(/\s+/)[0]);
}

describe('the lab stays on the machine', () => {
  const ns = 'selftest-offline';

  beforeAll(async () => {
    await iptables('-N', chain).catch(() => iptables('-F', chain));
    for (const rule of [
      ['-o', 'lo', '-j', 'RETURN'],
      ['-d', '127.0.0.0/8', '-j', 'RETURN'],
      ['-d', lab.podCIDR, '-j', 'RETURN'],
      ['-d', lab.serviceCIDR, '-j', 'RETURN'],
      ['-j', 'DROP'],
    ]) {
      await iptables('-A', chain, ...rule);
    }
    await iptables('-I', 'OUTPUT', '1', '-j', chain);
    await iptables('-I', 'FORWARD', '1', '-j', chain);
  });

  afterAll(async () => {
    await iptables('-D', 'OUTPUT', '-j', chain).catch(() => undefined);
    await iptables('-D', 'FORWARD', '-j', chain).catch(() => undefined);
    await iptables('-F', chain).catch(() => undefined);
    await iptables('-X', chain).catch(() => undefined);
    const cluster = await labCluster();
    await deleteAndWait(cluster, kinds.Namespace, ns, undefined, 120_000);
  });

  it('the probe catches a client that looks outward (ctr pulling without the lab proxy)', async () => {
    const before = await egressPackets();
    // ctr resolves and pulls in its own process, from the machine's resolver: a lookup the probe must see.
    await run('ctr', ['-a', statePaths.containerdSock, '-n', 'streamcert-selftest', 'image', 'pull', 'docker.io/library/streamcert-no-such-image:1'], {
      allowFail: true,
      timeoutMs: 6_000,
    }).catch(() => undefined);
    expect(await egressPackets()).toBeGreaterThan(before);
  });

  it('a pod with an image the lab does not have fails at once naming it, and nothing leaves the machine', async () => {
    const cluster = await labCluster();
    await apply(cluster, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    const before = await egressPackets();
    const started = Date.now();
    const image = 'streamcert-no-such-image:1';
    await apply(cluster, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'unknown-image', namespace: ns },
      spec: { containers: [{ name: 'c', image, imagePullPolicy: 'Always' }], terminationGracePeriodSeconds: 0 },
    } as K8sObject);
    const waiting = await until(
      watchedObject<{ reason: string; message: string }, V1Pod & K8sObject>(
        cluster,
        { kind: kinds.Pod, namespace: ns, name: 'unknown-image' },
        {
          description: 'the pod with an unknown image to report its pull failure',
          check: (p) => {
            const w = p?.status?.containerStatuses?.[0]?.state?.waiting;
            return w?.reason === 'ErrImagePull' || w?.reason === 'ImagePullBackOff' ? { reason: w.reason, message: w.message ?? '' } : undefined;
          },
          observe: (p) => JSON.stringify(p?.status?.containerStatuses?.[0]?.state ?? p?.status?.phase ?? 'no status'),
        },
      ),
      Deadline.in(60_000),
    );
    const seconds = (Date.now() - started) / 1000;
    process.stderr.write(`unknown image failed after ${seconds.toFixed(1)} s: ${waiting.reason}: ${waiting.message}\n`);
    expect(waiting.message).toContain(`docker.io/library/${image}`);
    expect(waiting.message).toMatch(/proxyconnect tcp: dial tcp 127\.0\.0\.1:9: connect: connection refused/);
    expect(seconds).toBeLessThan(30);
    expect(await egressPackets(), 'packets bound off the machine during the pull').toBe(before);
  });
});
