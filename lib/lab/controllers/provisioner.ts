// The lab's storage: a dynamic provisioner for host-directory volumes. A claim of one of the lab's
// StorageClasses gets a hostPath PersistentVolume (a directory under the lab's state) pre-bound to it;
// the controller-manager's PV controller does the binding, the kubelet the mounting. The node is the
// whole cluster, so a host directory is shared by every pod that mounts it: ReadWriteMany for real,
// as the paper's vSAN file volumes were. Released volumes are deleted with their directory.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  makeInformer,
  type CoreV1Api,
  type KubeConfig,
  type V1PersistentVolume,
  type V1PersistentVolumeClaim,
} from '@kubernetes/client-node';
import { labPaths } from '../paths.ts';

export const provisionerName = 'streamcert.io/lab-hostpath';
export const volumesDir = join(labPaths.state, 'volumes');

/** The lab's StorageClasses: a default one, and one marked as offering ReadWriteMany. */
export function labStorageClasses(): Record<string, unknown>[] {
  const base = {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    provisioner: provisionerName,
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'Immediate',
  };
  return [
    { ...base, metadata: { name: 'lab-standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } },
    { ...base, metadata: { name: 'lab-rwx', annotations: { 'streamcert.io/rwx': 'true' } } },
  ];
}

const log = (msg: string) => process.stdout.write(`${new Date().toISOString()} provisioner: ${msg}\n`);

function volumeName(pvc: V1PersistentVolumeClaim): string {
  return `pvc-${pvc.metadata!.uid}`;
}

export async function runProvisioner(kc: KubeConfig, core: CoreV1Api): Promise<void> {
  const classes = new Set(labStorageClasses().map((c) => (c.metadata as { name: string }).name));
  const defaultClass = 'lab-standard';

  async function provision(pvc: V1PersistentVolumeClaim): Promise<void> {
    const cls = pvc.spec?.storageClassName ?? defaultClass;
    if (!classes.has(cls) || pvc.spec?.volumeName || pvc.status?.phase === 'Bound' || pvc.metadata?.deletionTimestamp) return;
    const name = volumeName(pvc);
    const dir = join(volumesDir, name);
    await mkdir(dir, { recursive: true, mode: 0o777 });
    // Flink and Cassandra images run as unprivileged users: the directory must be theirs to write.
    await import('node:fs/promises').then((fs) => fs.chmod(dir, 0o777));
    const pv: V1PersistentVolume = {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name, annotations: { 'pv.kubernetes.io/provisioned-by': provisionerName } },
      spec: {
        capacity: { storage: pvc.spec?.resources?.requests?.['storage'] ?? '1Gi' },
        accessModes: pvc.spec?.accessModes ?? ['ReadWriteOnce'],
        persistentVolumeReclaimPolicy: 'Delete',
        storageClassName: cls,
        volumeMode: pvc.spec?.volumeMode ?? 'Filesystem',
        hostPath: { path: dir, type: 'Directory' },
        claimRef: {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          namespace: pvc.metadata!.namespace!,
          name: pvc.metadata!.name!,
          uid: pvc.metadata!.uid!,
        },
      },
    };
    try {
      await core.createPersistentVolume({ body: pv });
      log(`provisioned ${name} (${dir}) for ${pvc.metadata!.namespace}/${pvc.metadata!.name}`);
    } catch (err) {
      if ((err as { code?: number }).code !== 409) throw err; // already provisioned
    }
  }

  async function reclaim(pv: V1PersistentVolume): Promise<void> {
    if (pv.metadata?.annotations?.['pv.kubernetes.io/provisioned-by'] !== provisionerName) return;
    if (pv.status?.phase !== 'Released' || pv.spec?.persistentVolumeReclaimPolicy !== 'Delete') return;
    const dir = pv.spec.hostPath?.path;
    if (dir?.startsWith(volumesDir)) await rm(dir, { recursive: true, force: true });
    await core.deletePersistentVolume({ name: pv.metadata.name! }).catch(() => undefined);
    log(`deleted ${pv.metadata.name} and its directory`);
  }

  const report = (what: string) => (err: unknown) => log(`${what}: ${(err as Error).message}`);
  const claims = makeInformer(kc, '/api/v1/persistentvolumeclaims', () => core.listPersistentVolumeClaimForAllNamespaces());
  claims.on('add', (pvc) => void provision(pvc).catch(report('provision')));
  claims.on('update', (pvc) => void provision(pvc).catch(report('provision')));
  claims.on('error', () => setTimeout(() => void claims.start(), 1000));
  const volumes = makeInformer(kc, '/api/v1/persistentvolumes', () => core.listPersistentVolume());
  volumes.on('add', (pv) => void reclaim(pv).catch(report('reclaim')));
  volumes.on('update', (pv) => void reclaim(pv).catch(report('reclaim')));
  volumes.on('error', () => setTimeout(() => void volumes.start(), 1000));
  await mkdir(volumesDir, { recursive: true });
  await claims.start();
  await volumes.start();
  log('watching claims of lab-standard and lab-rwx');
}
