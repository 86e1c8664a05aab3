// The lab's Flink image: Debian base layer + one layer with FLINK_HOME=/opt/flink laid out like the
// official image (bin/, conf/, lib/, plugins/, examples/, log/), the jars from Maven Central, and
// the project's own entry point and start scripts (fixtures/lab/images/flink/).
import { chmod, cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '../exec.ts';
import { buildImageArchive } from '../oci.ts';
import { labPaths } from '../paths.ts';
import { baseImage, type BaseRootfs } from './base.ts';
import { buildJobsJar, copyMavenArtifacts } from './maven.ts';
import { buildAtomically, exists, hashInputs, imageFixtures, pruneStale, seconds, type Progress } from './util.ts';

const flinkFixtures = join(imageFixtures, 'flink');
const jobsFixtures = join(imageFixtures, '..', '..', 'jobs');
/** Bumped when the way the layer is assembled changes. */
const FLINK_RECIPE = '1';

export interface ImageArchive {
  /** Short name: `flink`, `flink-kubernetes-operator`. */
  name: string;
  /** References the archive is tagged with (fully qualified, as containerd stores them). */
  tags: string[];
  /** docker-archive tarball, importable with `ctr -n k8s.io images import`. */
  path: string;
  /** Directories of the layers, bottom first (handy for running the image with runc directly). */
  layers: string[];
  config: { Entrypoint: string[]; Cmd: string[]; Env: string[]; WorkingDir: string; User?: string };
}

async function pomProperty(pom: string, name: string): Promise<string> {
  const text = await readFile(pom, 'utf8');
  const m = new RegExp(`<${name.replace(/\./g, '\\.')}>([^<]+)</`).exec(text);
  if (!m) throw new Error(`${pom} has no <${name}>`);
  return m[1]!.trim();
}

/** The Flink version the image carries (the manifest's flink.version). */
export async function flinkVersion(): Promise<string> {
  return pomProperty(join(flinkFixtures, 'pom.xml'), 'flink.version');
}

export function flinkTags(version: string): string[] {
  const minor = version.split('.').slice(0, 2).join('.');
  return [
    `docker.io/library/flink:${minor}`,
    `docker.io/library/flink:${version}`,
    `docker.io/library/flink:${minor}-java17`,
    `docker.io/library/flink:${version}-java17`,
  ];
}

export function flinkImageConfig(): ImageArchive['config'] {
  const flinkHome = '/opt/flink';
  return {
    Entrypoint: ['/docker-entrypoint.sh'],
    Cmd: ['help'],
    Env: [
      `PATH=${flinkHome}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
      `FLINK_HOME=${flinkHome}`,
      `JAVA_HOME=${baseImage.javaHome}`,
      'LANG=C.UTF-8',
    ],
    WorkingDir: flinkHome,
  };
}

/** Assembles the Flink layer directory (its `/`). */
async function assembleFlinkLayer(layer: string, progress: Progress): Promise<void> {
  const home = join(layer, 'opt', 'flink');
  await mkdir(home, { recursive: true });
  await copyMavenArtifacts(flinkFixtures, home, progress, 'maven (flink)');
  await cp(join(flinkFixtures, 'bin'), join(home, 'bin'), { recursive: true });
  await cp(join(flinkFixtures, 'conf'), join(home, 'conf'), { recursive: true });
  for (const d of ['log', 'opt', 'usrlib']) await mkdir(join(home, d), { recursive: true });
  // The project's own jobs (CPU load for the HPA suite, the Cassandra pipeline) ride along beside the
  // examples. Not in usrlib: Flink 1.20's standalone application entry point, started the way operator
  // 1.7 starts it, does not find an entry class in a usrlib jar named by pipeline.jars.
  await mkdir(join(home, 'examples', 'streamcert'), { recursive: true });
  await cp(await buildJobsJar(jobsFixtures, progress), join(home, 'examples', 'streamcert', 'streamcert-jobs.jar'));
  await cp(join(flinkFixtures, 'docker-entrypoint.sh'), join(layer, 'docker-entrypoint.sh'));
  await chmod(join(layer, 'docker-entrypoint.sh'), 0o755);
  await run('sh', ['-c', `chmod 755 "${home}"/bin/* && chown -R ${baseImage.user.uid}:${baseImage.user.gid} "${home}"`]);
}

/** Builds the Flink image archive when it is missing or its inputs changed. */
export async function ensureFlinkImage(base: BaseRootfs, progress: Progress): Promise<ImageArchive> {
  const version = await flinkVersion();
  const hash = await hashInputs({
    strings: [FLINK_RECIPE, base.hash, await readFile(join(jobsFixtures, 'pom.xml'), 'utf8')],
    dirs: [flinkFixtures, join(jobsFixtures, 'src')],
  });
  const layer = join(labPaths.images, 'layers', `flink-${version}-${hash}`);
  const archive = join(labPaths.images, 'archives', `flink-${version}-${hash}.tar`);
  const tags = flinkTags(version);
  const config = flinkImageConfig();
  const result: ImageArchive = { name: 'flink', tags, path: archive, layers: [base.dir, layer], config };
  if ((await exists(archive)) && (await exists(layer))) return result;

  const started = Date.now();
  if (!(await exists(layer))) {
    progress(`▶ flink ${version} layer: jars from Maven Central, scripts and configuration`);
    await buildAtomically(layer, (dir) => assembleFlinkLayer(dir, progress));
  }
  progress(`  flink ${version}: writing image archive`);
  await buildImageArchive(
    {
      tags,
      layers: [base.dir, layer],
      config: { ...config, ExposedPorts: { '6123/tcp': {}, '6124/tcp': {}, '8081/tcp': {} } },
    },
    archive,
  );
  await writeFile(`${archive}.json`, JSON.stringify({ name: 'flink', version, tags, layers: [base.dir, layer] }, null, 2));
  await pruneStale(join(labPaths.images, 'layers'), 'flink-1', [`flink-${version}-${hash}`]);
  await pruneStale(join(labPaths.images, 'archives'), 'flink-1', [`flink-${version}-${hash}.tar`]);
  const du = await run('du', ['-sm', layer, archive]);
  progress(`  flink ${version} image ready in ${seconds(started)} (${du.stdout.trim().replace(/\n/g, ', ').replace(/\t/g, ' MiB ')})`);
  return result;
}
