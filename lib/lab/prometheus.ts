// Monitoring for the lab: a real Prometheus (built from the Go module proxy, lib/lab/build.ts) run the
// way a platform team runs it: a Deployment in namespace `monitoring` behind the Service
// `prometheus` port 9090, with a ServiceAccount allowed to discover pods and read the apiserver's
// /metrics. It is a pod, not a host process like CoreDNS, because clients reach an in-cluster
// Prometheus through a port-forward, and a port-forward (like the apiserver's service proxy) reaches
// pods only. Its image is built here, as upstream's is: a busybox-like base and the static binary.
// It scrapes the pods annotated `prometheus.io/scrape: "true"` at `prometheus.io/port` (Flink's
// reporter port, when a FlinkDeployment turns the reporter on and annotates its pods), the apiserver
// and itself. etcd's metrics listen on the host's loopback, out of a pod's reach: not scraped.
import { createHash } from 'node:crypto';
import { chmod, chown, copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { connect, type Cluster } from '../k8s/cluster.ts';
import { apply, type K8sObject } from '../k8s/objects.ts';
import { labBin, labBinDir } from './build.ts';
import { run, waitFor } from './exec.ts';
import { plog as log } from './progress.ts';
import { importImageArchive, labImages } from './node.ts';
import { buildImageArchive } from './oci.ts';
import { labPaths } from './paths.ts';
import { labVersions } from './versions.ts';

export const monitoringNamespace = 'monitoring';
export const prometheusService = { name: 'prometheus', port: 9090 };
/** A fixed ClusterIP (the low, statically allocated part of the range), so the host can check it by address. */
export const prometheusClusterIP = '10.96.0.90';
export const prometheusURL = `http://${prometheusClusterIP}:${prometheusService.port}`;
export const prometheusImage = `docker.io/prom/prometheus:${labVersions.prometheus}`;
const labels = { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/managed-by': 'streamcert-lab' };
const selector = { 'app.kubernetes.io/name': 'prometheus' };
const serviceAccountDir = '/var/run/secrets/kubernetes.io/serviceaccount';
const imageDir = join(labPaths.images, 'prometheus');

/** The scrape configuration: annotated pods every 5 s (suites wait on them), the apiserver every 30 s. */
export function prometheusConfig(): Record<string, unknown> {
  return {
    global: { scrape_interval: '15s', scrape_timeout: '10s', evaluation_interval: '15s', external_labels: { cluster: 'streamcert-lab' } },
    scrape_configs: [
      { job_name: 'prometheus', static_configs: [{ targets: [`localhost:${prometheusService.port}`] }] },
      {
        job_name: 'kubernetes-pods',
        scrape_interval: '5s',
        scrape_timeout: '4s',
        kubernetes_sd_configs: [{ role: 'pod' }],
        relabel_configs: [
          { source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'], regex: 'true', action: 'keep' },
          { source_labels: ['__meta_kubernetes_pod_phase'], regex: 'Running', action: 'keep' },
          { source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_path'], regex: '(.+)', target_label: '__metrics_path__' },
          // One target per pod at the annotated port, whatever ports its containers declare (the
          // targets per declared port then collapse into one).
          {
            source_labels: ['__meta_kubernetes_pod_ip', '__meta_kubernetes_pod_annotation_prometheus_io_port'],
            regex: '(.+);(\\d+)',
            replacement: '$1:$2',
            target_label: '__address__',
          },
          { action: 'labelmap', regex: '__meta_kubernetes_pod_label_(.+)' },
          { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
          { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
        ],
      },
      {
        job_name: 'kube-apiserver',
        scrape_interval: '30s',
        scheme: 'https',
        authorization: { credentials_file: `${serviceAccountDir}/token` },
        tls_config: { ca_file: `${serviceAccountDir}/ca.crt` },
        static_configs: [{ targets: ['kubernetes.default.svc:443'] }],
      },
    ],
  };
}

/** What the binary was built from (build.ts's stamp), so that `lab up` need not hash 70 MiB each time. */
async function binaryKey(): Promise<string> {
  const stamp = JSON.parse(await readFile(join(labBinDir(), '.stamp.json'), 'utf8')) as Record<string, string>;
  if (!stamp.prometheus) throw new Error(`prometheus is not built yet (no stamp in ${labBinDir()})`);
  return stamp.prometheus;
}

/**
 * Builds the image from the built binary and imports it into the node's containerd, again whenever
 * the binary changes; returns the binary's key (a change must restart the pod, as the tag stays).
 */
async function ensurePrometheusImage(): Promise<string> {
  const binary = labBin('prometheus');
  const hash = await binaryKey();
  const marker = join(imageDir, 'imported');
  const imported = await readFile(marker, 'utf8').catch(() => '');
  if (imported === hash && (await labImages()).includes(prometheusImage)) return hash;
  log.info(`  prometheus: building image ${prometheusImage}`);
  const root = join(imageDir, 'rootfs');
  await rm(imageDir, { recursive: true, force: true });
  for (const d of ['bin', 'etc', 'prometheus']) await mkdir(join(root, d), { recursive: true });
  await copyFile(binary, join(root, 'bin', 'prometheus'));
  await chmod(join(root, 'bin', 'prometheus'), 0o755);
  await writeFile(join(root, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/false\nnobody:x:65534:65534:nobody:/home:/bin/false\n');
  await writeFile(join(root, 'etc', 'group'), 'root:x:0:\nnobody:x:65534:\n');
  await chown(join(root, 'prometheus'), 65534, 65534);
  const archive = join(imageDir, `prometheus-${hash}.tar`);
  await buildImageArchive(
    {
      tags: [prometheusImage],
      layers: [root],
      config: {
        Entrypoint: ['/bin/prometheus'],
        Cmd: ['--config.file=/etc/prometheus/prometheus.yml', '--storage.tsdb.path=/prometheus'],
        User: 'nobody',
        WorkingDir: '/prometheus',
        ExposedPorts: { '9090/tcp': {} },
      },
    },
    archive,
  );
  // The archive holds the layer; the directory is only its source.
  await rm(root, { recursive: true, force: true });
  await importImageArchive(archive);
  await writeFile(marker, hash);
  return hash;
}

function prometheusObjects(config: string, binaryHash: string): K8sObject[] {
  const meta = (name: string, namespaced = true) => ({ name, ...(namespaced ? { namespace: monitoringNamespace } : {}), labels });
  const configHash = createHash('sha256').update(config).digest('hex').slice(0, 16);
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: monitoringNamespace, labels: { 'app.kubernetes.io/managed-by': 'streamcert-lab' } } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('prometheus') },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: meta('streamcert-lab:prometheus', false),
      rules: [
        { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
        { nonResourceURLs: ['/metrics'], verbs: ['get'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: meta('streamcert-lab:prometheus', false),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'streamcert-lab:prometheus' },
      subjects: [{ kind: 'ServiceAccount', name: 'prometheus', namespace: monitoringNamespace }],
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('prometheus-config'), data: { 'prometheus.yml': config } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta('prometheus'),
      spec: {
        replicas: 1,
        // One TSDB directory: never two servers at once.
        strategy: { type: 'Recreate' },
        selector: { matchLabels: selector },
        template: {
          // A changed configuration or binary rolls the pod (the tag stays the same).
          metadata: { labels, annotations: { 'streamcert.io/config-hash': configHash, 'streamcert.io/binary-hash': binaryHash } },
          spec: {
            serviceAccountName: 'prometheus',
            securityContext: { runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534 },
            containers: [
              {
                name: 'prometheus',
                image: prometheusImage,
                imagePullPolicy: 'Never',
                args: [
                  '--config.file=/etc/prometheus/prometheus.yml',
                  '--storage.tsdb.path=/prometheus',
                  // The lab is for test runs: a few hours of history is plenty and keeps disk and RAM small.
                  '--storage.tsdb.retention.time=6h',
                  '--storage.tsdb.retention.size=512MB',
                  `--web.listen-address=:${prometheusService.port}`,
                ],
                ports: [{ name: 'http', containerPort: prometheusService.port, protocol: 'TCP' }],
                readinessProbe: { httpGet: { path: '/-/ready', port: 'http' }, periodSeconds: 5 },
                livenessProbe: { httpGet: { path: '/-/healthy', port: 'http' }, periodSeconds: 30, failureThreshold: 4 },
                // A small request so Flink still fits on two cores; the limit guards the node's memory.
                resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '1Gi' } },
                volumeMounts: [
                  { name: 'config', mountPath: '/etc/prometheus' },
                  { name: 'data', mountPath: '/prometheus' },
                ],
              },
            ],
            volumes: [
              { name: 'config', configMap: { name: 'prometheus-config' } },
              { name: 'data', emptyDir: { sizeLimit: '1Gi' } },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(prometheusService.name),
      spec: {
        clusterIP: prometheusClusterIP,
        selector,
        ports: [{ name: 'http', port: prometheusService.port, targetPort: 'http', protocol: 'TCP' }],
      },
    },
  ];
}

export async function prometheusReady(): Promise<boolean> {
  return (await prometheusReadiness()) === 'ready';
}

/** 'ready', or what /-/ready answered instead (status or connection error), for progress lines. */
async function prometheusReadiness(): Promise<string> {
  try {
    const res = await fetch(`${prometheusURL}/-/ready`, { signal: AbortSignal.timeout(3_000) });
    await res.arrayBuffer();
    return res.status === 200 ? 'ready' : `/-/ready answered HTTP ${res.status}`;
  } catch (e) {
    const err = e as Error & { cause?: Error };
    return `/-/ready: ${err.cause?.message ?? err.message}`;
  }
}

/** Pid of the Prometheus server in its pod (for `lab status`), found by its command line. */
export async function prometheusPid(): Promise<number | undefined> {
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (!cmdline.startsWith('/bin/prometheus\0--config.file=/etc/prometheus/prometheus.yml')) continue;
    const cgroup = await readFile(`/proc/${pid}/cgroup`, 'utf8').catch(() => '');
    if (cgroup.includes('kubepods')) return Number(pid);
  }
  return undefined;
}

/**
 * Which hop of host → ClusterIP → pod is missing, when the ClusterIP does not answer: the
 * ready pods, each answering at its own address or not, kube-proxy's rule for the ClusterIP.
 */
async function servicePath(cluster: Cluster): Promise<string> {
  const pods = await cluster.core.listNamespacedPod({ namespace: monitoringNamespace, labelSelector: Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',') }).catch(() => undefined);
  const ready = (pods?.items ?? [])
    .filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') && p.status.podIP)
    .map((p) => p.status!.podIP!);
  const direct = await Promise.all(
    ready.map(async (ip) => {
      const ok = await fetch(`http://${ip}:${prometheusService.port}/-/ready`, { signal: AbortSignal.timeout(2_000) })
        .then((r) => r.status === 200)
        .catch(() => false);
      return `${ip} ${ok ? 'answers' : 'does not answer'} directly`;
    }),
  );
  const rules = await run('iptables', ['-t', 'nat', '-S', 'KUBE-SERVICES'], { allowFail: true });
  const rule = rules.stdout.includes(`${prometheusClusterIP}/32`) ? 'kube-proxy has a rule for it' : 'kube-proxy has no rule for it';
  return `ready endpoints: ${direct.length ? direct.join(', ') : 'none'}; ${rule}`;
}

export async function startPrometheus(kubeconfig: string): Promise<void> {
  const binaryHash = await ensurePrometheusImage();
  const { cluster } = await connect({ kubeconfig }, 'lab', 15_000);
  for (const obj of prometheusObjects(stringify(prometheusConfig()), binaryHash)) await apply(cluster, obj);
  // The rolled-out pod, not the one a changed configuration replaces, must answer.
  await waitFor(`Deployment ${monitoringNamespace}/prometheus rolled out and ${prometheusURL}/-/ready`, async () => {
    const d = await cluster.apps.readNamespacedDeployment({ name: 'prometheus', namespace: monitoringNamespace });
    const st = d.status;
    const rolledOut = (st?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1) && st?.updatedReplicas === 1 && st?.readyReplicas === 1 && st?.replicas === 1;
    // Thrown, not returned: the progress lines and the timeout then say which half is missing.
    if (!rolledOut) {
      throw new Error(`Deployment not rolled out: generation ${d.metadata?.generation} observed ${st?.observedGeneration ?? '-'}, replicas ${st?.replicas ?? 0} updated ${st?.updatedReplicas ?? 0} ready ${st?.readyReplicas ?? 0}`);
    }
    const readiness = await prometheusReadiness();
    if (readiness !== 'ready') throw new Error(`Deployment rolled out, but ${readiness}; ${await servicePath(cluster)}`);
    return true;
  }, { timeoutMs: 120_000 });
}
