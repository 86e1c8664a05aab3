// Optional parts of the lab: `lab up --with cassandra` (or STREAMCERT_LAB_WITH=cassandra) adds the
// K8ssandra half (CRDs, the emulated operators, the Cassandra image). The choice is remembered in the
// lab's state, so a later plain `lab up` (a test run, a suite) keeps it; `--without cassandra` drops it.
// The lab-controllers process records which of its controllers run, for `lab status`.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getJSON } from '../api.ts';
import { labPaths } from '../paths.ts';
import { writeFileAtomic } from '../../util/atomic-write.ts';
import { daemonPid } from '../procs.ts';

export const labPartNames = ['cassandra'] as const;
export type LabPart = (typeof labPartNames)[number];
export interface LabParts {
  cassandra: boolean;
}

const partsFile = join(labPaths.state, 'parts.json');
const controllersDir = join(labPaths.state, 'run', 'controllers');

export function parsePartList(list: string | string[] | undefined): LabPart[] {
  const items = (Array.isArray(list) ? list : (list ?? '').split(','))
    .flatMap((s) => s.split(','))
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  for (const i of items) {
    if (!(labPartNames as readonly string[]).includes(i)) throw new Error(`unknown lab part "${i}" (known: ${labPartNames.join(', ')})`);
  }
  return items as LabPart[];
}

export async function recordedParts(): Promise<LabParts> {
  const saved = JSON.parse(await readFile(partsFile, 'utf8').catch(() => '{}')) as Partial<LabParts>;
  return { cassandra: !!saved.cassandra };
}

/** Recorded parts, plus `with` and STREAMCERT_LAB_WITH, minus `without`; the result is recorded. */
export async function resolveParts(opts: { with?: LabPart[]; without?: LabPart[] } = {}): Promise<LabParts> {
  const parts = await recordedParts();
  for (const p of [...parsePartList(process.env.STREAMCERT_LAB_WITH), ...(opts.with ?? [])]) parts[p] = true;
  for (const p of opts.without ?? []) parts[p] = false;
  await mkdir(labPaths.state, { recursive: true });
  await writeFileAtomic(partsFile, JSON.stringify(parts, null, 2));
  return parts;
}

/** Called inside the lab-controllers process once a controller watches. */
export async function markControllerRunning(name: string): Promise<void> {
  await mkdir(controllersDir, { recursive: true });
  await writeFileAtomic(join(controllersDir, `${name}.json`), JSON.stringify({ pid: process.pid, since: new Date().toISOString() }));
}

/** Whether the current lab-controllers process runs the named controller. */
export async function controllerRunning(name: string): Promise<boolean> {
  const pid = await daemonPid('lab-controllers');
  if (pid === undefined) return false;
  const rec = JSON.parse(await readFile(join(controllersDir, `${name}.json`), 'utf8').catch(() => '{}')) as { pid?: number };
  return rec.pid === pid;
}

/** Both CRDs are served (Established). */
export async function k8ssandraCrdsEstablished(): Promise<boolean> {
  for (const name of ['k8ssandraclusters.k8ssandra.io', 'cassandradatacenters.cassandra.datastax.com']) {
    const crd = await getJSON<{ status?: { conditions?: { type: string; status: string }[] } }>(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
    if (!crd?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) return false;
  }
  return true;
}
