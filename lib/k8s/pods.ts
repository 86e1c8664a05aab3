// Pod-level access the suites and the evidence collector need: logs (current, previous, since,
// follow), events of an object, and exec.
import { PassThrough, Writable } from 'node:stream';
import { Exec, Log, type CoreV1Event, type V1Status } from '@kubernetes/client-node';
import type { Cluster } from './cluster.ts';
import { retryIdempotent } from './retry.ts';

export interface LogOptions {
  container?: string;
  previous?: boolean;
  sinceSeconds?: number;
  tailLines?: number;
}

export async function podLogs(cluster: Cluster, namespace: string, pod: string, opts: LogOptions = {}): Promise<string> {
  return retryIdempotent(`logs ${namespace}/${pod}`, () =>
    cluster.core.readNamespacedPodLog({
      name: pod,
      namespace,
      container: opts.container,
      previous: opts.previous,
      sinceSeconds: opts.sinceSeconds,
      tailLines: opts.tailLines,
    }),
  );
}

/** Streams a container's log lines to `onLine` until the returned controller is aborted. */
export async function followLogs(
  cluster: Cluster,
  namespace: string,
  pod: string,
  container: string,
  onLine: (line: string) => void,
  opts: { sinceSeconds?: number } = {},
): Promise<AbortController> {
  let partial = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      const text = partial + chunk.toString('utf8');
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) onLine(line);
      done();
    },
  });
  return new Log(cluster.kc).log(namespace, pod, container, sink, { follow: true, sinceSeconds: opts.sinceSeconds });
}

/** Events whose involved object is the named object, oldest first. */
export async function eventsFor(
  cluster: Cluster,
  namespace: string,
  kind: string,
  name: string,
): Promise<CoreV1Event[]> {
  const res = await retryIdempotent(`events for ${kind} ${namespace}/${name}`, () =>
    cluster.core.listNamespacedEvent({
      namespace,
      fieldSelector: `involvedObject.kind=${kind},involvedObject.name=${name}`,
    }),
  );
  const time = (e: CoreV1Event) =>
    new Date(e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? 0).getTime();
  return res.items.sort((a, b) => time(a) - time(b));
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs a command in a container and collects its output and exit code. */
export async function exec(
  cluster: Cluster,
  namespace: string,
  pod: string,
  container: string,
  command: string[],
): Promise<ExecResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const status = await new Promise<V1Status>((resolve, reject) => {
    new Exec(cluster.kc)
      .exec(namespace, pod, container, command, stdout, stderr, null, false, resolve)
      .then((ws) => ws.on('error', reject))
      .catch(reject);
  });
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  const exitCode = status.status === 'Success' ? 0 : Number(cause?.message ?? 1);
  return { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), exitCode };
}
