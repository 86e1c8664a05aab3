// The lab's K8ssandra half, end to end and only through the Kubernetes API and CQL, as a suite would
// use a real K8ssandra: CRDs from the released modules, a 1-node K8ssandraCluster ready as upstream
// defines it, the superuser secret logging in through a port-forward (and a wrong password refused
// at once), a replaced pod coming back with its data, Stargate's CQL Service reachable on its
// LoadBalancer address, then a 3-node datacenter with RF 3, decommission on scale-down and a
// bootstrap on scale-up. Everything lives in namespace dev-k8ssandra, removed at the end.
import type { V1Pod, V1Secret, V1Service, V1StatefulSet } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datacenterReadiness, clusterReadiness } from '../cassandra/k8ssandra.ts';
import { openCql, CqlAuthenticationError, type CqlCredentials } from '../cassandra/cql.ts';
import { describeSamples, judgeSamplesAround, restartApiserver, sampler, untilAnsweredAfter } from './control-path-faults.ts';
import { holds } from '../util/judgement.ts';
import { connect, type Cluster } from '../k8s/cluster.ts';
import { deleteNamespace } from '../k8s/namespace.ts';
import { apply, deleteAndWait, list, read, type K8sObject } from '../k8s/objects.ts';
import { exec } from '../k8s/pods.ts';
import { kinds } from '../k8s/resources.ts';
import { watched, watchedObject } from '../k8s/wait.ts';
import { labStatus, labUp } from './index.ts';
import { labImages } from './images/index.ts';
import { labMemory } from './memory.ts';
import { Deadline, polled, until } from '../util/until.ts';

const ns = 'dev-k8ssandra';
let cluster: Cluster;
const figures: string[] = [];
const figure = (line: string) => {
  figures.push(line);
  process.stdout.write(`FIGURE ${line}\n`);
};

function k8ssandraCluster(name: string, size: number, extra: Record<string, unknown> = {}): K8sObject {
  return {
    apiVersion: 'k8ssandra.io/v1alpha1',
    kind: 'K8ssandraCluster',
    metadata: { name, namespace: ns },
    spec: {
      cassandra: {
        serverVersion: '4.1.3',
        storageConfig: {
          cassandraDataVolumeClaimSpec: { storageClassName: 'lab-standard', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } } },
        },
        datacenters: [{ metadata: { name: 'dc1' }, size }],
      },
      ...extra,
    },
  };
}

async function untilReady(name: string, timeoutMs: number): Promise<number> {
  const started = Date.now();
  await until(
    watchedObject(
      cluster,
      { kind: kinds.K8ssandraCluster, namespace: ns, name },
      {
        description: `K8ssandraCluster ${name} CassandraInitialized and observedGeneration current`,
        check: (kc) => (clusterReadiness(kc as never) === undefined ? true : undefined),
        observe: (kc) => clusterReadiness(kc as never) ?? 'ready',
      },
    ),
    Deadline.in(timeoutMs),
  );
  await until(
    watchedObject(
      cluster,
      { kind: kinds.CassandraDatacenter, namespace: ns, name: 'dc1' },
      {
        description: 'CassandraDatacenter dc1 Ready with cassandraOperatorProgress Ready',
        check: (dc) => (datacenterReadiness(dc as never) === undefined ? true : undefined),
        observe: (dc) => datacenterReadiness(dc as never) ?? 'ready',
      },
    ),
    Deadline.in(Math.max(10_000, timeoutMs - (Date.now() - started))),
  );
  return Date.now() - started;
}

async function credentials(name: string): Promise<CqlCredentials> {
  const secret = await read<V1Secret & K8sObject>(cluster, kinds.Secret, `${name}-superuser`, ns);
  const d = (k: string) => Buffer.from(secret!.data![k]!, 'base64').toString('utf8');
  return { username: d('username'), password: d('password') };
}

