// End-to-end checks of the lab itself against its real components: a node that runs real
// containers, the apiserver's streaming paths (logs, exec, port-forward through the kubelet),
// Services + DNS across pods, self-healing, metrics.k8s.io figures from real CPU use, and a clean
// `lab down`. The machine is left as found: a lab that was up before is brought up again after the
// teardown check. Set STREAMCERT_LAB_KEEP_UP=1 to skip the teardown check.
import { readFile, readdir } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { AppsV1Api, AutoscalingV2Api, CoreV1Api, Exec, KubeConfig, Log, PortForward, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBusyboxImage } from './busybox.ts';
import { run } from './exec.ts';
import { labDown, labStatus, labUp } from './index.ts';
import { labPaths } from './paths.ts';
import { lab } from './topology.ts';

const ns = `labtest-${Date.now().toString(36)}`;
let kc: KubeConfig;
let core: CoreV1Api;
let apps: AppsV1Api;
let image: string;
let wasUp = false;

async function poll<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v as T;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out: ${what}${last ? ` (${String(last)})` : ''}`);
}

function collector(): { stream: Writable; text: () => string } {
  let buf = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      buf += chunk.toString();
      cb();
    },
  });
  return { stream, text: () => buf };
}

async function execIn(pod: string, container: string, command: string[]): Promise<{ stdout: string; stderr: string; status: string }> {
  const out = collector();
  const err = collector();
  return new Promise((resolve, reject) => {
    new Exec(kc)
      .exec(ns, pod, container, command, out.stream, err.stream, null, false, (s) => resolve({ stdout: out.text(), stderr: err.text(), status: s.status ?? '' }))
      .catch(reject);
  });
}

async function podsOf(app: string): Promise<V1Pod[]> {
  const list = await core.listNamespacedPod({ namespace: ns, labelSelector: `app=${app}` });
  return list.items.filter((p) => !p.metadata?.deletionTimestamp);
}

async function readyPod(app: string, not?: string): Promise<V1Pod> {
  return poll(`a Ready pod of ${app}`, async () => {
    const pods = await podsOf(app);
    return pods.find((p) => p.metadata?.name !== not && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
  });
}

function deployment(name: string, command: string[], port?: number, cpu = '50m'): object {
  return {
    metadata: { name, namespace: ns },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [
            {
              name,
              image,
              imagePullPolicy: 'Never',
              command,
              ...(port ? { ports: [{ containerPort: port }], readinessProbe: { tcpSocket: { port }, periodSeconds: 1 } } : {}),
              resources: { requests: { cpu, memory: '16Mi' }, limits: { memory: '64Mi' } },
            },
          ],
        },
      },
    },
  };
}

describe('lab', () => {
  beforeAll(async () => {
    wasUp = (await labStatus()).every((c) => c.healthy);
    const started = Date.now();
    const { kubeconfig } = await labUp({ progress: true });
    console.log(`lab up took ${((Date.now() - started) / 1000).toFixed(1)}s`);
    kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    core = kc.makeApiClient(CoreV1Api);
    apps = kc.makeApiClient(AppsV1Api);
    image = await ensureBusyboxImage();
    await core.createNamespace({ body: { metadata: { name: ns } } });
    await poll('default ServiceAccount', async () => core.readNamespacedServiceAccount({ namespace: ns, name: 'default' }).then(() => true));
  });

  afterAll(async () => {
    await core?.deleteNamespace({ name: ns }).catch(() => undefined);
  });

  it('has a Ready node with the real kubelet version and every component healthy', async () => {
    const node = await core.readNode({ name: lab.nodeName });
    expect(node.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(node.status?.nodeInfo?.kubeletVersion).toBe('v1.35.4');
    expect(node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address).toBe(lab.nodeIP);
    const status = await labStatus();
    for (const s of status) expect(s, s.name).toMatchObject({ healthy: true });
    const rss = status.reduce((a, s) => a + (s.rssMiB ?? 0), 0);
    console.log(`lab RSS: ${status.filter((s) => s.rssMiB !== undefined).map((s) => `${s.name} ${s.rssMiB!.toFixed(0)}MiB`).join(', ')}; total ${rss.toFixed(0)}MiB`);
  });

  it('runs a Deployment to Available; logs, exec and port-forward work through the apiserver', async () => {
    await apps.createNamespacedDeployment({
      namespace: ns,
      body: deployment('web', ['sh', '-c', 'echo hello-from-lab; echo "<h1>lab web $(hostname)</h1>" > /www/index.html; exec httpd -f -p 8080 -h /www'], 8080) as never,
    });
    await poll('Deployment web Available', async () => {
      const d = await apps.readNamespacedDeployment({ namespace: ns, name: 'web' });
      return d.status?.conditions?.some((c) => c.type === 'Available' && c.status === 'True');
    });
    const pod = await readyPod('web');
    const name = pod.metadata!.name!;

    const logs = collector();
    await new Log(kc).log(ns, name, 'web', logs.stream, { follow: false });
    await poll('log line', async () => logs.text().includes('hello-from-lab'), 10_000);

    const ex = await execIn(name, 'web', ['sh', '-c', 'echo exec-ok; cat /etc/hostname']);
    expect(ex.status).toBe('Success');
    expect(ex.stdout).toContain('exec-ok');
    expect(ex.stdout).toContain(name);

    // Port-forward: a local TCP listener whose connections are forwarded to the pod's port 8080.
    const pf = new PortForward(kc);
    const server = createServer((sock) => {
      void pf.portForward(ns, name, [8080], sock, null, sock);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (server.address() as AddressInfo).port;
      const res = await fetch(`http://127.0.0.1:${port}/index.html`, { signal: AbortSignal.timeout(10_000) });
      expect(await res.text()).toContain(`lab web ${name}`);
    } finally {
      server.close();
    }
  });

  it('resolves and connects to a ClusterIP Service from another pod', async () => {
    await core.createNamespacedService({
      namespace: ns,
      body: { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 as never }] } },
    });
    await apps.createNamespacedDeployment({ namespace: ns, body: deployment('client', ['sleep', '100000']) as never });
    const client = (await readyPod('client')).metadata!.name!;
    const fqdn = `web.${ns}.svc.${lab.clusterDomain}`;
    const lookup = await poll('nslookup', async () => {
      const r = await execIn(client, 'client', ['nslookup', fqdn]);
      return r.stdout.includes('Address') && /10\.96\./.test(r.stdout) ? r.stdout : undefined;
    }, 30_000);
    expect(lookup).toMatch(/10\.96\.\d+\.\d+/);
    for (const url of [`http://${fqdn}/`, 'http://web/', `http://web.${ns}/`]) {
      const r = await poll(`wget ${url}`, async () => {
        // `timeout`, not wget's -T: Debian's static busybox wget crashes on -T.
        const x = await execIn(client, 'client', ['timeout', '5', 'wget', '-q', '-O', '-', url]);
        return x.stdout.includes('lab web') ? x : undefined;
      }, 30_000);
      expect(r.stdout).toContain('lab web');
    }
    // The apiserver's own Service from inside a pod (service-account token + kube-root-ca.crt).
    // busybox wget has no TLS; plain HTTP to the TLS port draws the apiserver's HTTP 400 answer, which
    // proves the Service path (DNS, ClusterIP DNAT to the node address) end to end.
    const api = await execIn(client, 'client', ['sh', '-c', 'ls /var/run/secrets/kubernetes.io/serviceaccount/; timeout 5 wget -q -O - http://kubernetes.default.svc:443/']);
    expect(api.stdout).toContain('ca.crt');
    expect(api.stderr).toContain('400');
  });

  it('replaces a deleted pod', async () => {
    const old = (await readyPod('web')).metadata!.name!;
    await core.deleteNamespacedPod({ namespace: ns, name: old });
    const replacement = await readyPod('web', old);
    expect(replacement.metadata?.name).not.toBe(old);
  });

  it('provisions a PersistentVolume through the lab provisioner and deletes it with the claim', async () => {
    await core.createNamespacedPersistentVolumeClaim({
      namespace: ns,
      body: { metadata: { name: 'data' }, spec: { storageClassName: 'lab-standard', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
    });
    await core.createNamespacedPod({
      namespace: ns,
      body: {
        metadata: { name: 'writer' },
        spec: {
          restartPolicy: 'Never',
          containers: [{ name: 'w', image, imagePullPolicy: 'Never', command: ['sh', '-c', 'echo persisted > /data/f'], volumeMounts: [{ name: 'd', mountPath: '/data' }] }],
          volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }],
        },
      },
    });
    await poll('writer Succeeded', async () => (await core.readNamespacedPod({ namespace: ns, name: 'writer' })).status?.phase === 'Succeeded');
    const pvc = await core.readNamespacedPersistentVolumeClaim({ namespace: ns, name: 'data' });
    const pv = await core.readPersistentVolume({ name: pvc.spec!.volumeName! });
    const dir = pv.spec!.hostPath!.path;
    expect(await readFile(`${dir}/f`, 'utf8')).toBe('persisted\n');
    await core.deleteNamespacedPod({ namespace: ns, name: 'writer' });
    await core.deleteNamespacedPersistentVolumeClaim({ namespace: ns, name: 'data' });
    await poll('volume directory removed', async () => !(await readdir(dir).then(() => true, () => false)), 60_000);
  });

  it('serves real pod CPU use through metrics.k8s.io', async () => {
    await apps.createNamespacedDeployment({ namespace: ns, body: deployment('burn', ['sh', '-c', 'while :; do :; done'], undefined, '100m') as never });
    const burn = (await readyPod('burn')).metadata!.name!;
    const usage = await poll('metrics for the burning pod', async () => {
      const r = (await (await fetchApi(`/apis/metrics.k8s.io/v1beta1/namespaces/${ns}/pods/${burn}`)).json()) as { containers?: { usage: { cpu: string } }[] };
      const cpu = r.containers?.[0]?.usage.cpu;
      return cpu ? cpu : undefined;
    }, 120_000);
    const milli = usage.endsWith('n') ? Number(usage.slice(0, -1)) / 1e6 : usage.endsWith('m') ? Number(usage.slice(0, -1)) : Number(usage) * 1000;
    console.log(`burning pod CPU per metrics.k8s.io: ${milli.toFixed(0)}m`);
    // A busy loop uses most of a core: far above any idle figure.
    expect(milli).toBeGreaterThan(300);

    // The controller-manager's HPA controller reads the same API: 100m requested, ~1 core used.
    const hpa = kc.makeApiClient(AutoscalingV2Api);
    await hpa.createNamespacedHorizontalPodAutoscaler({
      namespace: ns,
      body: {
        metadata: { name: 'burn' },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'burn' },
          minReplicas: 1,
          maxReplicas: 2,
          metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
        },
      },
    });
    const scaled = await poll('HPA scales burn to 2', async () => {
      const h = await hpa.readNamespacedHorizontalPodAutoscaler({ namespace: ns, name: 'burn' });
      return (h.status?.desiredReplicas ?? 0) >= 2 ? h : undefined;
    }, 120_000);
    console.log(`HPA: current CPU utilization ${scaled.status?.currentMetrics?.[0]?.resource?.current.averageUtilization}%, desired replicas ${scaled.status?.desiredReplicas}`);
    await apps.deleteNamespacedDeployment({ namespace: ns, name: 'burn' });
  });

  it('lab down leaves no process, mount, netns or bridge behind', async () => {
    if (process.env.STREAMCERT_LAB_KEEP_UP === '1') return;
    await labDown();
    const procs: string[] = [];
    for (const pid of await readdir('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
      // The lab's binaries, and anything pointed at its state dir (containerd, its shims).
      if (cmd.startsWith(labPaths.bin) || cmd.includes(labPaths.state)) procs.push(`${pid} ${cmd.replace(/\0/g, ' ')}`);
    }
    expect(procs).toEqual([]);
    const mounts = (await readFile('/proc/self/mountinfo', 'utf8')).split('\n').filter((l) => l.includes(labPaths.state) || l.includes('/run/netns/cni-'));
    expect(mounts).toEqual([]);
    const netns = (await run('ip', ['netns', 'list'])).stdout.split('\n').filter((l) => l.startsWith('cni-'));
    expect(netns).toEqual([]);
    expect((await run('ip', ['link', 'show', lab.bridge], { allowFail: true })).code).not.toBe(0);
    expect((await run('iptables-save', [])).stdout).not.toMatch(/KUBE-|streamcert-lab/);
    if (wasUp) await labUp({ progress: true });
  });
});

/** GET on the apiserver with the admin kubeconfig's credentials (for aggregated APIs). */
async function fetchApi(path: string): Promise<Response> {
  const { request } = await import('node:https');
  const opts: Record<string, unknown> = {};
  await kc.applyToHTTPSOptions(opts as never);
  const server = kc.getCurrentCluster()!.server;
  return new Promise((resolve, reject) => {
    const req = request(`${server}${path}`, { ...opts, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(new Response(Buffer.concat(chunks), { status: res.statusCode })));
    });
    req.on('error', reject);
    req.end();
  });
}
