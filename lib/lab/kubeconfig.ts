// Kubeconfig files for the lab's components and for the admin user. Certificates are embedded so the
// admin kubeconfig can be copied or read by any client without the state dir's file layout.
import { readFile, mkdir } from 'node:fs/promises';
import { writeIfChanged } from './exec.ts';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { pki, pkiFiles } from './certs.ts';
import { labPaths } from './paths.ts';
import { apiserverURL, statePaths } from './topology.ts';

const b64 = async (f: string): Promise<string> => (await readFile(f)).toString('base64');

export async function writeKubeconfig(file: string, certName: string, user: string, server = apiserverURL): Promise<string> {
  const p = pki(certName);
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'streamcert-lab', cluster: { server, 'certificate-authority-data': await b64(pkiFiles.ca.cert) } }],
    users: [{ name: user, user: { 'client-certificate-data': await b64(p.cert), 'client-key-data': await b64(p.key) } }],
    contexts: [{ name: 'streamcert-lab', context: { cluster: 'streamcert-lab', user } }],
    'current-context': 'streamcert-lab',
  };
  await mkdir(dirname(file), { recursive: true });
  await writeIfChanged(file, stringify(doc), 0o600);
  return file;
}

export function componentKubeconfig(name: string): string {
  return join(statePaths.config, `${name}.kubeconfig`);
}

/** Writes the kubeconfig of every component and the admin one at labPaths.kubeconfig. */
export async function writeAllKubeconfigs(): Promise<void> {
  await writeKubeconfig(labPaths.kubeconfig, 'admin', 'streamcert-admin');
  await writeKubeconfig(componentKubeconfig('controller-manager'), 'controller-manager', 'system:kube-controller-manager');
  await writeKubeconfig(componentKubeconfig('scheduler'), 'scheduler', 'system:kube-scheduler');
  await writeKubeconfig(componentKubeconfig('kubelet'), 'kubelet-client', 'kubelet');
  await writeKubeconfig(componentKubeconfig('kube-proxy'), 'kube-proxy', 'kube-proxy');
  await writeKubeconfig(componentKubeconfig('coredns'), 'coredns', 'coredns');
  await writeKubeconfig(componentKubeconfig('metrics-server'), 'metrics-server-client', 'metrics-server');
}
