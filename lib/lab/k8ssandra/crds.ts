// The K8ssandraCluster and CassandraDatacenter CRDs, taken from the released Go modules (the same
// files `kubectl apply -k github.com/k8ssandra/k8ssandra-operator/config/...` installs), never written
// by hand: `go mod download -json` in the pinning module fixtures/lab/k8ssandra (its go.sum pins both
// zips) gives each module's directory, and config/crd/bases/ holds the generated CRDs.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { fixturesDir, goEnv } from '../build.ts';
import { run } from '../exec.ts';
import { ensureGo } from '../install.ts';
import { labVersions } from '../versions.ts';
import type { K8sObject } from '../../k8s/objects.ts';

const pinModule = join(fixturesDir, 'k8ssandra');

/** Each module and the CRD files the lab applies from it. */
const sources = [
  { module: 'github.com/k8ssandra/k8ssandra-operator', version: () => labVersions.k8ssandraOperator, files: ['config/crd/bases/k8ssandra.io_k8ssandraclusters.yaml'] },
  { module: 'github.com/k8ssandra/cass-operator', version: () => labVersions.cassOperator, files: ['config/crd/bases/cassandra.datastax.com_cassandradatacenters.yaml'] },
];

/** Downloads (once; the module cache keeps them) and parses the two CRDs. */
export async function k8ssandraCrds(): Promise<K8sObject[]> {
  const gomod = await readFile(join(pinModule, 'go.mod'), 'utf8');
  const go = await ensureGo();
  const crds: K8sObject[] = [];
  for (const s of sources) {
    if (!gomod.includes(`${s.module} ${s.version()}`)) {
      throw new Error(`${pinModule}/go.mod does not pin ${s.module} ${s.version()} (versions.ts and the pinning module disagree)`);
    }
    const r = await run(go, ['mod', 'download', '-json', `${s.module}@${s.version()}`], { cwd: pinModule, env: goEnv(), allowFail: true });
    const info = JSON.parse(r.stdout || '{}') as { Dir?: string; Error?: string };
    if (!info.Dir) throw new Error(`go mod download ${s.module}@${s.version()} failed: ${info.Error ?? r.stderr.trim()}`);
    for (const f of s.files) {
      const crd = parse(await readFile(join(info.Dir, f), 'utf8')) as K8sObject;
      if (crd?.kind !== 'CustomResourceDefinition') throw new Error(`${join(info.Dir, f)} is not a CustomResourceDefinition`);
      crds.push(crd);
    }
  }
  return crds;
}
