// Monitoring for the lab: a real Prometheus (built from the Go module proxy, lib/lab/build.ts) run as
// a host process on the node address, like CoreDNS and metrics-server. It finds pods through
// Kubernetes service discovery (role pod, the admin kubeconfig) and scrapes those annotated
// `prometheus.io/scrape: "true"` at `prometheus.io/port` (Flink's reporter port, when a FlinkDeployment
// turns the reporter on and annotates its pods), plus the apiserver and etcd. In the cluster it is the
// selectorless Service `monitoring/prometheus` port 9090, whose Endpoints name the node address.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { applyObject, type KubeObject } from './api.ts';
import { labBin } from './build.ts';
import { pki, pkiFiles } from './certs.ts';
import { waitFor, writeIfChanged } from './exec.ts';
import { labPaths } from './paths.ts';
import { startDaemon } from './procs.ts';
import { lab, statePaths } from './topology.ts';

export const prometheusPort = 19090;
export const monitoringNamespace = 'monitoring';
export const prometheusService = { name: 'prometheus', port: 9090 };
export const prometheusURL = `http://${lab.nodeIP}:${prometheusPort}`;
const dataDir = join(labPaths.state, 'prometheus');

/** The scrape configuration: annotated pods every 5 s (suites wait on them), the control plane every 30 s. */
export function prometheusConfig(): Record<string, unknown> {
  const admin = pki('admin');
  return {
    global: { scrape_interval: '15s', scrape_timeout: '10s', evaluation_interval: '15s', external_labels: { cluster: 'streamcert-lab' } },
    scrape_configs: [
      { job_name: 'prometheus', static_configs: [{ targets: [`${lab.nodeIP}:${prometheusPort}`] }] },
      {
        job_name: 'kubernetes-pods',
        scrape_interval: '5s',
        scrape_timeout: '4s',
        kubernetes_sd_configs: [{ role: 'pod', kubeconfig_file: labPaths.kubeconfig }],
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
        tls_config: { ca_file: pkiFiles.ca.cert, cert_file: admin.cert, key_file: admin.key },
        static_configs: [{ targets: [`127.0.0.1:${lab.ports.apiserver}`] }],
      },
      { job_name: 'etcd', scrape_interval: '30s', static_configs: [{ targets: [`127.0.0.1:${lab.ports.etcdMetrics}`] }] },
    ],
  };
}

function prometheusServiceObjects(): KubeObject[] {
  const labels = { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/managed-by': 'streamcert-lab' };
  const metadata = { name: prometheusService.name, namespace: monitoringNamespace, labels };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: monitoringNamespace, labels: { 'app.kubernetes.io/managed-by': 'streamcert-lab' } } },
    { apiVersion: 'v1', kind: 'Service', metadata, spec: { ports: [{ name: 'http', port: prometheusService.port, targetPort: prometheusPort, protocol: 'TCP' }] } },
    {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata,
      subsets: [{ addresses: [{ ip: lab.nodeIP }], ports: [{ name: 'http', port: prometheusPort, protocol: 'TCP' }] }],
    },
  ];
}

export async function prometheusReady(): Promise<boolean> {
  try {
    return (await fetch(`${prometheusURL}/-/ready`, { signal: AbortSignal.timeout(3_000) })).status === 200;
  } catch {
    return false;
  }
}

export async function startPrometheus(): Promise<void> {
  for (const o of prometheusServiceObjects()) await applyObject(o);
  const configFile = join(statePaths.config, 'prometheus.yml');
  const config = stringify(prometheusConfig());
  await writeIfChanged(configFile, config);
  await mkdir(dataDir, { recursive: true });
  await startDaemon({
    name: 'prometheus',
    bin: labBin('prometheus'),
    args: [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${dataDir}`,
      // The lab is for test runs: a few hours of history is plenty and keeps the disk and RAM small.
      '--storage.tsdb.retention.time=6h',
      '--storage.tsdb.retention.size=512MB',
      `--web.listen-address=${lab.nodeIP}:${prometheusPort}`,
      '--log.level=info',
    ],
    config,
  });
  await waitFor('prometheus /-/ready', prometheusReady, { timeoutMs: 60_000 });
}
