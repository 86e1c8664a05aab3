// Tears the lab down: every process it started, every pod (runc container, overlay mount, network
// namespace, veth), kube-proxy's and the lab's iptables rules, the bridge, and the cluster state
// (etcd data, kubelet dir). Keeps built binaries, certificates and the images in containerd's store.
import { readFile, readdir, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { plog as log } from './progress.ts';
import { labBin } from './build.ts';
import { run } from './exec.ts';
import { labIptablesRules, containerdAnswers, kubeProxyConfigFile } from './node.ts';
import { labPaths } from './paths.ts';
import { daemonPid, listDaemons, stopDaemon } from './procs.ts';
import { lab, statePaths } from './topology.ts';
import { volumesDir } from './controllers/provisioner.ts';


const ctrArgs = ['-a', statePaths.containerdSock, '-n', 'k8s.io'];

/** Network namespace paths of the lab's pod sandboxes, read from containerd's container specs. */
async function podNetnsPaths(ids: string[]): Promise<string[]> {
  const paths = new Set<string>();
  for (const id of ids) {
    const r = await run('ctr', [...ctrArgs, 'containers', 'info', id], { allowFail: true });
    if (r.code !== 0) continue;
    try {
      const info = JSON.parse(r.stdout) as { Spec?: { linux?: { namespaces?: { type: string; path?: string }[] } } };
      for (const ns of info.Spec?.linux?.namespaces ?? []) {
        if (ns.type === 'network' && ns.path?.startsWith('/var/run/netns/')) paths.add(ns.path);
      }
    } catch {
      // Not JSON: nothing to learn from this container.
    }
  }
  return [...paths];
}

/** Kills and removes every container in the lab's containerd (CRI namespace) and their netns. */
async function removeAllContainers(): Promise<void> {
  const list = await run('ctr', [...ctrArgs, 'containers', 'ls', '-q'], { allowFail: true });
  const ids = list.stdout.split('\n').filter(Boolean);
  if (ids.length === 0) return;
  log.info(`  removing ${ids.length} containers`);
  const netns = await podNetnsPaths(ids);
  const tasks = (await run('ctr', [...ctrArgs, 'tasks', 'ls', '-q'], { allowFail: true })).stdout.split('\n').filter(Boolean);
  await Promise.all(tasks.map((id) => run('ctr', [...ctrArgs, 'tasks', 'kill', '-a', '-s', 'SIGKILL', id], { allowFail: true })));
  // Waits for each exit; the shim then unmounts the rootfs and exits itself. "not found" means
  // containerd's CRI event handler deleted the task first.
  await Promise.all(
    tasks.map(async (id) => {
      for (let i = 0; i < 50; i++) {
        const r = await run('ctr', [...ctrArgs, 'tasks', 'delete', '-f', id], { allowFail: true });
        if (r.code === 0 || /not found/.test(r.stderr)) break;
        await new Promise((res) => setTimeout(res, 100));
      }
    }),
  );
  await Promise.all(ids.map((id) => run('ctr', [...ctrArgs, 'containers', 'rm', id], { allowFail: true })));
  for (const p of netns) {
    await run('umount', [p], { allowFail: true });
    await rm(p, { force: true });
  }
}

/** Shims of the lab's containerd that outlived their tasks (identified by our socket in their arguments). */
async function killOrphanShims(): Promise<void> {
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmd.includes('containerd-shim') && cmd.includes(statePaths.containerdSock)) {
      log.warn(`killing leftover shim pid ${pid}`);
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
}

/** Unmounts everything mounted below the lab's state dir, deepest first. */
async function unmountState(): Promise<void> {
  const info = await readFile('/proc/self/mountinfo', 'utf8');
  const mounts = info
    .split('\n')
    .map((l) => l.split(' ')[4])
    .filter((m): m is string => !!m && m.startsWith(`${labPaths.state}/`))
    .map((m) => m.replace(/\\040/g, ' '))
    .sort((a, b) => b.length - a.length);
  for (const m of mounts) {
    const r = await run('umount', [m], { allowFail: true });
    if (r.code !== 0) await run('umount', ['-l', m], { allowFail: true });
  }
  if (mounts.length) log.info(`  unmounted ${mounts.length} mounts under ${labPaths.state}`);
}

/** Removes the (empty) kubepods cgroups the kubelet created in every v1 hierarchy. */
async function removeKubeCgroups(): Promise<void> {
  const roots = await readdir('/sys/fs/cgroup').catch(() => [] as string[]);
  const rmTree = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) if (e.isDirectory()) await rmTree(join(dir, e.name));
    await rmdir(dir).catch(() => undefined);
  };
  for (const r of roots) await rmTree(join('/sys/fs/cgroup', r, 'kubepods'));
}

