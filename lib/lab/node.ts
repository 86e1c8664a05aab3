// The lab's one node: a Linux bridge for pod networking (CNI bridge + host-local IPAM), a containerd
// of its own (own config, root, state and socket under the state dir, CRI plugin, runc), the kubelet
// and kube-proxy (iptables mode). Everything runs as host processes; pods are real runc containers.
import { access, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { plog as log } from './progress.ts';
import { getJSON, httpsRequest } from './api.ts';
import { labBin } from './build.ts';
import { pki, pkiFiles } from './certs.ts';
import { criVersion } from './cri.ts';
import { run, waitFor, writeIfChanged } from './exec.ts';
import { componentKubeconfig } from './kubeconfig.ts';
import { buildImageArchive } from './oci.ts';
import { labPaths } from './paths.ts';
import { startDaemon } from './procs.ts';
import { lab, statePaths } from './topology.ts';
import { labVersions } from './versions.ts';

/** iptables rules the lab adds itself (kube-proxy's own rules are removed by `kube-proxy --cleanup`). */
export const labIptablesRules: string[][] = [
  ['-t', 'filter', 'FORWARD', '-i', lab.bridge, '-m', 'comment', '--comment', 'streamcert-lab', '-j', 'ACCEPT'],
  ['-t', 'filter', 'FORWARD', '-o', lab.bridge, '-m', 'comment', '--comment', 'streamcert-lab', '-j', 'ACCEPT'],
];

const sysctls: Record<string, string> = {
  'net/ipv4/ip_forward': '1',
  // Bridged pod-to-pod traffic must pass iptables so Service DNAT replies are un-NATed (ClusterIP
  // between two pods on the same bridge).
  'net/bridge/bridge-nf-call-iptables': '1',
};

async function exists(p: string): Promise<boolean> {
  return access(p).then(() => true, () => false);
}

/** Bridge, addresses, sysctls and forwarding rules. Records the sysctls' previous values for `lab down`. */
export async function setupNetwork(): Promise<void> {
  await run('modprobe', ['br_netfilter'], { allowFail: true });
  const saved = join(statePaths.run, 'sysctl-before.json');
  if (!(await exists(saved))) {
    const before: Record<string, string> = {};
    for (const k of Object.keys(sysctls)) before[k] = (await readFile(`/proc/sys/${k}`, 'utf8')).trim();
    await mkdir(statePaths.run, { recursive: true });
    await writeFile(saved, JSON.stringify(before));
  }
  for (const [k, v] of Object.entries(sysctls)) await writeFile(`/proc/sys/${k}`, v);

  const link = await run('ip', ['link', 'show', lab.bridge], { allowFail: true });
  if (link.code !== 0) await run('ip', ['link', 'add', lab.bridge, 'type', 'bridge']);
  const addr = await run('ip', ['-4', 'addr', 'show', 'dev', lab.bridge]);
  const prefix = lab.podCIDR.split('/')[1];
  if (!addr.stdout.includes(`${lab.nodeIP}/${prefix}`)) await run('ip', ['addr', 'add', `${lab.nodeIP}/${prefix}`, 'dev', lab.bridge]);
  await run('ip', ['link', 'set', lab.bridge, 'up']);
  for (const rule of labIptablesRules) {
    const [t, table, chain, ...spec] = rule as [string, string, string, ...string[]];
    const check = await run('iptables', [t, table, '-C', chain, ...spec], { allowFail: true });
    if (check.code !== 0) await run('iptables', [t, table, '-A', chain, ...spec]);
  }
}

async function writeCniConfig(): Promise<string> {
  await mkdir(statePaths.cniConf, { recursive: true });
  await mkdir(statePaths.cniIpam, { recursive: true });
  const conf = {
    cniVersion: '0.4.0',
    name: 'streamcert-lab',
    plugins: [
      {
        type: 'bridge',
        bridge: lab.bridge,
        isGateway: true,
        // No masquerade: pods talk only to the host and each other; nothing leaves the machine.
        ipMasq: false,
        hairpinMode: true,
        ipam: {
          type: 'host-local',
          dataDir: statePaths.cniIpam,
          ranges: [[{ subnet: lab.podCIDR, rangeStart: lab.podRangeStart, rangeEnd: lab.podRangeEnd, gateway: lab.nodeIP }]],
          routes: [{ dst: '0.0.0.0/0' }],
        },
      },
      { type: 'portmap', capabilities: { portMappings: true } },
    ],
  };
  const text = JSON.stringify(conf, null, 2);
  await writeIfChanged(join(statePaths.cniConf, '10-streamcert-lab.conflist'), text);
  return text;
}

export const containerdConfigFile = (): string => join(statePaths.config, 'containerd.toml');

async function writeContainerdConfig(): Promise<string> {
  const toml = `# Written by streamcert lab (lib/lab/node.ts); a containerd of the lab's own, not the system one.
version = 2
root = "${statePaths.containerdRoot}"
state = "${statePaths.containerdState}"

[grpc]
  address = "${statePaths.containerdSock}"

[ttrpc]
  address = "${statePaths.containerdSock}.ttrpc"

[debug]
  level = "warn"

[metrics]
  address = ""

[plugins."io.containerd.internal.v1.opt"]
  path = "${join(labPaths.state, 'containerd', 'opt')}"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "${labVersions.pauseImage}"
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_selinux = false
  disable_apparmor = true
  max_container_log_line_size = 16384
  # This machine withholds CAP_SYS_RESOURCE, so nothing may lower an oom_score_adj (the kubelet asks
  # -998 for sandboxes and guaranteed pods); containerd then clamps to its own score instead.
  restrict_oom_score_adj = true

  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    # The lab has no registry; images are imported, and a pull would fail anyway.
    discard_unpacked_layers = false

    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"

      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false

  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "${statePaths.cniConf}"
    max_conf_num = 1
`;
  await mkdir(statePaths.config, { recursive: true });
  await writeIfChanged(containerdConfigFile(), toml);
  return toml;
}

export function ctr(args: string[], opts: { timeoutMs?: number } = {}): ReturnType<typeof run> {
  return run('ctr', ['-a', statePaths.containerdSock, '-n', 'k8s.io', ...args], { timeoutMs: opts.timeoutMs ?? 300_000 });
}

/** containerd answers its own API (what `ctr` needs, e.g. to remove containers at `lab down`). */
export async function containerdAnswers(): Promise<boolean> {
  const r = await run('ctr', ['-a', statePaths.containerdSock, 'version'], { allowFail: true, timeoutMs: 3_000 });
  return r.code === 0 && r.stdout.includes('Server:');
}

/** containerd answers and its CRI service has finished starting: what the kubelet needs before it starts. */
export async function containerdHealthy(): Promise<boolean> {
  return (await containerdAnswers()) && (await criVersion(statePaths.containerdSock)).ok;
}

/**
 * The lab never reaches outside the machine, not even with a name lookup. A pull of an image the lab
 * does not hold would resolve the registry's name (registry-1.docker.io) through the machine's DNS and
 * connect to it. Every registry request of containerd goes through a proxy instead, so its client never
 * resolves the registry's name itself, and the proxy is a loopback port where nothing listens: the
 * pull fails at once, the image named in the kubelet's event, with "proxyconnect … connection refused".
 */
export const registryBlackhole = 'http://127.0.0.1:9';

function containerdEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HTTPS_PROXY: registryBlackhole, HTTP_PROXY: registryBlackhole, NO_PROXY: '' };
  for (const k of ['https_proxy', 'http_proxy', 'no_proxy', 'ALL_PROXY', 'all_proxy']) delete env[k];
  return env;
}

