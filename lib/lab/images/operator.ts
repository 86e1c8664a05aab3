// The lab's Flink Kubernetes Operator image and the operator's CRDs. The released operator jar and
// its runtime dependencies come from Maven Central (the official image ships them shaded into one
// jar, which is not published); the CRDs are the ones fabric8's generator wrote into the released
// flink-kubernetes-operator-api jar (META-INF/fabric8/*-v1.yml), never written by hand.
import { chmod, cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '../exec.ts';
import { buildImageArchive } from '../oci.ts';
import { labPaths } from '../paths.ts';
import { baseImage, type BaseRootfs } from './base.ts';
import type { ImageArchive } from './flink.ts';
import { copyMavenArtifacts } from './maven.ts';
import { buildAtomically, exists, hashInputs, imageFixtures, pruneStale, seconds, type Progress } from './util.ts';

const operatorFixtures = join(imageFixtures, 'operator');
const OPERATOR_RECIPE = '1';
const OPERATOR_HOME = '/flink-kubernetes-operator';

async function pomProperty(name: string): Promise<string> {
  const text = await readFile(join(operatorFixtures, 'pom.xml'), 'utf8');
  const m = new RegExp(`<${name.replace(/\./g, '\\.')}>([^<]+)</`).exec(text);
  if (!m) throw new Error(`operator pom.xml has no <${name}>`);
  return m[1]!.trim();
}

/** The operator release the image carries, and the Flink version it was built against. */
export async function operatorVersions(): Promise<{ operator: string; operatorFlink: string }> {
  return { operator: await pomProperty('operator.version'), operatorFlink: await pomProperty('operator.flink.version') };
}

export function operatorTags(version: string): string[] {
  return [`ghcr.io/apache/flink-kubernetes-operator:${version}`, `docker.io/apache/flink-kubernetes-operator:${version}`];
}

function operatorImageConfig(version: string): ImageArchive['config'] {
  return {
    Entrypoint: ['/docker-entrypoint.sh'],
    Cmd: ['help'],
    Env: [
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      `JAVA_HOME=${baseImage.javaHome}`,
      'FLINK_HOME=/opt/flink',
      'FLINK_PLUGINS_DIR=/opt/flink/plugins',
      'FLINK_CONF_DIR=/opt/flink/conf',
      `OPERATOR_VERSION=${version}`,
      'OPERATOR_LIB=/opt/flink/operator-lib',
      'LANG=C.UTF-8',
    ],
    WorkingDir: OPERATOR_HOME,
    User: baseImage.user.name,
  };
}

async function assembleOperatorLayer(layer: string, progress: Progress): Promise<void> {
  await copyMavenArtifacts(operatorFixtures, layer, progress, 'maven (operator)');
  await mkdir(join(layer, 'opt', 'flink', 'operator-lib'), { recursive: true });
  await cp(join(operatorFixtures, 'conf'), join(layer, 'opt', 'flink', 'conf'), { recursive: true });
  await cp(join(operatorFixtures, 'docker-entrypoint.sh'), join(layer, 'docker-entrypoint.sh'));
  await chmod(join(layer, 'docker-entrypoint.sh'), 0o755);
  const { uid, gid } = baseImage.user;
  await run('chown', ['-R', `${uid}:${gid}`, join(layer, 'opt', 'flink'), join(layer, OPERATOR_HOME.slice(1))]);
}

/** Extracts the CRDs (apiextensions v1) from the operator's API jar into the cache; returns their paths. */
export async function extractOperatorCrds(layer: string, version: string): Promise<string[]> {
  const apiJar = join(layer, OPERATOR_HOME.slice(1), 'lib', `flink-kubernetes-operator-api-${version}.jar`);
  const dir = join(labPaths.images, 'crds', `flink-kubernetes-operator-${version}`);
  if (!(await exists(dir))) {
    await buildAtomically(dir, async (tmp) => {
      await run('unzip', ['-o', '-j', '-q', apiJar, 'META-INF/fabric8/*-v1.yml', '-d', tmp]);
    });
  }
  const crds = (await readdir(dir)).filter((f) => f.endsWith('-v1.yml')).sort();
  if (crds.length === 0) throw new Error(`no CRDs (META-INF/fabric8/*-v1.yml) in ${apiJar}`);
  return crds.map((f) => join(dir, f));
}

export interface OperatorImage extends ImageArchive {
  version: string;
  crds: string[];
}

/** Builds the operator image archive when it is missing or stale, and extracts its CRDs. */
export async function ensureOperatorImage(base: BaseRootfs, progress: Progress): Promise<OperatorImage> {
  const { operator: version } = await operatorVersions();
  const hash = await hashInputs({ strings: [OPERATOR_RECIPE, base.hash], dirs: [operatorFixtures] });
  const layer = join(labPaths.images, 'layers', `flink-kubernetes-operator-${version}-${hash}`);
  const archive = join(labPaths.images, 'archives', `flink-kubernetes-operator-${version}-${hash}.tar`);
  const tags = operatorTags(version);
  const config = operatorImageConfig(version);
  const started = Date.now();
  if (!(await exists(layer))) {
    progress(`▶ flink-kubernetes-operator ${version} layer: jars from Maven Central and entry point`);
    await buildAtomically(layer, (dir) => assembleOperatorLayer(dir, progress));
  }
  if (!(await exists(archive))) {
    progress(`  flink-kubernetes-operator ${version}: writing image archive`);
    await buildImageArchive({ tags, layers: [base.dir, layer], config: { ...config, ExposedPorts: { '9999/tcp': {} } } }, archive);
    await writeFile(`${archive}.json`, JSON.stringify({ name: 'flink-kubernetes-operator', version, tags, layers: [base.dir, layer] }, null, 2));
    const name = `flink-kubernetes-operator-${version}-${hash}`;
    await pruneStale(join(labPaths.images, 'layers'), 'flink-kubernetes-operator-', [name]);
    await pruneStale(join(labPaths.images, 'archives'), 'flink-kubernetes-operator-', [`${name}.tar`]);
    const du = await run('du', ['-sm', layer, archive]);
    progress(`  flink-kubernetes-operator ${version} image ready in ${seconds(started)} (${du.stdout.trim().replace(/\n/g, ', ').replace(/\t/g, ' MiB ')})`);
  }
  const crds = await extractOperatorCrds(layer, version);
  return { name: 'flink-kubernetes-operator', tags, path: archive, layers: [base.dir, layer], config, version, crds };
}
