// Creating, reading and deleting objects. Everything is applied server-side with one field manager,
// so re-applying a manifest is idempotent and safe to retry, and ownership of fields is visible.
import { PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import { log } from '../log.ts';
import type { Cluster } from './cluster.ts';
import { kindOf, describeRef, type ResourceKind } from './resources.ts';
import { retryIdempotent } from './retry.ts';
import { watchedObject } from './wait.ts';
import { Deadline, until } from '../util/until.ts';

export const fieldManager = 'streamcert';

/**
 * A finalizer removal forced after the grace an owner had to finish a deletion: the cluster was left
 * clean by force, which a report must say (results.json `forcedRemovals`).
 */
export interface ForcedRemoval {
  /** The object, e.g. `FlinkDeployment sc-…-02/app`. */
  object: string;
  /** The finalizers it still held when they were removed. */
  finalizers: string[];
  /** Seconds from its deletion request (its deletionTimestamp) to the forcing. */
  afterSeconds: number;
  at: string;
}

/** Hears of every object applied for real (not dry runs), as sent. */
export type ApplyListener = (obj: K8sObject) => Promise<void>;
const applyListeners = new Set<ApplyListener>();

/**
 * A run installs a listener that keeps the exact manifests it applies (lib/certify/applied-manifests.ts);
 * this module stays below the harness and knows nothing of runs or bundles.
 */
export function onApply(listener: ApplyListener): void {
  applyListeners.add(listener);
}

export type K8sObject = KubernetesObject & {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [k: string]: unknown };
  [key: string]: unknown;
};

export function refOf(obj: K8sObject): string {
  const k = kindOf(obj.apiVersion, obj.kind);
  return k ? describeRef(k, obj.metadata.name, obj.metadata.namespace) : `${obj.kind} ${obj.metadata.name}`;
}

export function isNotFound(err: unknown): boolean {
  return (err as { code?: number })?.code === 404;
}

/** Server-side apply; with `dryRun` the API server validates and defaults without persisting. */
export async function apply<T extends K8sObject>(cluster: Cluster, obj: T, opts: { dryRun?: boolean } = {}): Promise<T> {
  const applied = await retryIdempotent(`apply ${refOf(obj)}`, () =>
    cluster.objects.patch<T>(
      obj,
      undefined,
      opts.dryRun ? 'All' : undefined,
      fieldManager,
      true,
      PatchStrategy.ServerSideApply,
    ),
  );
  if (!opts.dryRun) for (const listener of applyListeners) await listener(obj);
  return applied;
}

export async function read<T extends K8sObject>(
  cluster: Cluster,
  kind: ResourceKind,
  name: string,
  namespace?: string,
): Promise<T | undefined> {
  try {
    return await retryIdempotent(`read ${describeRef(kind, name, namespace)}`, () =>
      cluster.objects.read<T>({ apiVersion: kind.apiVersion, kind: kind.kind, metadata: { name, namespace } } as T),
    );
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export async function list<T extends K8sObject>(
  cluster: Cluster,
  kind: ResourceKind,
  opts: { namespace?: string; labelSelector?: string; fieldSelector?: string } = {},
): Promise<T[]> {
  const res = await retryIdempotent(`list ${kind.kind}`, () =>
    cluster.objects.list<T>(
      kind.apiVersion,
      kind.kind,
      opts.namespace,
      undefined,
      undefined,
      undefined,
      opts.fieldSelector,
      opts.labelSelector,
    ),
  );
  return res.items;
}

/** Asks the API server to delete it (background propagation); false when it was already gone. */
export async function requestDeletion(cluster: Cluster, kind: ResourceKind, name: string, namespace: string | undefined): Promise<boolean> {
  try {
    await retryIdempotent(`delete ${describeRef(kind, name, namespace)}`, () =>
      cluster.objects.delete(
        { apiVersion: kind.apiVersion, kind: kind.kind, metadata: { name, namespace } },
        undefined,
        undefined,
        undefined,
        undefined,
        'Background',
      ),
    );
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

export interface DeleteOptions {
  /**
   * Teardown only: remove the object's finalizers once it has been terminating this long (counted
   * from its deletionTimestamp, so a deletion a check already waited on is not given the grace twice).
   */
  forceFinalizersAfterMs?: number;
  /** Told of every forcing, so the run's results can say that the cluster was cleaned by force. */
  onForcedRemoval?: (removal: ForcedRemoval) => void;
}

/** Deletes (ignoring "already gone") and waits, by watch, until the object no longer exists. */
export async function deleteAndWait(
  cluster: Cluster,
  kind: ResourceKind,
  name: string,
  namespace: string | undefined,
  timeoutMs: number,
  opts: DeleteOptions = {},
): Promise<number> {
  const started = Date.now();
  await requestDeletion(cluster, kind, name, namespace);
  // An operator that cannot finish its cleanup (e.g. cancelling a job its session cluster already
  // lost) keeps its finalizer forever; after a grace period teardown removes it, as a person would.
  let forceTimer: NodeJS.Timeout | undefined;
  if (opts.forceFinalizersAfterMs !== undefined) {
    const current = await read<K8sObject>(cluster, kind, name, namespace);
    const terminatingSince = Date.parse(String(current?.metadata.deletionTimestamp ?? '')) || started;
    forceTimer = setTimeout(
      () => void forceFinalizers(cluster, kind, name, namespace, terminatingSince, opts.onForcedRemoval).catch(() => undefined),
      Math.max(0, opts.forceFinalizersAfterMs - (Date.now() - terminatingSince)),
    );
  }
  try {
    await until(
      watchedObject(
        cluster,
        { kind, namespace, name },
        {
          description: `${describeRef(kind, name, namespace)} to be deleted`,
          check: (obj) => (obj === undefined ? true : undefined),
          observe: (obj) => (obj ? `still present${obj.metadata?.deletionTimestamp ? ' (terminating)' : ''}` : 'gone'),
        },
      ),
      Deadline.in(timeoutMs),
    );
  } finally {
    clearTimeout(forceTimer);
  }
  log.debug(`deleted ${describeRef(kind, name, namespace)} in ${Date.now() - started}ms`);
  return Date.now() - started;
}

async function forceFinalizers(
  cluster: Cluster,
  kind: ResourceKind,
  name: string,
  namespace: string | undefined,
  terminatingSince: number,
  onForcedRemoval: DeleteOptions['onForcedRemoval'],
): Promise<void> {
  const ref = describeRef(kind, name, namespace);
  const finalizers = ((await read<K8sObject>(cluster, kind, name, namespace))?.metadata.finalizers as string[] | undefined) ?? [];
  if (finalizers.length === 0) return; // gone, or about to be: nothing to force
  const afterSeconds = Math.round((Date.now() - terminatingSince) / 100) / 10;
  log.warn(`${ref} still terminating after ${afterSeconds}s: removing its finalizers ${finalizers.join(', ')}`);
  await cluster.objects.patch(
    { apiVersion: kind.apiVersion, kind: kind.kind, metadata: { name, namespace, finalizers: null } } as unknown as K8sObject,
    undefined,
    undefined,
    fieldManager,
    undefined,
    PatchStrategy.MergePatch,
  );
  onForcedRemoval?.({ object: ref, finalizers, afterSeconds, at: new Date().toISOString() });
}