async function restoreNetwork(): Promise<void> {
  for (const rule of labIptablesRules) {
    const [t, table, chain, ...spec] = rule as [string, string, string, ...string[]];
    while ((await run('iptables', [t, table, '-D', chain, ...spec], { allowFail: true })).code === 0) {
      // Delete every copy.
    }
  }
  // The kubelet's canary chains (it recreates them while running).
  for (const table of ['mangle', 'nat', 'filter']) {
    await run('iptables', ['-t', table, '-F', 'KUBE-KUBELET-CANARY'], { allowFail: true });
    await run('iptables', ['-t', table, '-X', 'KUBE-KUBELET-CANARY'], { allowFail: true });
  }
  await run('iptables', ['-t', 'mangle', '-X', 'KUBE-IPTABLES-HINT'], { allowFail: true });
  // The kubelet's route_localnet guard chain (kube-proxy --cleanup leaves it to its owner).
  for (const chain of ['INPUT', 'OUTPUT']) {
    while ((await run('iptables', ['-t', 'filter', '-D', chain, '-j', 'KUBE-FIREWALL'], { allowFail: true })).code === 0) {
      // Delete every copy.
    }
  }
  await run('iptables', ['-t', 'filter', '-F', 'KUBE-FIREWALL'], { allowFail: true });
  await run('iptables', ['-t', 'filter', '-X', 'KUBE-FIREWALL'], { allowFail: true });
  await run('ip', ['link', 'delete', lab.bridge], { allowFail: true });
  const saved = join(statePaths.run, 'sysctl-before.json');
  try {
    const before = JSON.parse(await readFile(saved, 'utf8')) as Record<string, string>;
    for (const [k, v] of Object.entries(before)) await run('sh', ['-c', `echo ${v} > /proc/sys/${k}`], { allowFail: true });
    await rm(saved, { force: true });
  } catch {
    // Nothing recorded: the lab never changed them.
  }
}

export async function teardown(): Promise<void> {
  log.step('lab down');
  const started = Date.now();
  // Host processes other modules started through startDaemon (platform controllers and the like)
  // go first: they are clients of the cluster that is about to disappear.
  const core = new Set(['kubelet', 'containerd', 'kube-proxy', 'metrics-server', 'coredns', 'kube-scheduler', 'kube-controller-manager', 'kube-apiserver', 'etcd']);
  for (const name of await listDaemons()) if (!core.has(name)) await stopDaemon(name);
  // The kubelet first, so it does not restart containers while they are being removed.
  await stopDaemon('kubelet');
  if (await daemonPid('containerd')) {
    if (await containerdAnswers()) await removeAllContainers();
    await stopDaemon('containerd');
  }
  await killOrphanShims();
  if (await daemonPid('kube-proxy')) await stopDaemon('kube-proxy');
  // kube-proxy's own cleanup mode removes every KUBE-* rule and chain it created.
  await run(labBin('kube-proxy'), ['--cleanup', `--config=${kubeProxyConfigFile()}`], { allowFail: true });
  for (const name of ['metrics-server', 'coredns', 'kube-scheduler', 'kube-controller-manager', 'kube-apiserver', 'etcd']) {
    await stopDaemon(name);
  }
  await unmountState();
  await removeKubeCgroups();
  await restoreNetwork();
  // Cluster state goes; binaries, certificates and images stay.
  // Volumes of the hostPath provisioner: their claims went with the etcd data.
  for (const p of [volumesDir, statePaths.etcdData, statePaths.kubeletRoot, statePaths.containerdState, statePaths.cniIpam, join(labPaths.state, 'pod-logs'), labPaths.kubeconfig]) {
    await rm(p, { recursive: true, force: true });
  }
  log.info(`lab down in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}
