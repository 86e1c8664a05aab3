// The lab: a one-machine Kubernetes made of real components (etcd, kube-apiserver,
// kube-controller-manager, kube-scheduler, containerd + runc, kubelet, kube-proxy, CoreDNS,
// metrics-server). CLI-free; `streamcert lab up|down|status|logs` calls these functions.
import { access } from 'node:fs/promises';
import { createServer } from 'node:net';
import { plog as log } from './progress.ts';
import { startCoreDNS, startMetricsServer } from './addons.ts';
import { apiRequest, getJSON } from './api.ts';
import { ensureLabBinaries } from './build.ts';
import { ensurePKI } from './certs.ts';
import { apiserverReady, etcdHealthy, secureHealthz, startApiserver, startControllerManager, startEtcd, startScheduler } from './controlplane.ts';
import { run, waitFor } from './exec.ts';
import { ensureAptPackages } from './install.ts';
import { writeAllKubeconfigs } from './kubeconfig.ts';
import {
  containerdHealthy,
  ensurePauseImage,
  kubeletHealthy,
  kubeProxyHealthy,
  nodeReady,
  setupNetwork,
  startContainerd,
  startKubelet,
  startKubeProxy,
  waitNodeReady,
} from './node.ts';
import { monitoringNamespace, prometheusPid, prometheusReady, prometheusService, prometheusURL, startPrometheus } from './prometheus.ts';
import { labPaths } from './paths.ts';
import { daemonPid, listDaemons, logFile, rssMiB } from './procs.ts';
import { teardown } from './down.ts';
import { withLabLock } from './lock.ts';
import { artifactPort, controllersAnswer, installLabPlatform, platformReady } from './platform-install.ts';
import { controllerRunning, k8ssandraCrdsEstablished, recordedParts, resolveParts, type LabPart, type LabParts } from './k8ssandra/parts.ts';
import { loadBalancerPool } from './controllers/loadbalancer.ts';
import { setLabQuiet } from './progress.ts';
import { lab, statePaths } from './topology.ts';
import { labVersions } from './versions.ts';

export { importImageArchive, labImages } from './node.ts';
export { busyboxImage, ensureBusyboxImage } from './busybox.ts';
export { labBin, labBinDir, ensureLabBinaries } from './build.ts';
export { labPaths } from './paths.ts';
export { lab as labTopology } from './topology.ts';
export { labVersions } from './versions.ts';
export { labSettings } from './settings.ts';
// What negative controls and our own tests do to the lab for real (lab only: they need its
// containerd and control plane on this machine).
export { freezeContainer, whileFrozen, type Frozen } from './freeze.ts';
export { whileApiServiceDown, whileCrdVersionUnserved } from './api-outage.ts';
export { describeSamples, judgeSamplesAround, restartApiserver, sampler, untilAnsweredAfter, type Outage, type Sample } from './control-path-faults.ts';
export { prometheusConfig } from './prometheus.ts';
export { labCluster } from './testing.ts';
export { labMemory } from './memory.ts';
export { parsePartList } from './k8ssandra/parts.ts';
export { labExampleJar } from './example-jars.ts';
// Debian packages on this machine (the report's browser check needs Chromium's libraries too).
export { ensureAptPackages } from './install.ts';

export interface LabComponentStatus {
  name: string;
  version: string;
  address: string;
  pid?: number;
  healthy: boolean;
  rssMiB?: number;
}

export const labComponents = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'containerd',
  'kubelet',
  'kube-proxy',
  'coredns',
  'metrics-server',
  'lab-controllers',
  'prometheus',
] as const;

async function httpOk(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(3_000) })).status === 200;
  } catch {
    return false;
  }
}

const componentInfo: Record<
  (typeof labComponents)[number],
  { version: string; address: string; healthy: () => Promise<boolean>; /** For components that run in a pod. */ pid?: () => Promise<number | undefined> }
