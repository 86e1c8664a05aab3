// What a platform team installs on a fresh cluster before Flink workloads, done for the lab: the
// images (no registry here, so they are imported into the node's containerd), storage classes with a
// provisioner, an artifact server for session-job jars, and the Flink Kubernetes Operator.
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { connect } from '../k8s/cluster.ts';
import { apply, type K8sObject } from '../k8s/objects.ts';
import { kinds } from '../k8s/resources.ts';
import { watchedObject } from '../k8s/wait.ts';
import { log } from '../log.ts';
import { labStorageClasses } from './controllers/provisioner.ts';
import { ensureImages, labImages } from './images/index.ts';
import { k8ssandraCrds } from './k8ssandra/crds.ts';
import type { LabParts } from './k8ssandra/parts.ts';
import { rest } from './k8ssandra/rest.ts';
import { importImageArchive, labImages as imagesInContainerd } from './node.ts';
import { installOperator, operatorNamespace } from './operator.ts';
import { labPaths } from './paths.ts';
import { startDaemon } from './procs.ts';
import { lab } from './topology.ts';
import { Deadline, polled, until } from '../util/until.ts';

export const artifactPort = 18080;
export const labSystemNamespace = 'streamcert-lab';
const controllersEntry = join(dirname(fileURLToPath(import.meta.url)), 'controllers', 'main.ts');
// The controllers are TypeScript like the rest: node runs them through tsx's loader.
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Which archive each image was last imported from: a rebuilt image (new archive) is imported again. */
const importedFile = join(labPaths.state, 'imported-images.json');

async function importImages(): Promise<{ flinkLayer: string }> {
  const images = await ensureImages({ progress: true });
  const present = new Set(await imagesInContainerd());
  const imported = JSON.parse(await readFile(importedFile, 'utf8').catch(() => '{}')) as Record<string, string>;
  for (const archive of images.archives) {
    if (archive.tags.every((t) => present.has(t)) && imported[archive.name] === archive.path) continue;
    log.info(`  importing ${archive.name} into the node's containerd`);
    await importImageArchive(archive.path);
    imported[archive.name] = archive.path;
    await writeFile(importedFile, JSON.stringify(imported, null, 2));
  }
  return { flinkLayer: images.images.flink.layers.at(-1)! };
}

function artifactService(): K8sObject[] {
  const labels = { 'app.kubernetes.io/managed-by': 'streamcert-lab' };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: labSystemNamespace, labels } },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'artifacts', namespace: labSystemNamespace, labels },
      spec: { ports: [{ name: 'http', port: 8080, targetPort: artifactPort, protocol: 'TCP' }] },
    },
    {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'artifacts', namespace: labSystemNamespace, labels },
      subsets: [{ addresses: [{ ip: lab.nodeIP }], ports: [{ name: 'http', port: artifactPort, protocol: 'TCP' }] }],
    },
  ];
}

/**
 * The controllers' own source, hashed into their daemon configuration: an edited controller restarts
 * the process on the next `lab up` like a changed setting does.
 */
async function controllersSourceHash(): Promise<string> {
  const h = createHash('sha256');
  const here = dirname(fileURLToPath(import.meta.url));
  // (They import nothing of the harness: lib/boundaries.test.ts.)
  for (const dir of [join(here, 'controllers'), join(here, 'k8ssandra')]) {
    for (const f of (await readdir(dir)).filter((f) => f.endsWith('.ts') && !f.includes('.test.')).sort()) {
      h.update(f).update(await readFile(join(dir, f)));
    }
  }
  return h.digest('hex').slice(0, 16);
}

