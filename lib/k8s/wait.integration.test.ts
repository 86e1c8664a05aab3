// until(watchedObject(...)) against the lab's real API server: it sees a change within a second, and a watch the
// server closes is resumed from the last resourceVersion without missing what changed meanwhile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labCluster } from '../lab/index.ts';
import type { Cluster } from './cluster.ts';
import { apply, deleteAndWait, type K8sObject } from './objects.ts';
import { kinds } from './resources.ts';
import { watchedObject } from './wait.ts';
import { Deadline, until } from '../util/until.ts';

const ns = `sc-selftest-wait-${process.pid}`;
let cluster: Cluster;

type ConfigMap = K8sObject & { data?: Record<string, string> };

function configMap(name: string, value: string): ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { state: value } };
}

beforeAll(async () => {
  cluster = await labCluster();
  await apply(cluster, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'app.kubernetes.io/managed-by': 'streamcert' } } });
});

afterAll(async () => {
  if (cluster) await deleteAndWait(cluster, kinds.Namespace, ns, undefined, 120_000);
});

describe('until a watched condition, on the lab API server', () => {
  it('returns within 1 s of the condition turning true', async () => {
    await apply(cluster, configMap('flip', 'waiting'));
    let changedAt = 0;
    const waiting = until(
      watchedObject<number, ConfigMap>(
        cluster,
        { kind: kinds.ConfigMap, namespace: ns, name: 'flip' },
        {
          description: 'ConfigMap flip to say go',
          check: (cm) => (cm?.data?.state === 'go' ? Date.now() : undefined),
          observe: (cm) => cm?.data?.state ?? 'absent',
        },
      ),
      Deadline.in(30_000),
    );
    setTimeout(() => {
      void apply(cluster, configMap('flip', 'go')).then(() => {
        changedAt = Date.now();
      });
    }, 1500);
    const seenAt = await waiting;
    const lag = seenAt - (changedAt || seenAt);
    expect(lag).toBeLessThan(1000);
  });

  it('resumes an expired watch without missing the change', async () => {
    await apply(cluster, configMap('expiring', 'waiting'));
    // The server closes each watch after 1 s; the change comes after several have expired.
    setTimeout(() => void apply(cluster, configMap('expiring', 'go')), 3500);
    const deadline = Deadline.in(30_000);
    const expiring = watchedObject<true, ConfigMap>(
      cluster,
      { kind: kinds.ConfigMap, namespace: ns, name: 'expiring' },
      {
        description: 'ConfigMap expiring to say go',
        check: (cm) => (cm?.data?.state === 'go' ? true : undefined),
        watchTimeoutSeconds: 1,
      },
    );
    await until(expiring, deadline);
    expect(expiring.watches).toBeGreaterThan(1);
    expect(deadline.elapsedMs()).toBeGreaterThanOrEqual(3000);
  });

  it('times out naming what it waited for and what it last saw', async () => {
    await apply(cluster, configMap('never', 'waiting'));
    await expect(
      until(
        watchedObject<true, ConfigMap>(
          cluster,
          { kind: kinds.ConfigMap, namespace: ns, name: 'never' },
          {
            description: 'ConfigMap never to say go',
            check: (cm) => (cm?.data?.state === 'go' ? true : undefined),
            observe: (cm) => `state=${cm?.data?.state}`,
          },
        ),
        Deadline.in(1500),
      ),
    ).rejects.toThrow(/timed out after 1\.5s waiting for ConfigMap never to say go .*last observed: state=waiting/);
  });
});