export async function startContainerd(): Promise<void> {
  const env = containerdEnv();
  // The proxy settings are part of what a running containerd is compared with, so an older lab restarts into them.
  const config = (await writeCniConfig()) + (await writeContainerdConfig()) + `\n# env HTTPS_PROXY=${env.HTTPS_PROXY} HTTP_PROXY=${env.HTTP_PROXY} NO_PROXY=\n`;
  await mkdir(statePaths.containerdRoot, { recursive: true, mode: 0o711 });
  await mkdir(statePaths.containerdState, { recursive: true, mode: 0o711 });
  await startDaemon({ name: 'containerd', bin: '/usr/bin/containerd', args: ['--config', containerdConfigFile()], config, env });
  await waitFor('containerd and its CRI service', () => containerdHealthy(), { timeoutMs: 30_000, daemon: 'containerd' });
}

/** Names of the images the lab's containerd holds (CRI namespace). */
export async function labImages(): Promise<string[]> {
  const r = await ctr(['images', 'ls', '-q']);
  return r.stdout.split('\n').filter(Boolean);
}

/** Imports a docker-archive tarball (from oci.ts) into the lab's containerd, where pods see it. */
export async function importImageArchive(file: string): Promise<void> {
  const started = Date.now();
  // --no-unpack would defer unpacking to first use; unpacking now keeps pod start fast.
  await ctr(['images', 'import', '--digests', '--snapshotter', 'overlayfs', file], { timeoutMs: 900_000 });
  log.info(`  imported ${file} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

/** Builds the pause image from the static pause binary and imports it unless present. */
export async function ensurePauseImage(): Promise<void> {
  if ((await labImages()).includes(labVersions.pauseImage)) return;
  const root = join(labPaths.images, 'pause', 'rootfs');
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  await run('cp', [labBin('pause'), join(root, 'pause')]);
  const archive = join(labPaths.images, 'pause', 'pause.tar');
  await buildImageArchive({ tags: [labVersions.pauseImage], layers: [root], config: { Entrypoint: ['/pause'], User: '65535:65535' } }, archive);
  await importImageArchive(archive);
}

export const kubeletConfigFile = (): string => join(statePaths.config, 'kubelet.yaml');

async function writeKubeletConfig(): Promise<string> {
  const serving = pki('kubelet-serving');
  const resolv = join(statePaths.config, 'pod-resolv.conf');
  // Pods with dnsPolicy ClusterFirst get the cluster DNS; this file is what "Default" pods inherit.
  // It has no nameserver on purpose: nothing outside the lab may be contacted.
  await writeIfChanged(resolv, '# streamcert lab: pods resolve cluster names only (dnsPolicy ClusterFirst)\n');
  const cfg = {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    address: lab.nodeIP,
    port: lab.ports.kubelet,
    readOnlyPort: 0,
    healthzBindAddress: '127.0.0.1',
    healthzPort: lab.ports.kubeletHealthz,
    tlsCertFile: serving.cert,
    tlsPrivateKeyFile: serving.key,
    serverTLSBootstrap: false,
    authentication: {
      anonymous: { enabled: false },
      webhook: { enabled: true, cacheTTL: '30s' },
      x509: { clientCAFile: pkiFiles.ca.cert },
    },
    authorization: { mode: 'Webhook' },
    // The machine mounts cgroup v1 hierarchies; Kubernetes 1.35 refuses v1 unless told otherwise.
    cgroupDriver: 'cgroupfs',
    failCgroupV1: false,
    failSwapOn: false,
    containerRuntimeEndpoint: `unix://${statePaths.containerdSock}`,
    imageServiceEndpoint: `unix://${statePaths.containerdSock}`,
    podLogsDir: join(labPaths.state, 'pod-logs'),
    clusterDNS: [lab.dnsServiceIP],
    clusterDomain: lab.clusterDomain,
    resolvConf: resolv,
    maxPods: 110,
    serializeImagePulls: false,
    // A lab never evicts for pressure or collects its (imported, unpullable) images.
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    evictionHard: {
      'memory.available': '50Mi',
      'nodefs.available': '1%',
      'nodefs.inodesFree': '1%',
      'imagefs.available': '1%',
      'imagefs.inodesFree': '1%',
    },
    evictionPressureTransitionPeriod: '30s',
    nodeStatusUpdateFrequency: '10s',
    // Pods get real cgroups (cpu/memory accounting feeds metrics-server and the HPA).
    cgroupsPerQOS: true,
    enforceNodeAllocatable: ['pods'],
    shutdownGracePeriod: '0s',
    // Kernel sysctls as they are; the lab does not tune the host.
    protectKernelDefaults: false,
    containerLogMaxSize: '20Mi',
    containerLogMaxFiles: 3,
  };
  await mkdir(statePaths.config, { recursive: true });
  const text = stringify(cfg);
  await writeIfChanged(kubeletConfigFile(), text);
  return text;
}