/** The K8ssandraCluster and CassandraDatacenter CRDs from the released modules, served before the controller watches them. */
async function installK8ssandraCrds(cluster: Awaited<ReturnType<typeof connect>>['cluster']): Promise<void> {
  for (const crd of await k8ssandraCrds()) {
    // Every `streamcert run` brings the lab up "if needed": a CRD already served from the same content
    // is left alone, since a forced server-side apply of these large schemas costs the API server
    // seconds of CPU per run on a busy lab.
    const hash = createHash('sha256').update(JSON.stringify(crd)).digest('hex').slice(0, 16);
    const path = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`;
    const served = await rest.get<CrdState>(path);
    if (served?.metadata?.annotations?.[crdHashAnnotation] === hash && established(served)) continue;
    const annotated = { ...crd, metadata: { ...crd.metadata, annotations: { ...(crd.metadata.annotations ?? {}), [crdHashAnnotation]: hash } } };
    // Raw server-side apply: the typed client drops `x-kubernetes-int-or-string` from these schemas.
    await rest.apply(path, annotated);
    await until(
      watchedObject<true, K8sObject & CrdState>(
        cluster,
        { kind: kinds.CustomResourceDefinition, name: crd.metadata.name },
        {
          description: `CRD ${crd.metadata.name} to be Established`,
          check: (c) => (c && established(c) ? true : undefined),
        },
      ),
      Deadline.in(30_000),
    );
  }
}

const crdHashAnnotation = 'streamcert.io/lab-content-hash';
interface CrdState {
  metadata?: { annotations?: Record<string, string> };
  status?: { conditions?: { type: string; status: string }[] };
}
const established = (c: CrdState) => c.status?.conditions?.some((x) => x.type === 'Established' && x.status === 'True') ?? false;

export async function installLabPlatform(kubeconfig: string, parts: LabParts = { cassandra: false }): Promise<void> {
  log.step(`platform: images, storage, artifacts, Flink operator${parts.cassandra ? ', K8ssandra (CRDs, emulated operators)' : ''}`);
  const { flinkLayer } = await importImages();
  const { cluster } = await connect({ kubeconfig }, 'lab', 15_000);
  for (const sc of labStorageClasses()) await apply(cluster, sc as K8sObject);
  for (const obj of artifactService()) await apply(cluster, obj);
  if (parts.cassandra) await installK8ssandraCrds(cluster);
  await startDaemon({
    name: 'lab-controllers',
    bin: process.execPath,
    args: ['--import', tsxLoader, controllersEntry],
    env: {
      ...process.env,
      STREAMCERT_LAB_KUBECONFIG: kubeconfig,
      STREAMCERT_LAB_NODE_IP: lab.nodeIP,
      STREAMCERT_LAB_ARTIFACT_PORT: String(artifactPort),
      STREAMCERT_LAB_ARTIFACT_DIRS: [join(flinkLayer, 'opt/flink/examples/streaming'), join(flinkLayer, 'opt/flink/examples/streamcert')].join(':'),
      STREAMCERT_LAB_BRIDGE: lab.bridge,
      ...(parts.cassandra ? { STREAMCERT_LAB_CASSANDRA_IMAGE: labImages.cassandra } : {}),
    },
    config: JSON.stringify({ flinkLayer, home: labPaths.home, cassandra: parts.cassandra ? labImages.cassandra : false, source: await controllersSourceHash() }),
  });
  // A (re)started controllers process needs a few seconds to compile and listen.
  await until(
    polled({
      description: 'the lab controllers (artifact server) to answer',
      check: async () => ((await controllersAnswer()) ? true : undefined),
      intervalMs: 250,
    }),
    Deadline.in(60_000),
  );
  await installOperator(kubeconfig);
}

/** The platform is in place: the lab's controllers answer and the operator Deployment is Available. */
/** The artifact server answers (404 for `/`, which names no jar). */
export async function controllersAnswer(): Promise<boolean> {
  return fetch(`http://${lab.nodeIP}:${artifactPort}/`, { signal: AbortSignal.timeout(3000) }).then(
    (r) => r.status === 404,
    () => false,
  );
}

export async function platformReady(): Promise<boolean> {
  if (!(await controllersAnswer())) return false;
  const { cluster } = await connect({ kubeconfig: labPaths.kubeconfig }, 'lab', 5_000);
  const operator = await cluster.apps.readNamespacedDeployment({ name: 'flink-kubernetes-operator', namespace: operatorNamespace });
  return (operator.status?.conditions ?? []).some((c) => c.type === 'Available' && c.status === 'True');
}
