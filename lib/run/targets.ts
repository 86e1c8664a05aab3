// Which clusters a run talks to: the lab (brought up on first use) or the configured kubeconfigs.
import type { StreamcertConfig } from '../config/schema.ts';
import { log } from '../log.ts';
import type { Targets } from './preflight.ts';

export async function resolveTargets(config: StreamcertConfig): Promise<Targets> {
  if (config.target === 'lab') {
    const { labUp } = await import('../lab/index.ts');
    log.step('target: the lab (one-machine Kubernetes); bringing it up if needed');
    const { kubeconfig } = await labUp({ progress: true });
    return { flink: { kubeconfig }, cassandra: { kubeconfig } };
  }
  return {
    flink: { ...config.flinkCluster },
    cassandra: {
      kubeconfig: config.cassandraCluster.kubeconfig ?? config.flinkCluster.kubeconfig,
      context: config.cassandraCluster.context ?? config.flinkCluster.context,
    },
  };
}
