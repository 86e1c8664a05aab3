// How much memory the lab holds: the RSS of its own processes plus every process in a pod's cgroup.
// `streamcert lab status` prints it; the lab's memory targets (6 GB with Flink, 10 GB with Cassandra)
// are checked against it.
import { readdir, readFile } from 'node:fs/promises';
import { labComponents } from './index.ts';
import { daemonPid } from './procs.ts';

async function rssKiB(pid: string): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

export interface LabMemory {
  componentsMiB: number;
  podsMiB: number;
  totalMiB: number;
  podProcesses: number;
}

export async function labMemory(): Promise<LabMemory> {
  let components = 0;
  for (const name of labComponents) {
    const pid = await daemonPid(name);
    if (pid) components += await rssKiB(String(pid));
  }
  let pods = 0;
  let podProcesses = 0;
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const cgroup = await readFile(`/proc/${pid}/cgroup`, 'utf8').catch(() => '');
    if (!cgroup.includes('kubepods')) continue;
    pods += await rssKiB(pid);
    podProcesses += 1;
  }
  const mib = (kib: number) => Math.round(kib / 1024);
  return { componentsMiB: mib(components), podsMiB: mib(pods), totalMiB: mib(components + pods), podProcesses };
}
