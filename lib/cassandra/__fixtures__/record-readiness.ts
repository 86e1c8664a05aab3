// Records what observeClusterReadiness sees of a running Cassandra datacenter, as a fixture for
// readiness.test.ts (see readiness/README.md beside this file). Usage, against a cluster a run kept (--keep):
//   npx tsx lib/cassandra/__fixtures__/record-readiness.ts <namespace> <out.json> [clusterName] [datacenter] [expectedNodes]
import { writeFileSync } from 'node:fs';
import { KubeConfig, type V1Pod, type V1Secret } from '@kubernetes/client-node';
import { Cluster } from '../../k8s/cluster.ts';
import { labPaths } from '../../lab/index.ts';
import { CqlAuthenticationError, openCql } from '../cql.ts';
import { cassandraNames } from '../names.ts';
import { observeClusterReadiness, readLocal } from '../node-observation.ts';

const [namespace, out, clusterName = 'demo', datacenter = 'dc1', expected = '3'] = process.argv.slice(2);
if (!namespace || !out) throw new Error('usage: record-readiness.ts <namespace> <out.json> [clusterName] [datacenter] [expectedNodes]');
const kc = new KubeConfig();
kc.loadFromFile(process.env.KUBECONFIG ?? labPaths.kubeconfig);
const cluster = new Cluster(kc, 'lab');
const names = cassandraNames(clusterName, datacenter);
const secret: V1Secret = await cluster.core.readNamespacedSecret({ name: names.superuserSecret, namespace });
const decode = (k: string) => Buffer.from(secret.data![k]!, 'base64').toString('utf8');
const pods: V1Pod[] = (await cluster.core.listNamespacedPod({ namespace, labelSelector: names.podSelector })).items;
const observed = await observeClusterReadiness({
  cluster,
  namespace,
  podSelector: names.podSelector,
  datacenter: names.datacenter,
  expectedNodes: Number(expected),
  credentials: { username: decode('username'), password: decode('password') },
  pods,
});
writeFileSync(out, `${JSON.stringify(observed, null, 2)}\n`);
// A refused login, as the driver words it, on the first pod.
if (process.env.RECORD_REFUSED_LOGIN) {
  const pod = pods[0]!.metadata!.name!;
  const refused = await openCql(cluster, { namespace, pod }, { username: decode('username'), password: 'not-the-password' }, { localDataCenter: names.datacenter }).then(
    async (s) => (await s.close(), 'logged in?!'),
    (err: Error) => ({ name: err.name, message: err.message, refused: err instanceof CqlAuthenticationError }),
  );
  writeFileSync(process.env.RECORD_REFUSED_LOGIN, `${JSON.stringify({ pod, ...(refused as object) }, null, 2)}\n`);
}
process.stdout.write(`${out}: ${observed.nodes.map((n) => `${n.pod} login=${n.login.ok} gossip=${n.gossip?.last.length ?? '-'}`).join(', ')}\n`);
// What 09's ledger sees of its coordinator: system.local over a session through the datacenter's Service.
if (process.env.RECORD_COORDINATOR) {
  const session = await openCql(cluster, { namespace, service: names.service }, { username: decode('username'), password: decode('password') }, { localDataCenter: names.datacenter });
  const local = await readLocal(session);
  await session.close();
  const seen = { session: session.describe, node: { hostId: local.hostId, address: local.address }, pods: pods.map((p) => ({ name: p.metadata!.name!, ip: p.status?.podIP, terminating: Boolean(p.metadata?.deletionTimestamp) })) };
  writeFileSync(process.env.RECORD_COORDINATOR, `${JSON.stringify(seen, null, 2)}\n`);
}
process.exit(0);
