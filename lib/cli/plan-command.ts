// `streamcert plan`: the manifests a run would apply, per suite, as YAML. With a reachable cluster
// each is validated by a server-side dry run, which catches unknown fields and missing CRDs.
import { stringify } from 'yaml';
import type { LoadedConfig } from '../config/load.ts';
import { toMillis } from '../config/schema.ts';
import { ExitCode, UsageError } from '../errors.ts';
import { connect, type Cluster } from '../k8s/cluster.ts';
import { apply, refOf, type K8sObject } from '../k8s/objects.ts';
import { log } from '../log.ts';
import { runLabels } from '../run/context.ts';
import { availableSuites } from '../suite/available.ts';
import { selectSuites } from '../suite/catalog.ts';
import { loadSuiteManifests } from '../suite/load-manifests.ts';
import { manifestsFor, type PlanInputs } from '../suite/manifests.ts';
import { rwxStorageClass } from '../platform/checks.ts';
import { existingTargets } from '../run/targets.ts';

export async function planCommand(loaded: LoadedConfig, opts: { suite: string[]; offline?: boolean }): Promise<number> {
  const { config } = loaded;
  const { selected, unknown } = selectSuites(opts.suite, availableSuites());
  if (unknown.length) throw new UsageError(`unknown suite ${unknown.join(', ')}`);
  await loadSuiteManifests();

  let cluster: Cluster | undefined;
  if (!opts.offline) {
    try {
      cluster = (await connect(existingTargets(config).flink, 'flink cluster', toMillis(config.timeouts.clusterReachable))).cluster;
    } catch (err) {
      log.warn(`no server-side validation: ${(err as Error).message.split('\n')[0]}`);
    }
  }

  // What a run finds on the cluster, found the same way; without a cluster it stays a <placeholder>.
  const storage = cluster ? await rwxStorageClass(cluster, config.flink.rwxStorageClass).catch(() => undefined) : undefined;
  const inputs: PlanInputs = { rwxStorageClass: storage?.name ?? config.flink.rwxStorageClass };
  const runId = 'planned';
  let invalid = 0;
  for (const suite of selected) {
    const namespace = config.namespaces.suites ?? `sc-${runId}-${suite.id.slice(0, 2)}`;
    const labels = runLabels(runId, suite.id);
    const suiteObjects = manifestsFor(suite.id, config, namespace, labels, inputs);
    // A run creates the namespaces it places objects in (the suite's own, and the run-wide Cassandra
    // one), unless the configuration names an existing one; the plan shows them as they are created.
    const given = new Set([config.namespaces.suites, config.namespaces.cassandra].filter(Boolean));
    const created = new Map<string, Record<string, string>>();
    if (!given.has(namespace)) created.set(namespace, labels);
    for (const obj of suiteObjects) {
      const ns = obj.metadata.namespace;
      if (ns && !given.has(ns) && !created.has(ns)) created.set(ns, (obj.metadata.labels as Record<string, string>) ?? labels);
    }
    const objects: K8sObject[] = [
      ...[...created].map(([name, nsLabels]) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: nsLabels } })),
      ...suiteObjects,
    ];
    process.stdout.write(`# ── ${suite.id}: ${objects.length} object(s)\n`);
    for (const obj of objects) {
      let verdict = '';
      if (cluster) {
        try {
          // Namespaces of a plan don't exist yet; dry-run the namespaced objects into "default".
          const probe = obj.metadata.namespace ? { ...obj, metadata: { ...obj.metadata, namespace: 'default' } } : obj;
          await apply(cluster, probe as K8sObject, { dryRun: true });
          verdict = '# server-side dry run: valid';
        } catch (err) {
          invalid += 1;
          verdict = `# server-side dry run: INVALID: ${(err as { body?: { message?: string } }).body?.message ?? (err as Error).message}`;
        }
      }
      process.stdout.write(`---\n${verdict ? `${verdict}\n` : ''}# ${refOf(obj)}\n${stringify(obj)}`);
    }
  }
  return invalid > 0 ? ExitCode.checkFailed : ExitCode.passed;
}