async function readyPods(selector: string, count: number, timeoutMs: number): Promise<V1Pod[]> {
  const r = await until(
    watched<V1Pod[], V1Pod & K8sObject>(
      cluster,
      { kind: kinds.Pod, namespace: ns, labelSelector: selector },
      {
        description: `${count} Ready Cassandra pods (${selector})`,
        check: (pods) => {
          const live = pods.filter((p) => !p.metadata?.deletionTimestamp);
          const ready = live.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
          return live.length === count && ready.length === count ? ready : undefined;
        },
        observe: (pods) => pods.map((p) => `${p.metadata?.name}:${p.status?.phase}`).join(' '),
      },
    ),
    Deadline.in(timeoutMs),
  );
  return r;
}

describe('lab K8ssandra half (emulated k8ssandra-operator + cass-operator, real Cassandra)', () => {
  beforeAll(async () => {
    const { kubeconfig } = await labUp({ progress: true, with: ['cassandra'] });
    cluster = (await connect({ kubeconfig }, 'lab', 15_000)).cluster;
    await deleteNamespace(cluster, ns, 180_000).catch(() => undefined);
    await apply(cluster, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  });

  afterAll(async () => {
    if (cluster) await deleteNamespace(cluster, ns, 300_000);
    process.stdout.write(`\nK8ssandra lab figures:\n${figures.map((f) => `  ${f}`).join('\n')}\n`);
  });

  it('serves the CRDs from the released modules and lists the part in lab status', async () => {
    for (const name of ['k8ssandraclusters.k8ssandra.io', 'cassandradatacenters.cassandra.datastax.com']) {
      const crd = await read<K8sObject & { metadata: { annotations?: Record<string, string> } }>(cluster, kinds.CustomResourceDefinition, name);
      // controller-gen's stamp: generated upstream, not written by hand.
      expect(crd?.metadata.annotations?.['controller-gen.kubebuilder.io/version']).toMatch(/^v0\./);
    }
    figure(`lab memory before any Cassandra node: ${(await labMemory()).totalMiB} MiB RSS`);
    const status = await labStatus();
    expect(status.find((s) => s.name === 'k8ssandra (emulated)')?.healthy).toBe(true);
    expect(status.find((s) => s.name === 'loadbalancer')?.healthy).toBe(true);
  });

  it('brings a 1-node K8ssandraCluster demo to ready; its secret logs in through a port-forward, a wrong password is refused at once', async () => {
    await apply(cluster, k8ssandraCluster('demo', 1));
    const ms = await untilReady('demo', 600_000);
    figure(`time to ready, 1 node: ${(ms / 1000).toFixed(1)} s`);
    figure(`lab memory with 1 Cassandra node: ${(await labMemory()).totalMiB} MiB RSS`);

    const sts = await read<V1StatefulSet & K8sObject>(cluster, kinds.StatefulSet, 'demo-dc1-default-sts', ns);
    expect(sts?.spec?.replicas).toBe(1);
    expect(sts?.spec?.template?.spec?.containers?.[0]?.image).toBe(labImages.cassandra);
    for (const svc of ['demo-dc1-service', 'demo-seed-service', 'demo-dc1-all-pods-service', 'demo-dc1-additional-seed-service']) {
      expect(await read(cluster, kinds.Service, svc, ns), svc).toBeDefined();
    }
    const pods = await list<V1Pod & K8sObject>(cluster, kinds.Pod, {
      namespace: ns,
      labelSelector: 'cassandra.datastax.com/cluster=demo,cassandra.datastax.com/datacenter=dc1,app.kubernetes.io/managed-by=cass-operator',
    });
    expect(pods.map((p) => p.metadata.name)).toEqual(['demo-dc1-default-sts-0']);

    const creds = await credentials('demo');
    expect(creds.username).toBe('demo-superuser');
    expect(creds.password).toMatch(/^[-0-9A-Za-z]{20}$/);
    const session = await openCql(cluster, { namespace: ns, service: 'demo-dc1-service' }, creds, { localDataCenter: 'dc1' });
    try {
      expect(await session.releaseVersion()).toBe(labImages.cassandra.split(':')[1]);
      const auth = await session.execute("SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = 'system_auth'");
      expect(auth.first()?.get('replication')).toMatchObject({ class: 'org.apache.cassandra.locator.NetworkTopologyStrategy', dc1: '1' });
    } finally {
      await session.close();
    }

    for (const wrong of [{ ...creds, password: `${creds.password}x` }, { username: 'cassandra', password: 'cassandra' }]) {
      const t0 = Date.now();
      const err = await openCql(cluster, { namespace: ns, service: 'demo-dc1-service' }, wrong, { localDataCenter: 'dc1' }).then(
        async (s) => {
          await s.close();
          return undefined;
        },
        (e: unknown) => e,
      );
      expect(err, `login as ${wrong.username} with a wrong password`).toBeInstanceOf(CqlAuthenticationError);
      expect(Date.now() - t0).toBeLessThan(5_000);
      if (wrong.username !== 'cassandra') figure(`wrong password refused in ${Date.now() - t0} ms`);
    }
  });

  it('a CQL session through a port-forward keeps sampling right answers across a kube-apiserver restart', async () => {
    const creds = await credentials('demo');
    const s = await openCql(cluster, { namespace: ns, service: 'demo-dc1-service' }, creds, { localDataCenter: 'dc1' });
    try {
      const expected = await s.releaseVersion();
      const cql = sampler(() => s.releaseVersion());
      await new Promise((r) => setTimeout(r, 1_500));
      const outage = await restartApiserver();
      // The driver reconnects on its own schedule (exponential, from 1 s): give it time to.
      const answered = await untilAnsweredAfter(cql.samples, outage.up, 60_000);
      await new Promise((r) => setTimeout(r, 1_500));
      await cql.stop();
      expect(answered, 'a CQL answer after the restart').toBe(true);
      holds(judgeSamplesAround(cql.samples, outage, expected));
      figure(`CQL across an apiserver restart (${((outage.up - outage.down) / 1000).toFixed(1)} s away): ${describeSamples(cql.samples, outage)}`);
    } finally {
      await s.close();
    }
  });

  it('brings a deleted Cassandra pod back with its data (PVC kept)', async () => {
    const creds = await credentials('demo');
    const s = await openCql(cluster, { namespace: ns, service: 'demo-dc1-service' }, creds, { localDataCenter: 'dc1' });
    try {
      await s.execute("CREATE KEYSPACE IF NOT EXISTS labtest WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': 1}");
      await s.execute('CREATE TABLE IF NOT EXISTS labtest.kv (k text PRIMARY KEY, v text)');
      await s.execute('INSERT INTO labtest.kv (k, v) VALUES (?, ?)', ['survives', 'pod deletion']);
    } finally {
      await s.close();
    }
    const pvcBefore = await read<K8sObject & { metadata: { uid: string } }>(cluster, kinds.PersistentVolumeClaim, 'server-data-demo-dc1-default-sts-0', ns);
    const before = await read<V1Pod & K8sObject>(cluster, kinds.Pod, 'demo-dc1-default-sts-0', ns);
    const t0 = Date.now();
    await cluster.core.deleteNamespacedPod({ name: 'demo-dc1-default-sts-0', namespace: ns });
    await until(
      watchedObject<true, V1Pod & K8sObject>(
        cluster,
        { kind: kinds.Pod, namespace: ns, name: 'demo-dc1-default-sts-0' },
        {
          description: 'a replacement pod demo-dc1-default-sts-0 to be Ready',
          check: (p) =>
            p && p.metadata?.uid !== before?.metadata.uid && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')
              ? true
              : undefined,
        },
      ),
      Deadline.in(300_000),
    );
    const back = Date.now() - t0;
    await untilReady('demo', 120_000);
    figure(`replaced pod Ready again: ${(back / 1000).toFixed(1)} s (datacenter Ready: ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    const pvcAfter = await read<K8sObject & { metadata: { uid: string } }>(cluster, kinds.PersistentVolumeClaim, 'server-data-demo-dc1-default-sts-0', ns);
    expect(pvcAfter?.metadata.uid).toBe(pvcBefore?.metadata.uid);
    const s2 = await openCql(cluster, { namespace: ns, service: 'demo-dc1-service' }, creds, { localDataCenter: 'dc1' });
    try {
      const row = (await s2.execute('SELECT v FROM labtest.kv WHERE k = ?', ['survives'])).first();
      expect(row?.get('v')).toBe('pod deletion');
    } finally {
      await s2.close();
    }
  });

  it("gives Stargate's CQL Service a LoadBalancer address a client on the host connects to", async () => {
    await apply(cluster, k8ssandraCluster('demo', 1, { stargate: { size: 1 } }));
    const svc = await until(
      watchedObject<string, V1Service & K8sObject>(
        cluster,
        { kind: kinds.Service, namespace: ns, name: 'demo-dc1-stargate-service' },
        {
          description: 'demo-dc1-stargate-service to get a LoadBalancer ingress IP',
          check: (s) => s?.status?.loadBalancer?.ingress?.[0]?.ip,
        },
      ),
      Deadline.in(60_000),
    );
    expect(svc).toMatch(/^10\.211\.250\.\d+$/);
    // kube-proxy programs the address's rules on its next sync after the status appears (as with MetalLB).
    const creds = await credentials('demo');
    const loginDeadline = Deadline.in(30_000);
    const session = await until(
      polled({
        description: `a CQL login at the LoadBalancer address ${svc}:9042`,
        check: () => openCql(cluster, { address: `${svc}:9042` }, creds, { localDataCenter: 'dc1' }),
        intervalMs: 250,
      }),
      loginDeadline,
    );
    figure(`LoadBalancer address to first CQL login: ${loginDeadline.elapsedMs()} ms`);
    try {
      expect(await session.releaseVersion()).toBe(labImages.cassandra.split(':')[1]);
    } finally {
      await session.close();
    }
  });

  it('removes what it created when the K8ssandraCluster is deleted (PVCs with their datacenter, as cass-operator does)', async () => {
    const t0 = Date.now();
    await deleteAndWait(cluster, kinds.K8ssandraCluster, 'demo', ns, 60_000);
    await until(
      watched(
        cluster,
        { kind: kinds.PersistentVolumeClaim, namespace: ns },
        {
          description: 'the datacenter, its StatefulSet, pods and PVCs to be gone',
          check: (pvcs) => (pvcs.length === 0 ? true : undefined),
        },
      ),
      Deadline.in(180_000),
    );
    for (const [kind, name] of [
      [kinds.CassandraDatacenter, 'dc1'],
      [kinds.StatefulSet, 'demo-dc1-default-sts'],
      [kinds.Service, 'demo-dc1-service'],
      [kinds.Service, 'demo-dc1-stargate-service'],
    ] as const) {
      await until(
        watchedObject(
          cluster,
          { kind, namespace: ns, name },
          { description: `${kind.kind} ${name} to be gone`, check: (o) => (o ? undefined : true) },
        ),
        Deadline.in(120_000),
      );
    }
    figure(`K8ssandraCluster deletion to no PVC left: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });

  it('brings a 3-node datacenter with RF 3 up, decommissions a node on scale-down and bootstraps one on scale-up', async () => {
    await apply(cluster, k8ssandraCluster('trio', 3));
    const ms = await untilReady('trio', 900_000);
    figure(`time to ready, 3 nodes: ${(ms / 1000).toFixed(1)} s`);
    const creds = await credentials('trio');
    const selector = 'cassandra.datastax.com/cluster=trio,cassandra.datastax.com/datacenter=dc1';
    const pods = await readyPods(selector, 3, 60_000);
    const status = await exec(cluster, ns, pods[0]!.metadata!.name!, 'cassandra', ['nodetool', 'status']);
    expect(status.stdout.match(/^UN /gm)?.length, status.stdout).toBe(3);
    const s = await openCql(cluster, { namespace: ns, service: 'trio-dc1-service' }, creds, { localDataCenter: 'dc1' });
    try {
      const auth = (await s.execute("SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = 'system_auth'")).first();
      expect(auth?.get('replication')).toMatchObject({ dc1: '3' });
      await s.execute("CREATE KEYSPACE IF NOT EXISTS labtest WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': 3}");
      await s.execute('CREATE TABLE IF NOT EXISTS labtest.kv (k text PRIMARY KEY, v text)');
      await s.execute('INSERT INTO labtest.kv (k, v) VALUES (?, ?)', ['rf3', 'quorum'], { consistency: 4 /* QUORUM */ });
      expect((await s.execute('SELECT v FROM labtest.kv WHERE k = ?', ['rf3'], { consistency: 4 })).first()?.get('v')).toBe('quorum');
    } finally {
      await s.close();
    }
    figure(`lab memory with 3 Cassandra nodes: ${(await labMemory()).totalMiB} MiB RSS`);

    // Scale down: the highest ordinal is decommissioned, then the StatefulSet shrinks and its PVC goes.
    let t0 = Date.now();
    await apply(cluster, k8ssandraCluster('trio', 2));
    await readyPods(selector, 2, 600_000);
    await untilReady('trio', 300_000);
    figure(`scale-down 3 → 2 (decommission): ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await until(
      watchedObject(
        cluster,
        { kind: kinds.PersistentVolumeClaim, namespace: ns, name: 'server-data-trio-dc1-default-sts-2' },
        {
          description: 'the decommissioned node’s PVC to be deleted',
          check: (o) => (o ? undefined : true),
        },
      ),
      Deadline.in(120_000),
    );
    const after = await readyPods(selector, 2, 60_000);
    const ring = await until(
      polled({
        description: 'nodetool status to show 2 nodes Up/Normal',
        check: async () => {
          const r = await exec(cluster, ns, after[0]!.metadata!.name!, 'cassandra', ['nodetool', 'status']);
          return r.stdout.match(/^UN /gm)?.length === 2 && !/^[UD][LJM] /m.test(r.stdout) ? r.stdout : undefined;
        },
        intervalMs: 2_000,
      }),
      Deadline.in(60_000),
    );
    expect(ring).not.toMatch(/^DN /m);

    // Scale up: a new node bootstraps (joins with data streamed), the status goes Updating then Ready.
    t0 = Date.now();
    await apply(cluster, k8ssandraCluster('trio', 3));
    await until(
      watchedObject(
        cluster,
        { kind: kinds.CassandraDatacenter, namespace: ns, name: 'dc1' },
        {
          description: 'dc1 to report Updating while the new node joins',
          check: (dc) =>
            (dc as { status?: { cassandraOperatorProgress?: string } })?.status?.cassandraOperatorProgress === 'Updating' ? true : undefined,
        },
      ),
      Deadline.in(60_000),
    );
    await readyPods(selector, 3, 600_000);
    await untilReady('trio', 300_000);
    figure(`scale-up 2 → 3 (bootstrap): ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const s3 = await openCql(cluster, { namespace: ns, pod: 'trio-dc1-default-sts-2' }, creds, { localDataCenter: 'dc1' });
    try {
      expect((await s3.execute('SELECT v FROM labtest.kv WHERE k = ?', ['rf3'], { consistency: 4 })).first()?.get('v')).toBe('quorum');
    } finally {
      await s3.close();
    }
  });
});
