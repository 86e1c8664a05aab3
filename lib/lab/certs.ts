// The lab's PKI, made with the openssl CLI: one cluster CA for serving and client certificates, a
// separate front-proxy CA for the aggregation layer (metrics-server), and the service-account key pair.
// Generated once into the state dir (files 0600) and reused by later `lab up`s.
import { access, chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { plog as log } from './progress.ts';
import { run } from './exec.ts';
import { lab, statePaths } from './topology.ts';

export interface CertPair {
  cert: string;
  key: string;
}

interface CertSpec {
  name: string;
  cn: string;
  org?: string;
  /** IP and DNS subject alternative names; present means a serving certificate. */
  ips?: string[];
  dns?: string[];
  client?: boolean;
  ca?: 'ca' | 'front-proxy-ca';
}

const days = '3650';

function certSpecs(): CertSpec[] {
  const node = lab.nodeName;
  return [
    {
      name: 'apiserver',
      cn: 'kube-apiserver',
      ips: ['127.0.0.1', lab.nodeIP, lab.apiServiceIP],
      dns: ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', `kubernetes.default.svc.${lab.clusterDomain}`, 'localhost'],
    },
    { name: 'admin', cn: 'streamcert-admin', org: 'system:masters', client: true },
    { name: 'controller-manager', cn: 'system:kube-controller-manager', client: true },
    { name: 'scheduler', cn: 'system:kube-scheduler', client: true },
    { name: 'kubelet-client', cn: `system:node:${node}`, org: 'system:nodes', client: true },
    { name: 'kubelet-serving', cn: `system:node:${node}`, org: 'system:nodes', ips: [lab.nodeIP, '127.0.0.1'], dns: [node, 'localhost'] },
    { name: 'kube-proxy', cn: 'system:kube-proxy', client: true },
    // system:masters like kubeadm's apiserver-kubelet-client, so logs/exec/port-forward are authorized by the kubelet.
    { name: 'apiserver-kubelet-client', cn: 'kube-apiserver-kubelet-client', org: 'system:masters', client: true },
    { name: 'coredns', cn: 'streamcert:coredns', client: true },
    { name: 'metrics-server-client', cn: 'streamcert:metrics-server', client: true },
    { name: 'metrics-server-serving', cn: 'metrics-server', ips: [lab.nodeIP], dns: ['metrics-server.kube-system.svc', 'localhost'] },
    { name: 'front-proxy-client', cn: 'front-proxy-client', client: true, ca: 'front-proxy-ca' },
  ];
}

async function exists(p: string): Promise<boolean> {
  return access(p).then(() => true, () => false);
}

export function pki(name: string): CertPair {
  return { cert: join(statePaths.pki, `${name}.crt`), key: join(statePaths.pki, `${name}.key`) };
}

export const pkiFiles = {
  ca: pki('ca'),
  frontProxyCA: pki('front-proxy-ca'),
  saKey: join(statePaths.pki, 'sa.key'),
  saPub: join(statePaths.pki, 'sa.pub'),
};

async function makeCA(name: string, cn: string): Promise<void> {
  const p = pki(name);
  if ((await exists(p.cert)) && (await exists(p.key))) return;
  await run('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', p.key]);
  await run('openssl', [
    'req', '-x509', '-new', '-key', p.key, '-sha256', '-days', days, '-subj', `/CN=${cn}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
    '-out', p.cert,
  ]);
}

async function makeCert(spec: CertSpec): Promise<void> {
  const p = pki(spec.name);
  if ((await exists(p.cert)) && (await exists(p.key))) return;
  const ca = pki(spec.ca ?? 'ca');
  const subj = `${spec.org ? `/O=${spec.org}` : ''}/CN=${spec.cn}`;
  const csr = join(statePaths.pki, `${spec.name}.csr`);
  const ext = join(statePaths.pki, `${spec.name}.ext`);
  const usages = [spec.ips || spec.dns ? 'serverAuth' : '', spec.client ? 'clientAuth' : ''].filter(Boolean).join(',');
  const sans = [...(spec.ips ?? []).map((i) => `IP:${i}`), ...(spec.dns ?? []).map((d) => `DNS:${d}`)];
  await writeFile(
    ext,
    [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      `extendedKeyUsage=${usages}`,
      ...(sans.length ? [`subjectAltName=${sans.join(',')}`] : []),
    ].join('\n') + '\n',
  );
  await run('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', p.key]);
  await run('openssl', ['req', '-new', '-key', p.key, '-subj', subj, '-out', csr]);
  await run('openssl', [
    'x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-sha256', '-days', days,
    '-extfile', ext, '-out', p.cert,
  ]);
  await rm(csr, { force: true });
  await rm(ext, { force: true });
}

/** Creates whatever part of the PKI is missing; leaves existing files alone. */
export async function ensurePKI(): Promise<void> {
  await mkdir(statePaths.pki, { recursive: true, mode: 0o700 });
  const started = Date.now();
  const before = await exists(pkiFiles.ca.cert);
  await makeCA('ca', 'streamcert-lab-ca');
  await makeCA('front-proxy-ca', 'streamcert-lab-front-proxy-ca');
  for (const spec of certSpecs()) await makeCert(spec);
  if (!(await exists(pkiFiles.saKey))) {
    await run('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', pkiFiles.saKey]);
    await run('openssl', ['pkey', '-in', pkiFiles.saKey, '-pubout', '-out', pkiFiles.saPub]);
  }
  await run('sh', ['-c', `chmod 600 '${statePaths.pki}'/*`]);
  await chmod(statePaths.pki, 0o700);
  if (!before) log.info(`  certificates generated in ${((Date.now() - started) / 1000).toFixed(1)}s (${statePaths.pki})`);
}
