// The one way the harness waits for cluster state: list, then watch from that resourceVersion,
// re-evaluating a condition on every change. A watch the server closes (timeoutSeconds, load
// balancer idle timeout) is resumed from the last seen resourceVersion; a "410 Gone" relists.
// Long waits print what they wait for and the latest observed value.
import { Watch, type KubernetesObject } from '@kubernetes/client-node';
import { log } from '../log.ts';
import { formatDuration, TimeoutError } from '../util/time.ts';
import type { Cluster } from './cluster.ts';
import { collectionPath, describeRef, type ResourceKind } from './resources.ts';

export interface WaitTarget {
  kind: ResourceKind;
  namespace?: string;
  /** One object by name; the condition sees `undefined` while it does not exist. */
  name?: string;
  labelSelector?: string;
}

export interface WaitOptions<T, O> {
  /** What is awaited, in words: `FlinkDeployment ns/app to be STABLE with job RUNNING`. */
  description: string;
  /** Returns a value (not undefined) when the wait is over. */
  until: (current: O) => T | undefined;
  /** A short summary of the current state for progress lines and the timeout message. */
  observe?: (current: O) => string;
  timeoutMs: number;
  progressEveryMs?: number;
  /** Server-side watch timeout; short values exercise resumption. */
  watchTimeoutSeconds?: number;
  signal?: AbortSignal;
}

export interface WaitResult<T> {
  value: T;
  elapsedMs: number;
  /** How many watch connections were used (1 + resumptions). */
  watches: number;
}

type Obj = KubernetesObject & { metadata?: { name?: string; resourceVersion?: string } };

async function listObjects(cluster: Cluster, target: WaitTarget): Promise<{ items: Obj[]; resourceVersion: string }> {
  const list = await cluster.objects.list<Obj>(
    target.kind.apiVersion,
    target.kind.kind,
    target.namespace,
    undefined,
    undefined,
    undefined,
    target.name ? `metadata.name=${target.name}` : undefined,
    target.labelSelector,
  );
  return { items: list.items, resourceVersion: list.metadata?.resourceVersion ?? '' };
}

/** Waits on a single named object; the condition gets `undefined` while it does not exist. */
export function waitForObject<T, K extends KubernetesObject = KubernetesObject>(
  cluster: Cluster,
  target: WaitTarget & { name: string },
  options: WaitOptions<T, K | undefined>,
): Promise<WaitResult<T>> {
  return waitForCollection<T, K>(cluster, target, {
    ...options,
    until: (items) => options.until(items[0]),
    observe: options.observe ? (items) => options.observe!(items[0]) : undefined,
  });
}

/** Waits on every object matching the target (by label selector and/or name). */
export function waitForCollection<T, K extends KubernetesObject = KubernetesObject>(
  cluster: Cluster,
  target: WaitTarget,
  options: WaitOptions<T, K[]>,
): Promise<WaitResult<T>> {
  const started = Date.now();
  const progressEvery = options.progressEveryMs ?? 15_000;
  const objects = new Map<string, Obj>();
  const current = () => [...objects.values()].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '')) as K[];
  const what = target.name
    ? describeRef(target.kind, target.name, target.namespace)
    : `${target.kind.kind}s${target.namespace ? ` in ${target.namespace}` : ''}${target.labelSelector ? ` (${target.labelSelector})` : ''}`;

  return new Promise<WaitResult<T>>((resolve, reject) => {
    let settled = false;
    let watches = 0;
    let abort: AbortController | undefined;
    let resourceVersion = '';
    const watch = new Watch(cluster.kc);
    const observed = () => (options.observe ? options.observe(current()) : `${objects.size} object(s)`);

    const finish = (err: Error | undefined, value?: T) => {
      if (settled) return;
      settled = true;
      clearInterval(progress);
      clearTimeout(deadline);
      options.signal?.removeEventListener('abort', onAbort);
      abort?.abort();
      if (err) reject(err);
      else resolve({ value: value as T, elapsedMs: Date.now() - started, watches });
    };

    const evaluate = () => {
      try {
        const value = options.until(current());
        if (value !== undefined) finish(undefined, value);
      } catch (err) {
        // A condition throws WaitEnded to say "this will never become true" (a lifecycle FAILED); any
        // other error is a fault of the condition itself, and ends the wait all the same.
        finish(err as Error);
      }
    };

    const progress = setInterval(() => {
      log.info(`… waiting ${formatDuration(Date.now() - started)} for ${options.description}; now: ${observed()}`);
    }, progressEvery);
    const deadline = setTimeout(() => {
      finish(
        new TimeoutError(
          `timed out after ${formatDuration(options.timeoutMs)} waiting for ${options.description} (${what}); last observed: ${observed()}`,
        ),
      );
    }, options.timeoutMs);
    // Removed when the wait ends: waits sharing one signal (a recovery's) would otherwise pile listeners up.
    function onAbort() {
      finish(new Error(`wait for ${options.description} aborted`));
    }
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });

    const relist = async () => {
      const listed = await listObjects(cluster, target);
      objects.clear();
      for (const item of listed.items) objects.set(item.metadata?.name ?? '', item);
      resourceVersion = listed.resourceVersion;
      evaluate();
    };

    const startWatch = async (): Promise<void> => {
      if (settled) return;
      watches += 1;
      const query: Record<string, string | number | boolean | undefined> = {
        allowWatchBookmarks: true,
        resourceVersion,
        fieldSelector: target.name ? `metadata.name=${target.name}` : undefined,
        labelSelector: target.labelSelector,
        timeoutSeconds: options.watchTimeoutSeconds,
      };
      let gone = false;
      abort = await watch.watch(
        collectionPath(target.kind, target.namespace),
        query,
        (phase, obj: Obj & { code?: number }) => {
          if (phase === 'ERROR') {
            // 410: our resourceVersion is too old to resume from; everything must be listed again.
            if (obj?.code === 410) gone = true;
            return;
          }
          if (obj?.metadata?.resourceVersion) resourceVersion = obj.metadata.resourceVersion;
          if (phase === 'BOOKMARK') return;
          const key = obj.metadata?.name ?? '';
          if (phase === 'DELETED') objects.delete(key);
          else objects.set(key, obj);
          evaluate();
        },
        (err: unknown) => {
          if (settled) return;
          const status = (err as { statusCode?: number; code?: number } | undefined)?.statusCode;
          if (gone || status === 410) {
            log.debug(`watch on ${what} expired (410); listing again`);
            relist().then(startWatch, resume);
          } else {
            log.debug(`watch on ${what} closed${err ? ` (${String(err)})` : ''}; resuming at ${resourceVersion}`);
            resume();
          }
        },
      );
    };

    // Transient failures (API server restart, connection reset) are retried until the deadline.
    const resume = () => {
      if (settled) return;
      setTimeout(() => {
        startWatch().catch(() => resume());
      }, 500);
    };

    relist()
      .then(startWatch)
      .catch((err: unknown) => {
        finish(new Error(`cannot list ${what} while waiting for ${options.description}: ${(err as Error).message}`));
      });
  });
}
