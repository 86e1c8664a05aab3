// LoadBalancer Services get an address, as MetalLB (what the paper used) gives them in layer-2 mode:
// an IP from a pool inside the lab's bridge network, written to status.loadBalancer.ingress, and
// announced on the bridge (the address is added to sclab0, so the host answers ARP for it as
// MetalLB's speaker would). kube-proxy (iptables mode) already DNATs traffic for ingress IPs to the
// Service's endpoints, for traffic from the host (nat OUTPUT → KUBE-SERVICES) and from pods (the
// address is on-link for them: they ARP for it, the host answers, nat PREROUTING → KUBE-SERVICES).
import { makeInformer, type KubeConfig, type V1Service } from '@kubernetes/client-node';
import { run } from '../exec.ts';
import { paths, rest } from '../k8ssandra/rest.ts';

const log = (msg: string) => process.stdout.write(`${new Date().toISOString()} loadbalancer: ${msg}\n`);

export interface LoadBalancerOptions {
  bridge: string;
  /** First three octets of the /24 pool, e.g. `10.211.250`; .1 – .254 are handed out. */
  poolPrefix: string;
}

/** The lab's LoadBalancer address pool: a /24 of the bridge network far above where pod addresses are handed out. */
export const loadBalancerPool = { prefix: '10.211.250', cidr: '10.211.250.0/24' } as const;

export async function runLoadBalancerController(kc: KubeConfig, opts: LoadBalancerOptions): Promise<void> {
  const owner = new Map<string, string>(); // ip → ns/name
  const keyOf = (s: V1Service) => `${s.metadata!.namespace}/${s.metadata!.name}`;
  const inPool = (ip: string | undefined): ip is string => !!ip && ip.startsWith(`${opts.poolPrefix}.`);
  const wants = (s: V1Service) => s.spec?.type === 'LoadBalancer' && !s.spec.loadBalancerClass && !s.metadata?.deletionTimestamp;

  async function announce(ip: string): Promise<void> {
    const r = await run('ip', ['addr', 'add', `${ip}/32`, 'dev', opts.bridge], { allowFail: true });
    if (r.code !== 0 && !/File exists|already assigned/.test(r.stderr)) throw new Error(`ip addr add ${ip}/32 dev ${opts.bridge}: ${r.stderr.trim()}`);
  }
  async function withdraw(ip: string): Promise<void> {
    await run('ip', ['addr', 'del', `${ip}/32`, 'dev', opts.bridge], { allowFail: true });
  }
  /** An address no pod holds (pods are handed 10.211.0.10 upwards; the pool lies far above, but check). */
  async function usedByPod(ip: string): Promise<boolean> {
    const pods = await rest.list(`/api/v1/pods?fieldSelector=${encodeURIComponent(`status.podIP=${ip}`)}`);
    return pods.items.length > 0;
  }

  async function release(key: string): Promise<void> {
    for (const [ip, k] of owner) {
      if (k !== key) continue;
      owner.delete(ip);
      await withdraw(ip);
      log(`released ${ip} (${key})`);
    }
  }

  async function sync(s: V1Service): Promise<void> {
    const key = keyOf(s);
    if (!wants(s)) return release(key);
    const current = s.status?.loadBalancer?.ingress?.[0]?.ip;
    if (inPool(current) && (owner.get(current) ?? key) === key) {
      owner.set(current, key);
      await announce(current);
      return;
    }
    let ip: string | undefined;
    const requested = s.spec?.loadBalancerIP;
    if (inPool(requested) && !owner.has(requested) && !(await usedByPod(requested))) ip = requested;
    for (let i = 1; !ip && i < 255; i++) {
      const cand = `${opts.poolPrefix}.${i}`;
      if (!owner.has(cand) && !(await usedByPod(cand))) ip = cand;
    }
    if (!ip) {
      log(`no free address for ${key}: the pool ${opts.poolPrefix}.0/24 is exhausted`);
      return;
    }
    owner.set(ip, key);
    await announce(ip);
    await rest.mergePatch(`${paths.service(s.metadata!.namespace!, s.metadata!.name!)}/status`, {
      status: { loadBalancer: { ingress: [{ ip, ipMode: 'VIP' }] } },
    });
    log(`assigned ${ip} to ${key} (ports ${(s.spec?.ports ?? []).map((p) => p.port).join(', ')})`);
  }

  const report = (what: string) => (err: unknown) => log(`${what}: ${(err as Error).message}`);
  // One at a time, so two Services never pick the same free address.
  let chain = Promise.resolve();
  const serialize = (f: () => Promise<void>, what: string) => {
    chain = chain.then(f).catch((err: unknown) => void report(what)(err));
  };
  const services = makeInformer<V1Service>(kc, '/api/v1/services', () => rest.list<V1Service>('/api/v1/services') as never);
  services.on('add', (s) => serialize(() => sync(s), `service ${keyOf(s)}`));
  services.on('update', (s) => serialize(() => sync(s), `service ${keyOf(s)}`));
  services.on('delete', (s) => serialize(() => release(keyOf(s)), `release ${keyOf(s)}`));
  services.on('error', () => setTimeout(() => void services.start(), 1000));
  await services.start();
  // Addresses announced by an earlier run of this process for Services that are gone.
  serialize(async () => {
    const addrs = await run('ip', ['-4', '-o', 'addr', 'show', 'dev', opts.bridge], { allowFail: true });
    for (const m of addrs.stdout.matchAll(/inet (\d+\.\d+\.\d+\.\d+)\/32/g)) {
      if (inPool(m[1]) && !owner.has(m[1]!)) {
        await withdraw(m[1]!);
        log(`withdrew stale ${m[1]}`);
      }
    }
  }, 'stale addresses');
  log(`watching LoadBalancer Services (pool ${opts.poolPrefix}.0/24 on ${opts.bridge})`);
}