interface NodeObj {
  status?: { conditions?: { type: string; status: string; message?: string }[]; nodeInfo?: { kubeletVersion?: string } };
}

export async function nodeReady(): Promise<boolean> {
  const node = await getJSON<NodeObj>(`/api/v1/nodes/${lab.nodeName}`);
  const ready = node?.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status === 'True') return true;
  if (ready) throw new Error(`node not Ready: ${ready.message ?? ready.status}`);
  return false;
}

export async function kubeletHealthy(): Promise<boolean> {
  try {
    const r = await fetch(`http://127.0.0.1:${lab.ports.kubeletHealthz}/healthz`, { signal: AbortSignal.timeout(3_000) });
    return r.status === 200;
  } catch {
    return false;
  }
}

export async function startKubelet(): Promise<void> {
  const config = await writeKubeletConfig();
  await mkdir(statePaths.kubeletRoot, { recursive: true });
  await startDaemon({
    name: 'kubelet',
    bin: labBin('kubelet'),
    args: [
      `--config=${kubeletConfigFile()}`,
      `--kubeconfig=${componentKubeconfig('kubelet')}`,
      `--root-dir=${statePaths.kubeletRoot}`,
      `--hostname-override=${lab.nodeName}`,
      `--node-ip=${lab.nodeIP}`,
      '--v=1',
    ],
    config,
  });
  await waitFor('kubelet /healthz', () => kubeletHealthy(), { timeoutMs: 60_000, daemon: 'kubelet' });
}

