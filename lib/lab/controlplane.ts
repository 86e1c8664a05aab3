// The control plane: etcd, kube-apiserver, kube-controller-manager and kube-scheduler as host
// processes started from the binaries build.ts made. Single instance each, so leader election is off
// (it would only add a lease wait to every start).
import { mkdir } from 'node:fs/promises';
import { labBin } from './build.ts';
import { pki, pkiFiles } from './certs.ts';
import { apiRequest, httpsRequest } from './api.ts';
import { waitFor } from './exec.ts';
import { componentKubeconfig } from './kubeconfig.ts';
import { startDaemon } from './procs.ts';
import { lab, statePaths } from './topology.ts';

async function httpGet(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(3_000) });
  return { status: res.status, body: await res.text() };
}

export async function etcdHealthy(): Promise<boolean> {
  try {
    const r = await httpGet(`http://127.0.0.1:${lab.ports.etcdClient}/health`);
    return r.status === 200 && r.body.includes('"health":"true"');
  } catch {
    return false;
  }
}

export async function apiserverReady(): Promise<boolean> {
  try {
    const r = await apiRequest('/readyz');
    return r.status === 200;
  } catch {
    return false;
  }
}

/** Health of a component's secure port; /healthz is always allowed for anonymous callers. */
export async function secureHealthz(port: number): Promise<boolean> {
  try {
    const r = await httpsRequest(`https://127.0.0.1:${port}/healthz`, 'GET', { insecure: true });
    return r.status === 200;
  } catch {
    return false;
  }
}

export async function startEtcd(): Promise<void> {
  await mkdir(statePaths.etcdData, { recursive: true, mode: 0o700 });
  const peer = `http://127.0.0.1:${lab.ports.etcdPeer}`;
  const client = `http://127.0.0.1:${lab.ports.etcdClient}`;
  await startDaemon({
    name: 'etcd',
    bin: labBin('etcd'),
    args: [
      '--name=lab',
      `--data-dir=${statePaths.etcdData}`,
      // Loopback only, plain HTTP: nothing but the apiserver on this host talks to etcd.
      `--listen-client-urls=${client}`,
      `--advertise-client-urls=${client}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=lab=${peer}`,
      `--listen-metrics-urls=http://127.0.0.1:${lab.ports.etcdMetrics}`,
      '--initial-cluster-state=new',
      // A lab cluster is small; keep etcd's memory and disk modest.
      '--quota-backend-bytes=2147483648',
      '--snapshot-count=10000',
      '--auto-compaction-retention=10m',
      '--auto-compaction-mode=periodic',
      '--log-level=warn',
    ],
  });
  await waitFor('etcd', () => etcdHealthy(), { timeoutMs: 30_000, daemon: 'etcd' });
}

export async function startApiserver(): Promise<void> {
  const serving = pki('apiserver');
  const kubeletClient = pki('apiserver-kubelet-client');
  const frontProxy = pki('front-proxy-client');
  await startDaemon({
    name: 'kube-apiserver',
    bin: labBin('kube-apiserver'),
    args: [
      `--etcd-servers=http://127.0.0.1:${lab.ports.etcdClient}`,
      '--bind-address=0.0.0.0',
      `--secure-port=${lab.ports.apiserver}`,
      // The `kubernetes` Service's endpoint: pods reach the apiserver through 10.96.0.1 -> this address.
      `--advertise-address=${lab.nodeIP}`,
      `--tls-cert-file=${serving.cert}`,
      `--tls-private-key-file=${serving.key}`,
      `--client-ca-file=${pkiFiles.ca.cert}`,
      `--kubelet-client-certificate=${kubeletClient.cert}`,
      `--kubelet-client-key=${kubeletClient.key}`,
      `--kubelet-certificate-authority=${pkiFiles.ca.cert}`,
      '--kubelet-preferred-address-types=InternalIP,Hostname',
      `--service-account-issuer=https://kubernetes.default.svc.${lab.clusterDomain}`,
      `--service-account-key-file=${pkiFiles.saPub}`,
      `--service-account-signing-key-file=${pkiFiles.saKey}`,
      `--service-cluster-ip-range=${lab.serviceCIDR}`,
      '--authorization-mode=Node,RBAC',
      '--enable-admission-plugins=NodeRestriction',
      '--allow-privileged=true',
      // Aggregation layer (metrics.k8s.io from metrics-server): the apiserver authenticates to the
      // extension server with the front-proxy client certificate and passes the user in headers.
      `--requestheader-client-ca-file=${pkiFiles.frontProxyCA.cert}`,
      '--requestheader-allowed-names=front-proxy-client',
      '--requestheader-username-headers=X-Remote-User',
      '--requestheader-group-headers=X-Remote-Group',
      '--requestheader-extra-headers-prefix=X-Remote-Extra-',
      `--proxy-client-cert-file=${frontProxy.cert}`,
      `--proxy-client-key-file=${frontProxy.key}`,
      // Call aggregated servers at their endpoint address (the node IP) rather than via the Service IP.
      '--enable-aggregator-routing=true',
      '--profiling=false',
      '--event-ttl=2h',
      '--v=1',
    ],
  });
  await waitFor('kube-apiserver /readyz', () => apiserverReady(), { timeoutMs: 90_000, daemon: 'kube-apiserver' });
}

export async function startControllerManager(): Promise<void> {
  const kc = componentKubeconfig('controller-manager');
  await startDaemon({
    name: 'kube-controller-manager',
    bin: labBin('kube-controller-manager'),
    args: [
      `--kubeconfig=${kc}`,
      `--authentication-kubeconfig=${kc}`,
      `--authorization-kubeconfig=${kc}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${lab.ports.controllerManager}`,
      '--leader-elect=false',
      // Published into every namespace as kube-root-ca.crt, which service-account token volumes mount.
      `--root-ca-file=${pkiFiles.ca.cert}`,
      `--service-account-private-key-file=${pkiFiles.saKey}`,
      '--use-service-account-credentials=true',
      `--cluster-signing-cert-file=${pkiFiles.ca.cert}`,
      `--cluster-signing-key-file=${pkiFiles.ca.key}`,
      '--allocate-node-cidrs=true',
      `--cluster-cidr=${lab.podCIDR}`,
      '--node-cidr-mask-size=16',
      `--service-cluster-ip-range=${lab.serviceCIDR}`,
      // Lab setting (lib/lab/settings.ts): the default sync period is 15 s; 05's HPA acts within 5 s of fresh metrics.
      '--horizontal-pod-autoscaler-sync-period=5s',
      '--v=1',
    ],
  });
  await waitFor('kube-controller-manager /healthz', () => secureHealthz(lab.ports.controllerManager), { timeoutMs: 60_000, daemon: 'kube-controller-manager' });
}

export async function startScheduler(): Promise<void> {
  const kc = componentKubeconfig('scheduler');
  await startDaemon({
    name: 'kube-scheduler',
    bin: labBin('kube-scheduler'),
    args: [
      `--kubeconfig=${kc}`,
      `--authentication-kubeconfig=${kc}`,
      `--authorization-kubeconfig=${kc}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${lab.ports.scheduler}`,
      '--leader-elect=false',
      '--v=1',
    ],
  });
  await waitFor('kube-scheduler /healthz', () => secureHealthz(lab.ports.scheduler), { timeoutMs: 60_000, daemon: 'kube-scheduler' });
}
