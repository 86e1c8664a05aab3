// The one emulated piece of the lab: a controller playing k8ssandra-operator and cass-operator, whose
// images and management API cannot run here. From a K8ssandraCluster it creates what the real
// operators create, under their names (CassandraDatacenter, superuser Secret, Services, StatefulSet
// `<cluster>-<dc>-default-sts`, the Stargate Service) and writes the status they write, but only
// once Cassandra (the lab's real Cassandra image) really accepts CQL logins with the secret's
// credentials. Scaling adds nodes one bootstrap at a time and removes them with `nodetool
// decommission`. See lib/lab/README.md "K8ssandra" for what it covers and what it does not.
import { makeInformer, type KubeConfig, type KubernetesObject, type V1Pod, type V1Secret, type V1Service, type V1StatefulSet } from '@kubernetes/client-node';
import { Cluster } from '../../k8s/cluster.ts';
import { exec } from '../../k8s/pods.ts';
import { capSystemReplication, login, nodeStatus, randomPassword, setUpAuth } from '../k8ssandra/management.ts';
import {
  authEnabled,
  cassandraDcName,
  datacenterFor,
  initialSystemReplicationAnnotation,
  labAnnotations,
  namesOf,
  servicesFor,
  stargateServiceFor,
  statefulSetFor,
} from '../k8ssandra/manifests.ts';
import { clusterNames, labels } from '../k8ssandra/names.ts';
import { WorkQueue } from '../k8ssandra/queue.ts';
import { paths, rest } from '../k8ssandra/rest.ts';
import { conditionIs, sameStatus, setConditions } from '../k8ssandra/status.ts';
import type { CassandraDatacenter, CassandraDatacenterStatus, K8ssandraCluster, K8ssandraClusterStatus } from '../k8ssandra/types.ts';

const log = (msg: string) => process.stdout.write(`${new Date().toISOString()} k8ssandra: ${msg}\n`);

export interface K8ssandraControllerOptions {
  /** The lab's one Cassandra image; every serverVersion maps onto it (recorded in an annotation). */
  image: string;
  /** How often every object is looked at again besides watch events (CQL cannot be watched). */
  resyncMs?: number;
}

