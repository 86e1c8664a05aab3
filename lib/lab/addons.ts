// Cluster add-ons run as host processes next to the node: CoreDNS (cluster DNS, the kube-dns Service)
// and metrics-server (the metrics.k8s.io API the HPA reads). Both bind the node address; their
// Services have no selector and an Endpoints object the lab maintains pointing at the node address,
// which the controller-manager mirrors into EndpointSlices for kube-proxy and the aggregator.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { applyObject, apiRequest, httpsRequest, type KubeObject } from './api.ts';
import { labBin } from './build.ts';
import { pki, pkiFiles } from './certs.ts';
import { waitFor, writeIfChanged } from './exec.ts';
import { componentKubeconfig } from './kubeconfig.ts';
import { startDaemon } from './procs.ts';
import { lab, statePaths } from './topology.ts';

function rbac(name: string, user: string, rules: unknown[]): KubeObject[] {
  return [
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
    },
  ];
}

/** A selectorless Service whose only endpoint is a host process on the node address. */
function hostService(name: string, clusterIP: string | undefined, ports: { name: string; port: number; protocol: 'TCP' | 'UDP'; targetPort: number }[], labels: Record<string, string>): KubeObject[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: 'kube-system', labels },
      spec: { ...(clusterIP ? { clusterIP } : {}), ports: ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol, targetPort: p.targetPort })) },
    },
    {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name, namespace: 'kube-system', labels },
      subsets: [{ addresses: [{ ip: lab.nodeIP }], ports: ports.map((p) => ({ name: p.name, port: p.targetPort, protocol: p.protocol })) }],
    },
  ];
}

export async function startCoreDNS(): Promise<void> {
  for (const o of rbac('streamcert:coredns', 'streamcert:coredns', [
    { apiGroups: [''], resources: ['endpoints', 'services', 'pods', 'namespaces'], verbs: ['list', 'watch'] },
    { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
  ])) await applyObject(o);
  await Promise.all(
    hostService('kube-dns', lab.dnsServiceIP, [
      { name: 'dns', port: 53, protocol: 'UDP', targetPort: lab.ports.dns },
      { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: lab.ports.dns },
    ], { 'k8s-app': 'kube-dns', 'kubernetes.io/name': 'CoreDNS' }).map(applyObject),
  );
  const corefile = join(statePaths.config, 'Corefile');
  // Two server blocks: the cluster zones answered from the API, and everything else answered NXDOMAIN
  // at once (nothing outside the lab may be contacted, so there is no upstream to forward to).
  const config = `${lab.clusterDomain}:${lab.ports.dns} in-addr.arpa:${lab.ports.dns} ip6.arpa:${lab.ports.dns} {
    bind ${lab.nodeIP}
    errors
    health 127.0.0.1:${lab.ports.corednsHealth}
    ready 127.0.0.1:${lab.ports.corednsReady}
    kubernetes ${lab.clusterDomain} in-addr.arpa ip6.arpa {
        kubeconfig ${componentKubeconfig('coredns')}
        pods insecure
        ttl 5
    }
    cache 5
    loadbalance
}
.:${lab.ports.dns} {
    bind ${lab.nodeIP}
    errors
    template ANY ANY {
        rcode NXDOMAIN
    }
}
`;
  await writeIfChanged(corefile, config);
  await startDaemon({ name: 'coredns', bin: labBin('coredns'), args: ['-conf', corefile], config });
  await waitFor('coredns /ready', async () => {
    const r = await fetch(`http://127.0.0.1:${lab.ports.corednsReady}/ready`, { signal: AbortSignal.timeout(3_000) });
    return r.status === 200;
  }, { timeoutMs: 60_000, daemon: 'coredns' });
}

export async function startMetricsServer(): Promise<void> {
  const objs: KubeObject[] = [
    ...rbac('streamcert:metrics-server', 'streamcert:metrics-server', [
      { apiGroups: [''], resources: ['nodes/metrics'], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] },
    ]),
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'streamcert:metrics-server:auth-delegator' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:auth-delegator' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'streamcert:metrics-server' }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'streamcert:metrics-server:auth-reader', namespace: 'kube-system' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'extension-apiserver-authentication-reader' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'streamcert:metrics-server' }],
    },
    // What `kubectl top` users need; aggregated into view/edit/admin like upstream's manifest.
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: {
        name: 'system:aggregated-metrics-reader',
        labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true', 'rbac.authorization.k8s.io/aggregate-to-edit': 'true', 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' },
      },
      rules: [{ apiGroups: ['metrics.k8s.io'], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] }],
    },
    ...hostService('metrics-server', undefined, [{ name: 'https', port: 443, protocol: 'TCP', targetPort: lab.ports.metricsServer }], { 'k8s-app': 'metrics-server' }),
  ];
  for (const o of objs) await applyObject(o);

  const serving = pki('metrics-server-serving');
  const kc = componentKubeconfig('metrics-server');
  await startDaemon({
    name: 'metrics-server',
    bin: labBin('metrics-server'),
    args: [
      `--bind-address=${lab.nodeIP}`,
      `--secure-port=${lab.ports.metricsServer}`,
      `--tls-cert-file=${serving.cert}`,
      `--tls-private-key-file=${serving.key}`,
      `--kubeconfig=${kc}`,
      `--authentication-kubeconfig=${kc}`,
      `--authorization-kubeconfig=${kc}`,
      '--kubelet-preferred-address-types=InternalIP',
      '--kubelet-use-node-status-port',
      `--kubelet-certificate-authority=${pkiFiles.ca.cert}`,
      // Lab setting (lib/lab/settings.ts): metrics-server's shortest resolution (its default is 60 s; the
      // kubelet's own CPU stats refresh about every 10 s).
      '--metric-resolution=10s',
      // It must stay below the resolution (metrics-server refuses to start otherwise); the default is 10 s.
      '--kubelet-request-timeout=5s',
      '--v=1',
    ],
  });
  // /livez, not /readyz: readiness waits for the first scrape (one metric resolution); the
  // APIService check below is what clients depend on.
  await waitFor('metrics-server /livez', async () => {
    const r = await httpsRequest(`https://${lab.nodeIP}:${lab.ports.metricsServer}/livez`, 'GET', { insecure: true });
    return r.status === 200;
  }, { timeoutMs: 90_000, daemon: 'metrics-server' });
  await applyObject({
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name: 'v1beta1.metrics.k8s.io', labels: { 'k8s-app': 'metrics-server' } },
    spec: {
      group: 'metrics.k8s.io',
      version: 'v1beta1',
      service: { name: 'metrics-server', namespace: 'kube-system', port: 443 },
      caBundle: (await readFile(pkiFiles.ca.cert)).toString('base64'),
      groupPriorityMinimum: 100,
      versionPriority: 100,
    },
  });
  await waitFor('APIService v1beta1.metrics.k8s.io Available', async () => {
    const r = await apiRequest('/apis/apiregistration.k8s.io/v1/apiservices/v1beta1.metrics.k8s.io');
    const obj = JSON.parse(r.body) as { status?: { conditions?: { type: string; status: string; message?: string }[] } };
    const c = obj.status?.conditions?.find((x) => x.type === 'Available');
    if (c?.status === 'True') return true;
    if (c) throw new Error(c.message ?? 'not available');
    return false;
  }, { timeoutMs: 60_000 });
}