> = {
  etcd: { version: labVersions.etcd, address: `http://127.0.0.1:${lab.ports.etcdClient}`, healthy: etcdHealthy },
  'kube-apiserver': { version: labVersions.kubernetes, address: `https://127.0.0.1:${lab.ports.apiserver}`, healthy: apiserverReady },
  'kube-controller-manager': { version: labVersions.kubernetes, address: `https://127.0.0.1:${lab.ports.controllerManager}`, healthy: () => secureHealthz(lab.ports.controllerManager) },
  'kube-scheduler': { version: labVersions.kubernetes, address: `https://127.0.0.1:${lab.ports.scheduler}`, healthy: () => secureHealthz(lab.ports.scheduler) },
  containerd: { version: 'apt', address: statePaths.containerdSock, healthy: containerdHealthy },
  kubelet: { version: labVersions.kubernetes, address: `https://${lab.nodeIP}:${lab.ports.kubelet}`, healthy: kubeletHealthy },
  'kube-proxy': { version: labVersions.kubernetes, address: `http://127.0.0.1:${lab.ports.kubeProxyHealthz}/healthz`, healthy: kubeProxyHealthy },
  coredns: { version: labVersions.coredns, address: `${lab.nodeIP}:${lab.ports.dns} (Service ${lab.dnsServiceIP})`, healthy: () => httpOk(`http://127.0.0.1:${lab.ports.corednsReady}/ready`) },
  'lab-controllers': {
    version: 'streamcert',
    address: `http://${lab.nodeIP}:${artifactPort} (artifacts), storage provisioner`,
    healthy: controllersAnswer,
  },
  prometheus: {
    version: labVersions.prometheus,
    address: `${prometheusURL} (Service ${monitoringNamespace}/${prometheusService.name}:${prometheusService.port})`,
    healthy: prometheusReady,
    pid: prometheusPid,
  },
  'metrics-server': { version: labVersions.metricsServer, address: `https://${lab.nodeIP}:${lab.ports.metricsServer}`, healthy: async () => (await apiRequest('/apis/metrics.k8s.io/v1beta1/nodes').catch(() => ({ status: 0 }))).status === 200 },
};

async function containerdVersion(): Promise<string> {
  // Debian's build, so ask the binary: "containerd github.com/containerd/containerd 1.6.20~ds1 ...".
  const r = await run('/usr/bin/containerd', ['--version'], { allowFail: true });
  return r.stdout.split(' ')[2]?.trim() ?? 'unknown';
}

export async function labStatus(): Promise<LabComponentStatus[]> {
  return Promise.all(
    labComponents.map(async (name) => {
      const info = componentInfo[name];
      const pid = info.pid ? await info.pid() : await daemonPid(name);
      const version = name === 'containerd' ? await containerdVersion() : info.version;
      const healthy = pid !== undefined && (await info.healthy().catch(() => false));
      return { name, version, address: info.address, pid, healthy, rssMiB: pid ? await rssMiB(pid) : undefined };
    }),
  ).then(async (core) => [...core, ...(await partStatus())]);
}

/**
 * The lab's optional and controller-hosted parts, listed after the processes: they run inside
 * lab-controllers (its pid; their memory is its memory), so no RSS of their own.
 */
async function partStatus(): Promise<LabComponentStatus[]> {
  const controllers = await daemonPid('lab-controllers');
  const out: LabComponentStatus[] = [
    {
      name: 'loadbalancer',
      version: 'streamcert',
      address: `${loadBalancerPool.cidr} on ${lab.bridge}`,
      pid: controllers,
      healthy: await controllerRunning('loadbalancer'),
    },
  ];
  if ((await recordedParts()).cassandra) {
    out.push({
      name: 'k8ssandra (emulated)',
      version: `${labVersions.k8ssandraOperator} CRDs`,
      address: `K8ssandraCluster, CassandraDatacenter (cass-operator ${labVersions.cassOperator})`,
      pid: controllers,
      healthy: (await controllerRunning('k8ssandra')) && (await k8ssandraCrdsEstablished().catch(() => false)),
    });
  }
  return out;
}

/** Path of a component's log file (it may not exist yet). */
export function labLogs(component: string): string {
  return logFile(component);
}

async function clusterUsable(): Promise<boolean> {
  // The processes only: labUp on a usable cluster installs the platform again, which restores the parts.
  const statuses = (await labStatus()).filter((s) => (labComponents as readonly string[]).includes(s.name));
  if (!statuses.every((s) => s.healthy)) return false;
  return (await nodeReady().catch(() => false)) && (await platformReady().catch(() => false));
}