const podReady = (p: V1Pod) =>
  p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp && (p.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
const ordinalOf = (p: V1Pod) => Number(/-(\d+)$/.exec(p.metadata?.name ?? '')?.[1] ?? -1);

interface Decommission {
  pod: string;
  done: boolean;
  error?: string;
}

/** Per-datacenter memory of things Kubernetes does not record: running decommissions, verified pod sets. */
interface DcMemory {
  decommission?: Decommission;
  verified?: string;
  waitingSince?: number;
  lastWaitLog?: number;
}

export async function runK8ssandraController(kc: KubeConfig, opts: K8ssandraControllerOptions): Promise<void> {
  const cluster = new Cluster(kc, 'lab');
  const memory = new Map<string, DcMemory>();
  const mem = (key: string) => memory.get(key) ?? (memory.set(key, {}), memory.get(key)!);

  async function superuserCredentials(ns: string, secretName: string): Promise<{ username: string; password: string } | undefined> {
    const s = await rest.get<V1Secret>(paths.secret(ns, secretName));
    const d = (k: string) => (s?.data?.[k] ? Buffer.from(s.data[k]!, 'base64').toString('utf8') : undefined);
    const username = d('username');
    const password = d('password');
    return username && password ? { username, password } : undefined;
  }

  /** k8ssandra-operator's ReconcileSecret: created once with a random password, never overwritten. */
  async function ensureSuperuserSecret(ns: string, name: string, secretLabels: Record<string, string>): Promise<void> {
    if (await rest.get(paths.secret(ns, name))) return;
    const created = await rest.create(paths.secret(ns), {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace: ns, labels: secretLabels },
      type: 'Opaque',
      stringData: { username: name, password: randomPassword() },
    });
    if (created) log(`${ns}: created superuser secret ${name} (username ${name}, random password)`);
  }

  // ---- K8ssandraCluster (k8ssandra-operator's part) ----
  async function reconcileCluster(ns: string, name: string): Promise<number | undefined> {
    const k = await rest.get<K8ssandraCluster>(paths.k8ssandraCluster(ns, name));
    if (!k || k.metadata.deletionTimestamp) return undefined;
    const cass = k.spec.cassandra ?? {};
    const templates = cass.datacenters ?? [];
    const status: K8ssandraClusterStatus = { ...(k.status ?? {}), error: 'None' };
    const writeStatus = async () => {
      if (!sameStatus(status, k.status)) await rest.replaceStatus(paths.k8ssandraCluster(ns, name), status);
    };
    if (templates.length === 0) {
      status.error = 'spec.cassandra.datacenters is empty';
      await writeStatus();
      return undefined;
    }
    const names = clusterNames(k.metadata.name, cass.clusterName);
    const kcKey = { [labels.k8ssandraCluster]: name, [labels.k8ssandraClusterNamespace]: ns };
    await ensureSuperuserSecret(ns, cass.superuserSecretRef?.name || names.superuserSecret, {
      [labels.replicatedBy]: 'k8ssandracluster-controller',
      ...kcKey,
    });
    if (!k.metadata.annotations?.[initialSystemReplicationAnnotation]) {
      // As k8ssandra-operator: min(3, size) of the first datacenter, recorded once.
      const first = templates[0]!;
      const replication = { [first.datacenterName ?? cass.datacenterName ?? first.metadata.name]: Math.min(3, first.size) };
      await rest.mergePatch(paths.k8ssandraCluster(ns, name), { metadata: { annotations: { [initialSystemReplicationAnnotation]: JSON.stringify(replication) } } });
      log(`${ns}/${name}: initial system replication ${JSON.stringify(replication)}`);
    }
    const datacenters: NonNullable<K8ssandraClusterStatus['datacenters']> = {};
    let allReady = true;
    for (const t of templates) {
      let desired: CassandraDatacenter;
      try {
        desired = datacenterFor(k, t, opts.image);
      } catch (err) {
        status.error = (err as Error).message;
        await writeStatus();
        return undefined;
      }
      const dcNs = desired.metadata.namespace!;
      const before = await rest.get<CassandraDatacenter>(paths.cassandraDatacenter(dcNs, desired.metadata.name));
      const dc = await rest.apply<CassandraDatacenter>(paths.cassandraDatacenter(dcNs, desired.metadata.name), desired);
      if (!before) log(`${ns}/${name}: created CassandraDatacenter ${dcNs}/${dc.metadata.name} (size ${dc.spec.size}, serverVersion ${dc.spec.serverVersion} → ${opts.image})`);
      else if (before.spec.size !== dc.spec.size) log(`${ns}/${name}: CassandraDatacenter ${dc.metadata.name} size ${before.spec.size} → ${dc.spec.size}`);
      datacenters[t.metadata.name] = { cassandra: dc.status ?? {} };
      const ready =
        conditionIs(dc.status?.conditions, 'Ready') && dc.status?.cassandraOperatorProgress === 'Ready' && dc.status?.observedGeneration === dc.metadata.generation;
      allReady &&= ready;
      const stargate = stargateServiceFor(k, dc);
      if (k.spec.stargate || t.stargate) {
        if (!(await rest.get(paths.service(dcNs, stargate.metadata!.name!)))) log(`${ns}/${name}: Stargate CQL Service ${stargate.metadata!.name} (LoadBalancer)`);
        await rest.apply(paths.service(dcNs, stargate.metadata!.name!), stargate);
      } else if (await rest.delete(paths.service(dcNs, stargate.metadata!.name!))) {
        log(`${ns}/${name}: Stargate removed from the spec: deleted Service ${stargate.metadata!.name}`);
      }
    }
    status.datacenters = datacenters;
    if (allReady && !conditionIs(status.conditions, 'CassandraInitialized')) {
      // Set once, when every datacenter is first ready; upstream never changes it afterwards.
      status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== 'CassandraInitialized'), { type: 'CassandraInitialized', status: 'True', lastTransitionTime: new Date().toISOString() }];
      log(`${ns}/${name}: CassandraInitialized`);
    }
    if (allReady) status.observedGeneration = k.metadata.generation;
    await writeStatus();
    return undefined;
  }

  // ---- CassandraDatacenter (cass-operator's part) ----
  async function reconcileDatacenter(ns: string, name: string): Promise<number | undefined> {
    const key = `${ns}/${name}`;
    const dc = await rest.get<CassandraDatacenter>(paths.cassandraDatacenter(ns, name));
    if (!dc || dc.metadata.deletionTimestamp) {
      // Garbage collection removes what it owns; the StatefulSet's retention policy its volumes.
      memory.delete(key);
      return undefined;
    }
    const m = mem(key);
    const n = namesOf(dc);
    const now = new Date().toISOString();
    const target = dc.spec.stopped ? 0 : dc.spec.size;
    const cassDc = cassandraDcName(dc);
    const image = dc.metadata.annotations?.[labAnnotations.image] ?? opts.image;
    let status: CassandraDatacenterStatus = { ...(dc.status ?? {}) };
    const writeStatus = async () => {
      if (!sameStatus(status, dc.status)) await rest.replaceStatus(paths.cassandraDatacenter(ns, name), status);
    };

    for (const svc of servicesFor(dc)) {
      if (!(await rest.get(paths.service(ns, svc.metadata!.name!)))) log(`${key}: Service ${svc.metadata!.name}`);
      await rest.apply(paths.service(ns, svc.metadata!.name!), svc);
    }
    const secretName = dc.spec.superuserSecretName || n.superuserSecret;
    await ensureSuperuserSecret(ns, secretName, {});

    let sts = await rest.get<V1StatefulSet>(paths.statefulSet(ns, n.statefulSet));
    if (!sts) {
      // One node first; the others join one at a time (see "Size" below).
      const seeds = Math.min(3, Math.max(1, target));
      const replicas = Math.min(1, target);
      sts = await rest.apply<V1StatefulSet>(paths.statefulSet(ns, n.statefulSet), statefulSetFor(dc, { replicas, seeds, image }));
      log(`${key}: StatefulSet ${n.statefulSet} (${replicas} of ${target} nodes, ${seeds} seeds, image ${image})`);
      status = { ...status, cassandraOperatorProgress: 'Updating', conditions: setConditions(status.conditions, { Valid: 'True', Initialized: 'False', Ready: 'False' }, now) };
      await writeStatus();
      return 3_000;
    }

    const recordedSeeds = Number(sts.metadata?.annotations?.[labAnnotations.seeds] ?? 3);
    const seeds = Math.max(1, Math.min(recordedSeeds, target || recordedSeeds));
    const replicas = sts.spec?.replicas ?? 0;
    const pods = (await rest.list<V1Pod>(paths.pods(ns, n.rackLabels))).items.sort((a, b) => ordinalOf(a) - ordinalOf(b));
    const live = pods.filter((p) => !p.metadata?.deletionTimestamp && ordinalOf(p) < replicas);
    const ready = live.filter(podReady);
    const allUp = replicas > 0 && live.length === replicas && ready.length === replicas;
    const initialized = conditionIs(status.conditions, 'Initialized') && !!status.superUserUpserted;
    const auth = authEnabled(dc);

    // Pod labels cass-operator maintains: node-state once started, seed-node on seeds.
    for (const p of ready) {
      const want: Record<string, string> = { [labels.nodeState]: 'Started', ...(ordinalOf(p) < seeds ? { [labels.seedNode]: 'true' } : {}) };
      if (Object.entries(want).some(([k, v]) => p.metadata?.labels?.[k] !== v)) {
        await rest.mergePatch(paths.pod(ns, p.metadata!.name!), { metadata: { labels: want } });
      }
    }

    // First-time auth set-up, once the datacenter's every node accepts CQL connections.
    const credentials = await superuserCredentials(ns, secretName);
    if (!credentials) throw new Error(`secret ${ns}/${secretName} has no username/password`);
    if (allUp && !initialized && replicas >= target) {
      const rf = Math.min(3, replicas);
      const r = auth ? await setUpAuth(cluster, ready[0]!.status!.podIP!, cassDc, rf, credentials) : { done: true as const, steps: ['authentication off (AllowAllAuthenticator)'] };
      if (!r.done) {
        m.waitingSince ??= Date.now();
        if (!m.lastWaitLog || Date.now() - m.lastWaitLog > 30_000) {
          log(`${key}: waiting ${Math.round((Date.now() - m.waitingSince) / 1000)}s: ${r.waiting}`);
          m.lastWaitLog = Date.now();
        }
        return 2_000;
      }
      m.waitingSince = undefined;
      for (const step of r.steps) log(`${key}: ${step}`);
      status = { ...status, superUserUpserted: now, usersUpserted: now };
    }

    // Size: grow one node at a time, each once the previous ones accept CQL (as cass-operator starts
    // nodes one by one): nodes started together on an empty ring pick the same tokens (Cassandra's
    // allocator splits the ring evenly for the first nodes of a datacenter), and bootstraps must not
    // overlap. Shrink by decommissioning the highest ordinal.
    let next = replicas;
    let scaling: 'up' | 'down' | undefined;
    if (dc.spec.stopped) {
      next = 0;
    } else if (replicas < target) {
      scaling = 'up';
      if (replicas === 0 || allUp) next = replicas + 1;
    } else if (replicas > target) {
      scaling = 'down';
      const victim = `${n.statefulSet}-${replicas - 1}`;
      const d = m.decommission;
      if (d?.pod === victim && d.done) {
        next = replicas - 1;
        m.decommission = undefined;
      } else if (d?.pod === victim && d.error) {
        log(`${key}: decommission of ${victim} failed (${d.error}); retrying`);
        m.decommission = undefined;
      } else if (!d && !allUp && ready.length === replicas - 1 && !ready.some((p) => p.metadata?.name === victim)) {
        // A decommission this process started before a restart: the node left the ring and closed CQL.
        const victimIP = live.find((p) => p.metadata?.name === victim)?.status?.podIP;
        const ring = await exec(cluster, ns, ready[0]!.metadata!.name!, 'cassandra', ['nodetool', 'status']);
        if (ring.exitCode === 0 && victimIP && !ring.stdout.includes(` ${victimIP} `)) {
          log(`${key}: ${victim} has left the ring (decommissioned earlier)`);
          next = replicas - 1;
        }
      } else if (!d && allUp) {
        if (auth) {
          const lowered = await capSystemReplication(cluster, ready[0]!.status!.podIP!, cassDc, Math.max(1, Math.min(3, replicas - 1)), credentials);
          if (lowered.length) log(`${key}: system keyspaces' replication lowered for ${replicas - 1} nodes: ${lowered.join(', ')}`);
        }
        const task: Decommission = { pod: victim, done: false };
        m.decommission = task;
        log(`${key}: nodetool decommission on ${victim}`);
        const started = Date.now();
        // --force: upstream decommissions even when a keyspace's RF exceeds the nodes left (system_auth RF 3 on 3 → 2).
        exec(cluster, ns, victim, 'cassandra', ['nodetool', 'decommission', '--force'])
          .then((r) => {
            if (r.exitCode === 0) {
              task.done = true;
              log(`${key}: ${victim} decommissioned in ${((Date.now() - started) / 1000).toFixed(1)}s`);
            } else task.error = `exit ${r.exitCode}: ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' ')}`;
          })
          .catch((err: unknown) => (task.error = (err as Error).message))
          .finally(() => queue.add(`dc/${key}`));
      }
    }
    const desiredSts = statefulSetFor(dc, { replicas: next, seeds, image });
    const stsChanged = next !== replicas || sts.metadata?.annotations?.[labAnnotations.seeds] !== String(seeds) || JSON.stringify(sts.spec?.template?.spec?.containers?.[0]?.env) !== JSON.stringify(desiredSts.spec?.template?.spec?.containers?.[0]?.env);
    if (stsChanged) {
      await rest.apply(paths.statefulSet(ns, n.statefulSet), desiredSts);
      if (next !== replicas) log(`${key}: StatefulSet ${n.statefulSet} replicas ${replicas} → ${next} (size ${target})`);
    }

    // Ready only when every node accepts a login with the secret's credentials.
    let verified = false;
    if (allUp && next === replicas && !scaling && (initialized || status.superUserUpserted)) {
      const signature = JSON.stringify([dc.metadata.generation, ready.map((p) => [p.metadata?.uid, p.status?.podIP])]);
      if (m.verified === signature && conditionIs(status.conditions, 'Ready') && status.cassandraOperatorProgress === 'Ready') {
        verified = true;
      } else {
        const nodeStatuses: NonNullable<CassandraDatacenterStatus['nodeStatuses']> = {};
        for (const p of ready) {
          const s = await nodeStatus(cluster, p.status!.podIP!, credentials, cassDc);
          if (!s.ok) {
            log(`${key}: ${p.metadata!.name} does not accept the superuser's login yet: ${s.message}`);
            return 2_000;
          }
          nodeStatuses[p.metadata!.name!] = { hostID: s.hostID, ip: p.status!.podIP!, rack: s.rack };
          // Cassandra caches credentials and roles for a few seconds (credentials_validity, roles_validity):
          // Ready waits until the disabled default superuser is refused everywhere.
          const stale = auth ? await login(cluster, p.status!.podIP!, { username: 'cassandra', password: 'cassandra' }, cassDc) : undefined;
          if (stale?.ok) {
            await stale.session.close();
            return 1_000;
          }
        }
        verified = true;
        m.verified = signature;
        status.nodeStatuses = nodeStatuses;
        const started = ready.map((p) => p.status?.containerStatuses?.[0]?.state?.running?.startedAt).filter(Boolean) as unknown as (string | Date)[];
        if (started.length) status.lastServerNodeStarted = new Date(Math.max(...started.map((s) => new Date(s).getTime()))).toISOString();
      }
    }

    if (dc.spec.stopped) {
      const stopped = live.length === 0;
      status = {
        ...status,
        cassandraOperatorProgress: stopped ? 'Ready' : 'Updating',
        conditions: setConditions(status.conditions, { Stopped: 'True', Ready: 'False' }, now),
        ...(stopped ? { observedGeneration: dc.metadata.generation } : {}),
      };
    } else if (verified) {
      if (status.cassandraOperatorProgress !== 'Ready' || status.observedGeneration !== dc.metadata.generation) {
        log(`${key}: Ready (${ready.length}/${target} nodes accept the superuser's login)`);
      }
      status = {
        ...status,
        cassandraOperatorProgress: 'Ready',
        observedGeneration: dc.metadata.generation,
        conditions: setConditions(
          status.conditions,
          { Valid: 'True', Initialized: 'True', Ready: 'True', Healthy: 'True', ScalingUp: 'False', ScalingDown: 'False', Updating: 'False', Stopped: 'False' },
          now,
        ),
      };
    } else {
      status = {
        ...status,
        cassandraOperatorProgress: 'Updating',
        conditions: setConditions(
          status.conditions,
          {
            ...(scaling === 'up' && initialized ? { ScalingUp: 'True' } : {}),
            ...(scaling === 'down' ? { ScalingDown: 'True' } : {}),
            ...(scaling ? {} : { ScalingUp: 'False', ScalingDown: 'False' }),
            ...(conditionIs(status.conditions, 'Stopped') ? { Stopped: 'False' } : {}),
          },
          now,
        ),
      };
    }
    // Nodes that left the datacenter leave nodeStatuses; a restarting node keeps its entry.
    if (status.nodeStatuses) {
      status.nodeStatuses = Object.fromEntries(Object.entries(status.nodeStatuses).filter(([pod]) => ordinalOf({ metadata: { name: pod } }) < next));
    }
    await writeStatus();
    return verified ? undefined : 3_000;
  }

  const queue = new WorkQueue(
    async (key) => {
      const [kind, ns, name] = key.split('/') as [string, string, string];
      return kind === 'kc' ? reconcileCluster(ns, name) : reconcileDatacenter(ns, name);
    },
    (key, err) => log(`${key}: ${(err as Error).message}`),
  );

  const ownerKey = (o: KubernetesObject, kind: string, prefix: string) => {
    const ref = o.metadata?.ownerReferences?.find((r) => r.kind === kind);
    return ref ? `${prefix}/${o.metadata!.namespace}/${ref.name}` : undefined;
  };
  const watch = <T extends KubernetesObject>(path: string, toKeys: (o: T) => (string | undefined)[], labelSelector?: string) => {
    const inf = makeInformer<T>(kc, path, () => rest.list<T>(`${path}${labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : ''}`) as never, labelSelector);
    const on = (o: T) => {
      for (const k of toKeys(o)) if (k) queue.add(k);
    };
    inf.on('add', on);
    inf.on('update', on);
    inf.on('delete', on);
    inf.on('error', (err) => {
      log(`watch ${path}: ${(err as Error)?.message ?? err}; restarting`);
      setTimeout(() => void inf.start(), 1000);
    });
    return inf;
  };
  const managed = `${labels.managedBy}=cass-operator`;
  const informers = [
    watch<KubernetesObject>('/apis/k8ssandra.io/v1alpha1/k8ssandraclusters', (o) => [`kc/${o.metadata!.namespace}/${o.metadata!.name}`]),
    watch<KubernetesObject>('/apis/cassandra.datastax.com/v1beta1/cassandradatacenters', (o) => [
      `dc/${o.metadata!.namespace}/${o.metadata!.name}`,
      ownerKey(o, 'K8ssandraCluster', 'kc'),
    ]),
    watch<V1StatefulSet>('/apis/apps/v1/statefulsets', (o) => [ownerKey(o, 'CassandraDatacenter', 'dc')], managed),
    watch<V1Pod>('/api/v1/pods', (o) => [`dc/${o.metadata!.namespace}/${o.metadata?.labels?.[labels.datacenter]}`], managed),
    watch<V1Service>('/api/v1/services', (o) => [ownerKey(o, 'CassandraDatacenter', 'dc')], managed),
  ];
  for (const inf of informers) await inf.start();
  // CQL logins and nodetool cannot be watched: look at every datacenter and cluster again now and then.
  setInterval(() => {
    for (const o of informers[0]!.list()) queue.add(`kc/${o.metadata!.namespace}/${o.metadata!.name}`);
    for (const o of informers[1]!.list()) queue.add(`dc/${o.metadata!.namespace}/${o.metadata!.name}`);
  }, opts.resyncMs ?? 30_000);
  log(`watching K8ssandraClusters and CassandraDatacenters (Cassandra image ${opts.image})`);
}
