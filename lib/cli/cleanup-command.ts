// `streamcert cleanup`: removes leftovers of crashed or --keep runs, found by their labels.
import type { LoadedConfig } from '../config/load.ts';
import { toMillis } from '../config/schema.ts';
import { ExitCode, UsageError } from '../errors.ts';
import { connect } from '../k8s/cluster.ts';
import { log } from '../log.ts';
import { cleanupRun, findLeftovers, foreignNamespaces } from '../run/cleanup.ts';
import { existingTargets } from '../run/targets.ts';

export async function cleanupCommand(
  loaded: LoadedConfig,
  opts: { run?: string; stale?: boolean; olderThan: string; dryRun?: boolean },
): Promise<number> {
  if (!!opts.run === !!opts.stale) throw new UsageError('cleanup needs exactly one of --run <id> or --stale');
  let minAgeMs: number;
  try {
    minAgeMs = toMillis(opts.olderThan);
  } catch {
    throw new UsageError(`--older-than: not a duration: ${opts.olderThan} (e.g. 30m, 2h)`);
  }
  // Only the API server is needed: no lab bring-up, no wait for an operator that may be crash-looping.
  const targets = existingTargets(loaded.config);
  const timeout = toMillis(loaded.config.timeouts.clusterReachable);
  const clusters = [(await connect(targets.flink, 'flink cluster', timeout)).cluster];
  if (targets.cassandra.kubeconfig !== targets.flink.kubeconfig || targets.cassandra.context !== targets.flink.context) {
    clusters.push((await connect(targets.cassandra, 'cassandra cluster', timeout)).cluster);
  }
  let found = 0;
  for (const cluster of clusters) {
    const namespaces = foreignNamespaces(loaded.config);
    const runs = (await findLeftovers(cluster, namespaces)).filter((r) =>
      opts.run
        ? r.runId === opts.run
        : r.objects.every((o) => Date.now() - new Date(o.createdAt).getTime() >= minAgeMs),
    );
    for (const r of runs) {
      found += r.objects.length;
      log.info(`${cluster.label}: run ${r.runId}: ${r.objects.map((o) => `${o.kind.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`).join(', ')}`);
      if (!opts.dryRun) await cleanupRun(cluster, r.runId, { timeoutMs: toMillis(loaded.config.timeouts.teardown), namespaces });
    }
  }
  if (found === 0) log.info('nothing to clean up');
  return ExitCode.passed;
}
