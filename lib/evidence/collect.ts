// Evidence of a failure, collected before teardown removes it: the objects involved (YAML with
// status), their events, every container's log (and the previous container's when it restarted),
// and the operator's log tail. Written under reports/<run>/evidence/<suite>/<check>/. Secret values
// never leave the cluster: Secrets are recorded by name and keys only.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { V1Pod } from '@kubernetes/client-node';
import type { Cluster } from '../k8s/cluster.ts';
import { list, type K8sObject } from '../k8s/objects.ts';
import { podLogs } from '../k8s/pods.ts';
import { kinds, type ResourceKind } from '../k8s/resources.ts';
import { log } from '../log.ts';

/** Kinds worth dumping from a suite's namespace; CRD kinds that are not served are skipped. */
const namespacedKinds: ResourceKind[] = [
  kinds.FlinkDeployment,
  kinds.FlinkSessionJob,
  kinds.K8ssandraCluster,
  kinds.CassandraDatacenter,
  kinds.Deployment,
  kinds.StatefulSet,
  kinds.ReplicaSet,
  kinds.Pod,
  kinds.Service,
  kinds.ConfigMap,
  kinds.PersistentVolumeClaim,
  kinds.HorizontalPodAutoscaler,
  kinds.Secret,
];

export interface EvidenceScope {
  cluster: Cluster;
  namespaces: string[];
  /** Namespace of the Flink operator, whose log tail is always useful. */
  operatorNamespace?: string;
}

export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}

function redact(obj: K8sObject): K8sObject {
  const copy = structuredClone(obj) as K8sObject & { data?: Record<string, string>; stringData?: unknown };
  delete (copy.metadata as { managedFields?: unknown }).managedFields;
  if (copy.kind === 'Secret') {
    copy.data = Object.fromEntries(Object.keys(copy.data ?? {}).map((k) => [k, '<redacted>']));
    delete copy.stringData;
  }
  return copy;
}

async function dumpNamespace(scope: EvidenceScope, namespace: string, dir: string, files: string[]): Promise<void> {
  for (const kind of namespacedKinds) {
    let items: K8sObject[];
    try {
      items = await list<K8sObject>(scope.cluster, kind, { namespace });
    } catch {
      continue; // kind not served on this cluster (e.g. no K8ssandra CRDs)
    }
    if (items.length === 0) continue;
    const file = join(dir, `${namespace}.${kind.plural}.yaml`);
    await writeFile(file, items.map((i) => stringify(redact({ ...i, apiVersion: kind.apiVersion, kind: kind.kind }))).join('---\n'));
    files.push(file);
    if (kind === kinds.Pod) await dumpPodLogs(scope.cluster, items as unknown as V1Pod[], dir, files);
  }
  const events = await scope.cluster.core.listNamespacedEvent({ namespace }).catch(() => undefined);
  if (events?.items.length) {
    const lines = events.items
      .map((e) => ({ t: new Date(e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? 0), e }))
      .sort((a, b) => a.t.getTime() - b.t.getTime())
      .map(
        ({ t, e }) =>
          `${t.toISOString()} ${e.type} ${e.reason} ${e.involvedObject.kind}/${e.involvedObject.name} (x${e.count ?? 1}): ${e.message}`,
      );
    const file = join(dir, `${namespace}.events.txt`);
    await writeFile(file, `${lines.join('\n')}\n`);
    files.push(file);
  }
}

async function dumpPodLogs(cluster: Cluster, pods: V1Pod[], dir: string, files: string[]): Promise<void> {
  for (const pod of pods) {
    const ns = pod.metadata!.namespace!;
    const name = pod.metadata!.name!;
    for (const status of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
      const variants: boolean[] = status.restartCount > 0 ? [false, true] : [false];
      for (const previous of variants) {
        const text = await podLogs(cluster, ns, name, { container: status.name, previous, tailLines: 2000 }).catch(
          (err: Error) => `(no log: ${err.message})`,
        );
        const file = join(dir, `${ns}.${name}.${status.name}${previous ? '.previous' : ''}.log`);
        await writeFile(file, text);
        files.push(file);
      }
    }
  }
}

/** Collects everything into `dir`; never throws (a failing collector must not hide the failure). */
export async function collectEvidence(scope: EvidenceScope, dir: string): Promise<string[]> {
  const files: string[] = [];
  try {
    await mkdir(dir, { recursive: true });
    for (const ns of scope.namespaces) await dumpNamespace(scope, ns, dir, files);
    if (scope.operatorNamespace) {
      const pods = await scope.cluster.core
        .listNamespacedPod({ namespace: scope.operatorNamespace })
        .catch(() => undefined);
      for (const pod of pods?.items ?? []) {
        for (const c of pod.spec?.containers ?? []) {
          const text = await podLogs(scope.cluster, scope.operatorNamespace, pod.metadata!.name!, {
            container: c.name,
            tailLines: 500,
          }).catch((err: Error) => `(no log: ${err.message})`);
          const file = join(dir, `operator.${pod.metadata!.name}.${c.name}.log`);
          await writeFile(file, text);
          files.push(file);
        }
      }
    }
  } catch (err) {
    log.warn(`evidence collection incomplete: ${(err as Error).message}`);
  }
  return files;
}