export async function waitNodeReady(): Promise<void> {
  await waitFor(`node ${lab.nodeName} Ready`, () => nodeReady(), { timeoutMs: 120_000 });
}

export const kubeProxyConfigFile = (): string => join(statePaths.config, 'kube-proxy.yaml');

export function kubeProxyConfig(): Record<string, unknown> {
  return {
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    clientConnection: { kubeconfig: componentKubeconfig('kube-proxy') },
    mode: 'iptables',
    hostnameOverride: lab.nodeName,
    // Traffic from outside this range to a ClusterIP is masqueraded (host processes -> Services);
    // a pod reaching itself through its Service is masqueraded by kube-proxy's hairpin rule.
    clusterCIDR: lab.podCIDR,
    bindAddress: '0.0.0.0',
    healthzBindAddress: `127.0.0.1:${lab.ports.kubeProxyHealthz}`,
    metricsBindAddress: `127.0.0.1:${lab.ports.kubeProxyMetrics}`,
    // Leave the host's conntrack table sizes alone.
    conntrack: { maxPerCore: 0, min: 0 },
    iptables: { masqueradeAll: false, localhostNodePorts: false, syncPeriod: '30s', minSyncPeriod: '1s' },
    nodePortAddresses: [`${lab.nodeIP}/32`],
  };
}

export async function kubeProxyHealthy(): Promise<boolean> {
  try {
    const r = await fetch(`http://127.0.0.1:${lab.ports.kubeProxyHealthz}/healthz`, { signal: AbortSignal.timeout(3_000) });
    return r.status === 200;
  } catch {
    return false;
  }
}

export async function startKubeProxy(): Promise<void> {
  const config = stringify(kubeProxyConfig());
  await writeIfChanged(kubeProxyConfigFile(), config);
  await startDaemon({
    name: 'kube-proxy',
    bin: labBin('kube-proxy'),
    args: [`--config=${kubeProxyConfigFile()}`, '--v=1'],
    config,
  });
  await waitFor('kube-proxy /healthz', () => kubeProxyHealthy(), { timeoutMs: 60_000, daemon: 'kube-proxy' });
}

/** GET on the kubelet's API with the apiserver's kubelet client certificate (diagnostics). */
export function kubeletGet(path: string): ReturnType<typeof httpsRequest> {
  const c = pki('apiserver-kubelet-client');
  return httpsRequest(`https://${lab.nodeIP}:${lab.ports.kubelet}${path}`, 'GET', { ca: pkiFiles.ca.cert, cert: c.cert, key: c.key });
}
