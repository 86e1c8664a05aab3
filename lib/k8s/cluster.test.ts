import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKubeConfig } from './cluster.ts';

// A real TLS server with a client-certificate kubeconfig, as the lab's API server is reached.
let dir: string;
let server: Server;
let kubeconfig: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'streamcert-tls-'));
  const pem = (name: string, subject: string) =>
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', subject,
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.crt`)], { stdio: 'ignore' });
  pem('server', '/CN=127.0.0.1');
  pem('client', '/CN=streamcert');
  server = createServer(
    { key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.crt')), ca: readFileSync(join(dir, 'client.crt')), requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ major: '1', minor: '35', gitVersion: 'v1.35.4', platform: (req.socket as import('node:tls').TLSSocket).getPeerCertificate().subject?.CN }));
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: 'https://127.0.0.1:${port}', certificate-authority: ${join(dir, 'server.crt')} } }]
users: [{ name: u, user: { client-certificate: ${join(dir, 'client.crt')}, client-key: ${join(dir, 'client.key')} } }]
contexts: [{ name: x, context: { cluster: c, user: u } }]
current-context: x
`);
});
afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the API client agents', () => {
  it('share one TLS context per credentials, and still verify the server and present the client certificate', async () => {
    const kc = loadKubeConfig({ kubeconfig }, 'test cluster');
    const agents = await Promise.all([1, 2].map(async () => (await kc.applyToFetchOptions({})).agent as unknown as { options: { secureContext?: unknown } }));
    expect(agents[0]!.options.secureContext).toBeDefined();
    expect(agents[0]!.options.secureContext).toBe(agents[1]!.options.secureContext);
    const { Cluster } = await import('./cluster.ts');
    const version = await new Cluster(kc, 'test cluster').version.getCode();
    expect(version.gitVersion).toBe('v1.35.4');
    expect(version.platform).toBe('streamcert');
  });

  it('refuse a server the CA did not sign', async () => {
    const other = join(dir, 'other-ca.yaml');
    writeFileSync(other, readFileSync(kubeconfig, 'utf8').replace(join(dir, 'server.crt'), join(dir, 'client.crt')));
    const { Cluster } = await import('./cluster.ts');
    await expect(new Cluster(loadKubeConfig({ kubeconfig: other }, 'test cluster'), 'test cluster').version.getCode()).rejects.toThrow(/certificate|self.signed|verify/i);
  });
});
