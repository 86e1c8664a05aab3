// The lab's own controllers, one host process: the storage provisioner and the artifact server.
// They stand in for what a platform team installs around Kubernetes (a CSI driver, an artifact
// repository); everything else in the lab is the upstream program.
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { runArtifactServer } from './artifacts.ts';
import { runProvisioner } from './provisioner.ts';

const kubeconfig = process.env.STREAMCERT_LAB_KUBECONFIG;
const artifactDirs = (process.env.STREAMCERT_LAB_ARTIFACT_DIRS ?? '').split(':').filter(Boolean);
const host = process.env.STREAMCERT_LAB_NODE_IP ?? '127.0.0.1';
const port = Number(process.env.STREAMCERT_LAB_ARTIFACT_PORT ?? 18080);
if (!kubeconfig) throw new Error('STREAMCERT_LAB_KUBECONFIG is not set');

const kc = new KubeConfig();
kc.loadFromFile(kubeconfig);
await runProvisioner(kc, kc.makeApiClient(CoreV1Api));
await runArtifactServer(artifactDirs, host, port);