/**
 * Brings the lab up (building binaries first if needed) and returns the admin kubeconfig path.
 * Idempotent: a healthy lab returns at once; a partly running one gets its missing parts started.
 */
export async function labUp(opts: { progress?: boolean; with?: LabPart[]; without?: LabPart[] } = {}): Promise<{ kubeconfig: string }> {
  setLabQuiet(opts.progress === false);
  try {
    const parts = await resolveParts(opts);
    if (await isUp()) {
      // Cheap when nothing changed; picks up rebuilt images, changed platform manifests and a changed
      // Prometheus configuration.
      await withLabLock('up', async () => {
        await installLabPlatform(labPaths.kubeconfig, parts);
        await startPrometheus(labPaths.kubeconfig);
      });
      log.info(`lab is up (kubeconfig ${labPaths.kubeconfig})`);
      return { kubeconfig: labPaths.kubeconfig };
    }
    return await withLabLock('up', async () => {
      // Another process may have brought it up while this one waited for the lock.
      if (await isUp()) return { kubeconfig: labPaths.kubeconfig };
      return bringUp(parts);
    });
  } finally {
    setLabQuiet(false);
  }
}

async function isUp(): Promise<boolean> {
  return (await access(labPaths.kubeconfig).then(() => true, () => false)) && (await clusterUsable());
}

function portFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

/**
 * Ports and the bridge are machine-wide, while state is per STREAMCERT_HOME: refuse to start over
 * another lab (or anything else) already holding the lab's ports, with a clear message instead of a
 * component that fails to bind.
 */
async function checkPortsFree(): Promise<void> {
  const owned: [string, number, string][] = [
    ['etcd', lab.ports.etcdClient, '127.0.0.1'],
    ['kube-apiserver', lab.ports.apiserver, '0.0.0.0'],
    ['kubelet', lab.ports.kubeletHealthz, '127.0.0.1'],
  ];
  for (const [name, port, host] of owned) {
    if ((await daemonPid(name)) === undefined && !(await portFree(port, host))) {
      throw new Error(`port ${port} (${name}) is in use by another process: is a lab with another STREAMCERT_HOME running? (this one: ${labPaths.home})`);
    }
  }
}

/**
 * A lab whose processes all died without `lab down` (machine restart, killed session, kill -9) leaves
 * mounts, network namespaces, iptables rules and a cluster state whose pods no longer exist. Starting
 * over from a clean slate is more dependable than reviving that state: the lab is disposable, and
 * binaries and images survive the clean-up.
 */
async function cleanUpAfterCrash(): Promise<void> {
  const recorded = await listDaemons();
  if (recorded.length === 0) return;
  for (const name of recorded) if ((await daemonPid(name)) !== undefined) return;
  log.warn(`the lab was not shut down cleanly (${recorded.length} components recorded, none running): clearing its leftovers first`);
  await teardown();
}

async function bringUp(parts: LabParts): Promise<{ kubeconfig: string }> {
  const started = Date.now();
  log.step('lab up');
  await cleanUpAfterCrash();
  await checkPortsFree();
  await ensureAptPackages();
  await ensureLabBinaries();
  await ensurePKI();
  await writeAllKubeconfigs();
  await setupNetwork();
  log.step('control plane');
  await startEtcd();
  await startApiserver();
  log.step('controllers, node and add-ons');
  const node = (async () => {
    await startContainerd();
    await ensurePauseImage();
    await startKubelet();
  })();
  await Promise.all([startControllerManager(), startScheduler(), startKubeProxy(), startCoreDNS(), node]);
  await waitNodeReady();
  await startMetricsServer();
  // Pods can only be created once their namespace's default ServiceAccount exists.
  await waitFor('default ServiceAccount', async () => !!(await getJSON('/api/v1/namespaces/default/serviceaccounts/default')), { timeoutMs: 60_000 });
  await startPrometheus(labPaths.kubeconfig);
  await installLabPlatform(labPaths.kubeconfig, parts);
  log.info(`lab up in ${((Date.now() - started) / 1000).toFixed(1)}s; kubeconfig ${labPaths.kubeconfig}`);
  return { kubeconfig: labPaths.kubeconfig };
}

/** Stops everything the lab started and removes its pods, mounts, namespaces, bridge and rules. */
export async function labDown(): Promise<void> {
  await withLabLock('down', teardown);
}
