// For our own tests against the lab: bring it up (once per machine) and connect as admin.
import { connect, type Cluster } from '../k8s/cluster.ts';
import { labUp } from './index.ts';

export async function labCluster(): Promise<Cluster> {
  const { kubeconfig } = await labUp({ progress: true });
  return (await connect({ kubeconfig }, 'lab', 15_000)).cluster;
}
