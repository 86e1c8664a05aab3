// The lab's own controllers, one host process: the storage provisioner, the artifact server, the
// LoadBalancer address controller and (with Cassandra) the emulated K8ssandra operators. They stand
// in for what a platform team installs around Kubernetes (a CSI driver, an artifact repository,
// MetalLB, K8ssandra); everything else in the lab is the upstream program.
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { shareTlsContexts } from '../../k8s/cluster.ts';
import { runArtifactServer } from './artifact-server.ts';
import { markControllerRunning } from '../k8ssandra/parts.ts';
import { runK8ssandraController } from './k8ssandra.ts';
import { loadBalancerPool, runLoadBalancerController } from './loadbalancer.ts';
import { runProvisioner } from './provisioner.ts';

const kubeconfig = process.env.STREAMCERT_LAB_KUBECONFIG;
const artifactDirs = (process.env.STREAMCERT_LAB_ARTIFACT_DIRS ?? '').split(':').filter(Boolean);
const host = process.env.STREAMCERT_LAB_NODE_IP ?? '127.0.0.1';
const port = Number(process.env.STREAMCERT_LAB_ARTIFACT_PORT ?? 18080);
if (!kubeconfig) throw new Error('STREAMCERT_LAB_KUBECONFIG is not set');

const kc = new KubeConfig();
kc.loadFromFile(kubeconfig);
shareTlsContexts(kc);
await runProvisioner(kc, kc.makeApiClient(CoreV1Api));
await runArtifactServer(artifactDirs, host, port);
await runLoadBalancerController(kc, { bridge: process.env.STREAMCERT_LAB_BRIDGE ?? 'sclab0', poolPrefix: loadBalancerPool.prefix });
await markControllerRunning('loadbalancer');
// The K8ssandra half (`lab up --with cassandra`): its CRDs are applied before this process starts.
const cassandraImage = process.env.STREAMCERT_LAB_CASSANDRA_IMAGE;
if (cassandraImage) {
  await runK8ssandraController(kc, { image: cassandraImage });
  await markControllerRunning('k8ssandra');
}
