// 01's platform checks as judges over what lib/platform/checks.ts observed: the API's answer, the
// nodes, the CRDs, the operator's webhooks, cert-manager, the StorageClasses, the metrics APIService
// and the run identity's permissions. Each names what it expected, what it saw and where to look, and
// none passes on an empty observation (no nodes, no CRD read, no permission reviewed).
import { fail, pass, type Judgement } from '../util/judgement.ts';

export interface ApiAnswerObservation {
  /** `gitVersion` of GET /version; undefined when it did not answer. */
  gitVersion?: string;
  latencyMs: number;
  server: string;
  error?: string;
}

export function judgeApiAnswers(o: ApiAnswerObservation): Judgement {
  if (o.error) return fail(`the Kubernetes API at ${o.server} did not answer GET /version: ${o.error}`);
  if (!o.gitVersion || !/^v1\.\d+/.test(o.gitVersion)) {
    return fail(`GET /version of ${o.server} answered gitVersion ${JSON.stringify(o.gitVersion ?? null)}, expected v1.x`);
  }
  return pass(`Kubernetes ${o.gitVersion} answered in ${o.latencyMs} ms (${o.server})`);
}

export interface NodeObservation {
  name: string;
  /** The Ready condition's status; undefined when the node has none (never reported). */
  ready?: string;
  reason?: string;
  message?: string;
}

export function judgeNodesReady(nodes: NodeObservation[]): Judgement {
  if (nodes.length === 0) return fail('no nodes registered (GET /api/v1/nodes returned none): nothing can run');
  const notReady = nodes.filter((n) => n.ready !== 'True');
  if (notReady.length > 0) {
    const named = notReady.map((n) => `${n.name} (${n.ready === undefined ? 'no Ready condition' : `Ready=${n.ready}`}${n.reason ? ` ${n.reason}` : ''}${n.message ? `: ${n.message}` : ''})`);
    return fail(`${notReady.length} of ${nodes.length} nodes not Ready: ${named.join(', ')} (kubectl describe node <name>)`);
  }
  return pass(`${nodes.length} of ${nodes.length} nodes Ready: ${nodes.map((n) => n.name).join(', ')}`);
}

export interface CrdObservation {
  name: string;
  present: boolean;
  established: boolean;
  /** Versions with served: true. */
  served: string[];
}

/** Every CRD listed must be present, Established and serve `version`; an empty list never passes. */
export function judgeCrdsServed(crds: CrdObservation[], version: string): Judgement {
  if (crds.length === 0) return fail(`no CustomResourceDefinition was read: nothing shows ${version} is served`);
  for (const c of crds) {
    if (!c.present) return fail(`CustomResourceDefinition ${c.name} does not exist: the operator's CRDs are not installed (helm install flink-kubernetes-operator installs them)`);
    if (!c.established) return fail(`CustomResourceDefinition ${c.name} is not Established (its names are not accepted or it is being deleted): kubectl describe crd ${c.name}`);
    if (!c.served.includes(version)) {
      return fail(`CustomResourceDefinition ${c.name} does not serve ${version}: served ${c.served.join(', ') || 'none'}`);
    }
  }
  return pass(`${crds.map((c) => c.name).join(', ')} served at ${version}`);
}

export interface WebhookObservation {
  name: string;
  /** namespace/name of the Service the webhook calls. */
  service: string;
  readyEndpoints: number;
}

export function judgeWebhooksAnswer(webhooks: WebhookObservation[]): Judgement {
  if (webhooks.length === 0) return fail('no admission webhook covering flink.apache.org was observed');
  const dead = webhooks.filter((w) => w.readyEndpoints === 0);
  if (dead.length > 0) {
    return fail(
      `${dead.map((w) => `webhook ${w.name}: Service ${w.service} has no ready endpoints`).join('; ')}: the API server cannot call it, so Flink objects it covers are rejected, or admitted unchecked (kubectl get endpointslices -n ${dead[0]!.service.split('/')[0]})`,
    );
  }
  return pass(webhooks.map((w) => `webhook ${w.name}: ${w.readyEndpoints} ready endpoint(s) behind ${w.service}`).join('; '));
}

