// The watch source of `until` (lib/util/until.ts), for Kubernetes objects: list, then watch from that
// resourceVersion, re-evaluating the condition on every change. A watch the server closes (timeoutSeconds, load
// balancer idle timeout) is resumed from the last seen resourceVersion; a "410 Gone" relists.
// Long waits print what they wait for and the latest observed value.
import { Watch, type KubernetesObject } from '@kubernetes/client-node';
import { log } from '../log.ts';
import { aborted, type Condition, type Deadline, progressLine, type SourceOptions, timedOut } from '../util/until.ts';
import type { Cluster } from './cluster.ts';
import { collectionPath, describeRef, type ResourceKind } from './resources.ts';

export interface WaitTarget {
  kind: ResourceKind;
  namespace?: string;
  /** One object by name; the condition sees `undefined` while it does not exist. */
  name?: string;
  labelSelector?: string;
}

export interface WatchCondition<T, O> {
  /** What is awaited, in words: `FlinkDeployment ns/app to be STABLE with job RUNNING`. */
  description: string;
  /**
   * Returns a value (not undefined) when the wait is over; throws WaitEnded when what it sees is
   * terminal (a lifecycle FAILED). Any other error is a fault of the condition, and ends the wait too.
   */
  check: (current: O) => T | undefined;
  /** A short summary of the current state for progress lines and the timeout message. */
  observe?: (current: O) => string;
  /** Server-side watch timeout; short values exercise resumption. */
  watchTimeoutSeconds?: number;
}

/** A watched condition; `watches` counts the watch connections its last run used (1 + resumptions). */
export interface Watched<T> extends Condition<T> {
  readonly watches: number;
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

/** A condition on one named object; `check` sees `undefined` while it does not exist. */
export function watchedObject<T, K extends KubernetesObject = KubernetesObject>(
  cluster: Cluster,
  target: WaitTarget & { name: string },
  c: WatchCondition<T, K | undefined>,
): Watched<T> {
  return watched<T, K>(cluster, target, {
    ...c,
    check: (items) => c.check(items[0]),
    observe: c.observe ? (items) => c.observe!(items[0]) : undefined,
  });
}

/** A condition on every object matching the target (by label selector and/or name). */
export function watched<T, K extends KubernetesObject = KubernetesObject>(cluster: Cluster, target: WaitTarget, c: WatchCondition<T, K[]>): Watched<T> {
  const what = target.name
    ? describeRef(target.kind, target.name, target.namespace)
    : `${target.kind.kind}s${target.namespace ? ` in ${target.namespace}` : ''}${target.labelSelector ? ` (${target.labelSelector})` : ''}`;
  let watches = 0;
  return {
    description: c.description,
    get watches() {
      return watches;
    },
    run(deadline, o) {
      watches = 0;
      return watchUntil(cluster, target, what, c, deadline, o, () => (watches += 1));
    },
  };
}

function watchUntil<T, K extends KubernetesObject>(
  cluster: Cluster,
  target: WaitTarget,
  what: string,
  c: WatchCondition<T, K[]>,
  deadline: Deadline,
  o: SourceOptions,
  countWatch: () => void,
): Promise<T> {
  const objects = new Map<string, Obj>();
  const current = () => [...objects.values()].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '')) as K[];
  const description = `${c.description} (${what})`;

  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let abort: AbortController | undefined;
    let resourceVersion = '';
    const watch = new Watch(cluster.kc);
    const observed = () => (c.observe ? c.observe(current()) : `${objects.size} object(s)`);

    const finish = (err: Error | undefined, value?: T) => {
      if (settled) return;
      settled = true;
      clearInterval(progress);
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      abort?.abort();
      if (err) reject(err);
      else resolve(value as T);
    };

    const evaluate = () => {
      try {
        const value = c.check(current());
        if (value !== undefined) finish(undefined, value);
      } catch (err) {
        finish(err as Error);
      }
    };

    const progress = setInterval(() => o.progress(progressLine(deadline, c.description, observed())), o.progressEveryMs);
    const timer = setTimeout(() => finish(timedOut(deadline, description, observed())), deadline.remainingMs());
    // Removed when the wait ends: waits sharing one signal (a recovery's) would otherwise pile listeners up.
    function onAbort() {
      finish(aborted(c.description));
    }
    if (o.signal?.aborted) onAbort();
    else o.signal?.addEventListener('abort', onAbort, { once: true });

    const relist = async () => {
      const listed = await listObjects(cluster, target);
      objects.clear();
      for (const item of listed.items) objects.set(item.metadata?.name ?? '', item);
      resourceVersion = listed.resourceVersion;
      evaluate();
    };

    const startWatch = async (): Promise<void> => {
      if (settled) return;
      countWatch();
      const query: Record<string, string | number | boolean | undefined> = {
        allowWatchBookmarks: true,
        resourceVersion,
        fieldSelector: target.name ? `metadata.name=${target.name}` : undefined,
        labelSelector: target.labelSelector,
        timeoutSeconds: c.watchTimeoutSeconds,
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
        finish(new Error(`cannot list ${what} while waiting for ${c.description}: ${(err as Error).message}`));
      });
  });
}
