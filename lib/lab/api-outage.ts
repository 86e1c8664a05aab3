// Parts of the API taken away for real, for 01's negative controls, each restored whatever happens.
//
// An aggregated API down: the APIService is pointed at a Service that does not exist, so the
// API server's availability controller marks it Available=False and every client of that API (the HPA
// for metrics.k8s.io) gets nothing, exactly as when metrics-server is gone. Restored right after, and
// waited on until Available again: the namespace controller cannot delete namespaces while an
// aggregated API is unavailable, so the run's teardown must come after the restore.
import type { Cluster } from '../k8s/cluster.ts';
import { read, type K8sObject } from '../k8s/objects.ts';
import { kinds } from '../k8s/resources.ts';
import { watchedObject } from '../k8s/wait.ts';
import { Deadline, until } from '../util/until.ts';

type ApiService = K8sObject & {
  spec: { service?: { name: string; namespace: string; port?: number } };
  status?: { conditions?: { type: string; status: string }[] };
};

const absentService = 'streamcert-selftest-absent';

const available = (a: ApiService | undefined) => a?.status?.conditions?.find((c) => c.type === 'Available')?.status;

/** The cluster-scoped object as it is now; an error naming it when it is not there. */
async function current<T extends K8sObject>(cluster: Cluster, kind: (typeof kinds)[keyof typeof kinds], name: string): Promise<T> {
  const obj = await read<T>(cluster, kind, name);
  if (!obj) throw new Error(`${kind.kind} ${name} does not exist`);
  return obj;
}

async function pointAt(cluster: Cluster, name: string, service: ApiService['spec']['service']): Promise<void> {
  const apiService = await current<ApiService>(cluster, kinds.APIService, name);
  apiService.spec.service = service;
  await cluster.objects.replace(apiService);
}

async function untilAvailable(cluster: Cluster, name: string, want: boolean): Promise<void> {
  await until(
    watchedObject<true, ApiService>(
      cluster,
      { kind: kinds.APIService, name },
      {
        description: `APIService ${name} to be ${want ? 'Available again' : 'unavailable'}`,
        check: (a) => ((available(a) === 'True') === want ? true : undefined),
        observe: (a) => `Available=${available(a) ?? 'none'}`,
      },
    ),
    Deadline.in(60_000),
  );
}

/** Runs `observe` with APIService `name` unavailable (when `broken`), and restores it whatever happens. */
export async function whileApiServiceDown<T>(cluster: Cluster, name: string, broken: boolean, observe: () => Promise<T>): Promise<T> {
  if (!broken) return observe();
  const original = (await current<ApiService>(cluster, kinds.APIService, name)).spec.service;
  if (!original) throw new Error(`APIService ${name} is served locally (no spec.service): cannot take it down`);
  try {
    await pointAt(cluster, name, { ...original, name: absentService });
    await untilAvailable(cluster, name, false);
    return await observe();
  } finally {
    await pointAt(cluster, name, original);
    await untilAvailable(cluster, name, true);
  }
}

type Crd = K8sObject & { spec: { versions: { name: string; served: boolean }[] } };

async function setServed(cluster: Cluster, name: string, version: string, served: boolean): Promise<void> {
  const crd = await current<Crd>(cluster, kinds.CustomResourceDefinition, name);
  const v = crd.spec.versions.find((x) => x.name === version);
  if (!v) throw new Error(`CustomResourceDefinition ${name} has no version ${version}`);
  v.served = served;
  await cluster.objects.replace(crd);
}

/**
 * A CRD's version no longer served, for real (`served: false`: the API answers 404 for it), while
 * `observe` runs, served again right after. Kept to those seconds: an operator's informers on that
 * resource lose their watch meanwhile and resume when it is back (measured on the lab: the Flink
 * operator 1.7 neither restarted nor logged an error).
 */
export async function whileCrdVersionUnserved<T>(cluster: Cluster, name: string, version: string, broken: boolean, observe: () => Promise<T>): Promise<T> {
  if (!broken) return observe();
  try {
    await setServed(cluster, name, version, false);
    return await observe();
  } finally {
    await setServed(cluster, name, version, true);
  }
}