export function judgeCertManager(o: { webhooks: number; certificateCrd: CrdObservation }): Judgement {
  if (o.webhooks === 0) return fail('no operator webhook was observed, so nothing says certificates are needed');
  const c = o.certificateCrd;
  if (!c.present || !c.established || c.served.length === 0) {
    return fail(
      `the operator has ${o.webhooks} webhook(s) but cert-manager is not installed: CustomResourceDefinition ${c.name} ${c.present ? (c.established ? 'serves no version' : 'is not Established') : 'does not exist'} (the operator chart issues the webhook certificate with it)`,
    );
  }
  return pass(`cert-manager's ${c.name} served at ${c.served.join(', ')} for ${o.webhooks} webhook(s)`);
}

export interface StorageClassObservation {
  name: string;
  provisioner: string;
  /** Annotated streamcert.io/rwx=true by its owner. */
  rwxAnnotated: boolean;
}

/** Provisioners known to offer ReadWriteMany volumes (StorageClasses do not declare access modes). */
const rwxProvisioners = [
  /nfs/i,
  /cephfs/i,
  /file\.csi\.azure\.com/,
  /efs\.csi\.aws\.com/,
  /filestore\.csi\.storage\.gke\.io/,
  /csi\.vsphere\.vmware\.com/, // vSAN file services, as in the paper
  /glusterfs/i,
  /longhorn/i,
  /streamcert\.io\/lab-hostpath/,
];

/** The class HA storage will use: the configured one, else an annotated one, else a known RWX provisioner's. */
export function chooseRwxStorageClass(classes: StorageClassObservation[], configured: string | undefined): StorageClassObservation | undefined {
  if (configured) return classes.find((c) => c.name === configured);
  return classes.find((c) => c.rwxAnnotated) ?? classes.find((c) => rwxProvisioners.some((p) => p.test(c.provisioner)));
}

export function judgeRwxStorageClass(o: { configured?: string; classes: StorageClassObservation[] }): Judgement {
  const names = o.classes.map((c) => `${c.name} (${c.provisioner})`).join(', ') || 'none';
  const found = chooseRwxStorageClass(o.classes, o.configured);
  if (found) return pass(`StorageClass ${found.name} (${found.provisioner}) ${o.configured ? 'as configured' : found.rwxAnnotated ? 'annotated streamcert.io/rwx=true' : 'has a ReadWriteMany provisioner'}`);
  if (o.configured) return fail(`configured flink.rwxStorageClass "${o.configured}" does not exist; classes: ${names}`);
  return fail(`no StorageClass known to offer ReadWriteMany (classes: ${names}); set flink.rwxStorageClass or annotate the class streamcert.io/rwx=true`);
}

export interface ApiServiceObservation {
  name: string;
  registered: boolean;
  /** The Available condition, when there is one. */
  available?: { status: string; reason?: string; message?: string };
}

export function judgeApiServiceAvailable(o: ApiServiceObservation): Judgement {
  if (!o.registered) return fail(`APIService ${o.name} is not registered (install metrics-server)`);
  const a = o.available;
  if (!a) return fail(`APIService ${o.name} has no Available condition yet (kubectl describe apiservice ${o.name})`);
  const detail = `Available=${a.status}${a.reason ? ` ${a.reason}` : ''}${a.message ? `: ${a.message}` : ''}`;
  if (a.status !== 'True') return fail(`APIService ${o.name} is not available: ${detail} (kubectl describe apiservice ${o.name})`);
  return pass(`APIService ${o.name} ${detail}`);
}

export interface PermissionsObservation {
  namespace: string;
  /** How many verb/resource pairs were asked with a SelfSubjectAccessReview. */
  reviewed: number;
  /** `verb group/resource (why)` for each the identity lacks. */
  denied: string[];
}

export function judgePermissions(o: PermissionsObservation): Judgement {
  if (o.reviewed === 0) return fail('no permission was reviewed: nothing shows the run may do what the suites do');
  if (o.denied.length > 0) {
    return fail(
      `${o.denied.length} of ${o.reviewed} permissions missing in namespace ${o.namespace} (bind fixtures/rbac/streamcert-clusterrole.yaml): ${o.denied.join('; ')}`,
    );
  }
  return pass(`all ${o.reviewed} permissions the suites use are granted (SelfSubjectAccessReview in namespace ${o.namespace})`);
}
