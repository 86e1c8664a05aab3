// 10's negative control for the Cassandra metrics check (only under STREAMCERT_SELFTEST_FAULTS on the
// lab, lib/suite/selftest-faults.ts): a pod that announces a Cassandra exporter, labelled cassandra and
// annotated for scraping at MCAC's port 9103, where nothing listens, as a Cassandra whose pods are
// annotated for Prometheus while its metrics agent is not loaded. Prometheus then really scrapes a
// Cassandra target and gets no Cassandra series. Never part of a check.
import type { Cluster } from '../k8s/cluster.ts';
import { apply, type K8sObject } from '../k8s/objects.ts';
import type { Prometheus } from './prometheus.ts';
import { Deadline, polled, until } from '../util/until.ts';

export const absentExporterPod = 'cassandra-exporter-absent';

/** Creates the pod and returns once Prometheus has scraped it at least once (so its error is known). */
export async function announceAbsentCassandraExporter(
  cluster: Cluster,
  prometheus: Prometheus,
  o: { namespace: string; labels: Record<string, string>; image: string; timeoutMs: number },
): Promise<void> {
  const pod: K8sObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: absentExporterPod,
      namespace: o.namespace,
      labels: { ...o.labels, 'app.kubernetes.io/name': 'cassandra' },
      annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9103' },
    },
    spec: {
      terminationGracePeriodSeconds: 0,
      containers: [{ name: 'idle', image: o.image, imagePullPolicy: 'IfNotPresent', command: ['sleep', 'infinity'], resources: { requests: { cpu: '10m', memory: '16Mi' } } }],
    },
  };
  await apply(cluster, pod);
  await until(
    polled({
      description: `fault cassandra-exporter-absent: Prometheus to scrape pod ${o.namespace}/${absentExporterPod}`,
      check: async () =>
        (await prometheus.activeTargets()).find(
          (t) => t.labels.pod === absentExporterPod && t.labels.namespace === o.namespace && t.health !== 'unknown',
        ),
      intervalMs: 1000,
    }),
    Deadline.in(o.timeoutMs),
  );
}
