// Addresses, ports and names of the lab cluster. One node; the node's address is the host side of the
// lab's bridge, not loopback, because the apiserver refuses to proxy (logs/exec/port-forward) to
// loopback node addresses and rejects loopback Endpoints.
import { join } from 'node:path';
import { labPaths } from './paths.ts';

export const lab = {
  nodeName: 'streamcert-lab',
  /** Host side of the pod bridge; the node's InternalIP and where host-run services (DNS, metrics) listen. */
  nodeIP: '10.211.0.1',
  bridge: 'sclab0',
  podCIDR: '10.211.0.0/16',
  /** First pod address; everything below is kept for the host. */
  podRangeStart: '10.211.0.10',
  /** Pods stop below 10.211.250.0/24, the LoadBalancer controller's address pool. */
  podRangeEnd: '10.211.249.254',
  serviceCIDR: '10.96.0.0/16',
  /** First address of the service range: the `kubernetes` Service. */
  apiServiceIP: '10.96.0.1',
  dnsServiceIP: '10.96.0.10',
  clusterDomain: 'cluster.local',
  ports: {
    apiserver: 6443,
    etcdClient: 12379,
    etcdPeer: 12380,
    etcdMetrics: 12381,
    controllerManager: 10257,
    scheduler: 10259,
    kubelet: 10250,
    kubeletHealthz: 10248,
    kubeProxyHealthz: 10256,
    kubeProxyMetrics: 10249,
    dns: 53,
    corednsHealth: 18080,
    corednsReady: 18181,
    metricsServer: 14443,
  },
} as const;

export const statePaths = {
  pki: join(labPaths.state, 'pki'),
  etcdData: join(labPaths.state, 'etcd'),
  run: join(labPaths.state, 'run'),
  config: join(labPaths.state, 'config'),
  kubeletRoot: join(labPaths.state, 'kubelet'),
  containerdRoot: join(labPaths.state, 'containerd', 'root'),
  containerdState: join(labPaths.state, 'containerd', 'state'),
  containerdSock: join(labPaths.state, 'run', 'containerd.sock'),
  cniConf: join(labPaths.state, 'cni', 'net.d'),
  cniIpam: join(labPaths.state, 'cni', 'ipam'),
  pids: join(labPaths.state, 'run', 'pids'),
};

export const apiserverURL = `https://127.0.0.1:${lab.ports.apiserver}`;
