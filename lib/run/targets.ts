// Which clusters a run talks to: the lab (brought up on first use) or the configured kubeconfigs.
import type { StreamcertConfig } from '../config/schema.ts';
import type { SuiteInfo } from '../suite/catalog.ts';
import { existsSync } from 'node:fs';
import { EnvironmentError } from '../errors.ts';
import { labPaths } from '../lab/index.ts';
import { log } from '../log.ts';
import type { Targets } from './preflight.ts';

/** On the lab, suites that need K8ssandra bring up its Cassandra half too (it stays up for later runs). */
export async function resolveTargets(config: StreamcertConfig, suites: SuiteInfo[] = []): Promise<Targets> {
  if (config.target === 'lab') {
    const { labUp } = await import('../lab/index.ts');
    const withCassandra = suites.some((s) => s.requires.includes('k8ssandra'));
    log.step(`target: the lab (one-machine Kubernetes${withCassandra ? ' with its K8ssandra half' : ''}); bringing it up if needed`);
    const { kubeconfig } = await labUp({ progress: true, ...(withCassandra ? { with: ['cassandra' as const] } : {}) });
    return { flink: { kubeconfig }, cassandra: { kubeconfig } };
  }
  return configuredTargets(config);
}

/**
 * The clusters as they are, bringing nothing up: what `cleanup` and `plan` need. On the lab that is
 * its kubeconfig; the API server alone must answer (the platform may be what is broken).
 */
export function existingTargets(config: StreamcertConfig): Targets {
  if (config.target === 'lab') {
    if (!existsSync(labPaths.kubeconfig)) throw new EnvironmentError(`the lab has never been started (no kubeconfig at ${labPaths.kubeconfig}): start it with \`streamcert lab up\``);
    return { flink: { kubeconfig: labPaths.kubeconfig }, cassandra: { kubeconfig: labPaths.kubeconfig } };
  }
  return configuredTargets(config);
}

function configuredTargets(config: StreamcertConfig): Targets {
  return {
    flink: { ...config.flinkCluster },
    cassandra: {
      kubeconfig: config.cassandraCluster.kubeconfig ?? config.flinkCluster.kubeconfig,
      context: config.cassandraCluster.context ?? config.flinkCluster.context,
    },
  };
}
