// The lab's Cassandra image: Debian base layer + one layer with CASSANDRA_HOME=/opt/cassandra laid
// out like the distribution (lib/, conf/, bin/nodetool) plus jamm under agents/, the jars from Maven
// Central (cassandra-all and its runtime dependencies: Apache publishes no server tarball there),
// and the project's entry point, configuration template and JVM options (fixtures/lab/images/cassandra/).
//
// The contract controllers rely on (K8ssandra's emulation runs it in a StatefulSet):
//   image      docker.io/library/cassandra:<5.0.x> and :5.0, user 9999:9999 (the base layer's user)
//   entrypoint /docker-entrypoint.sh, default command `cassandra -f` (foreground)
//   env        CASSANDRA_CLUSTER_NAME, _DC, _RACK, _SEEDS, _LISTEN_ADDRESS, _BROADCAST_ADDRESS,
//              _NUM_TOKENS, _AUTHENTICATOR, _AUTHORIZER, _ENDPOINT_SNITCH, MAX_HEAP_SIZE, HEAP_NEWSIZE
//   data       /var/lib/cassandra/{data,commitlog,hints,saved_caches,cdc} (mount the volume there)
//   ports      CQL 9042 (all interfaces), storage 7000, JMX 127.0.0.1:7199 for /opt/cassandra/bin/nodetool
import { chmod, cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '../exec.ts';
import { buildImageArchive } from '../oci.ts';
import { labPaths } from '../paths.ts';
import { baseImage, type BaseRootfs } from './base.ts';
import type { ImageArchive } from './flink.ts';
import { copyMavenArtifacts } from './maven.ts';
import { buildAtomically, exists, hashInputs, imageFixtures, pruneStale, seconds, type Progress } from './util.ts';

const cassandraFixtures = join(imageFixtures, 'cassandra');
/** Bumped when the way the layer is assembled changes. */
const CASSANDRA_RECIPE = '1';
export const CASSANDRA_HOME = '/opt/cassandra';
/** Where the entry point keeps everything the node stores; a controller mounts its volume here. */
export const CASSANDRA_DATA = '/var/lib/cassandra';

export const cassandraPorts = { cql: 9042, storage: 7000, jmx: 7199 } as const;

/** The Cassandra release the image carries (the manifest's cassandra.version). */
export async function cassandraVersion(): Promise<string> {
  const text = await readFile(join(cassandraFixtures, 'pom.xml'), 'utf8');
  const m = /<cassandra\.version>([^<]+)</.exec(text);
  if (!m) throw new Error(`${join(cassandraFixtures, 'pom.xml')} has no <cassandra.version>`);
  return m[1]!.trim();
}

/** `docker.io/library/cassandra:<x.y.z>` first (what `labImages.cassandra` names), then `:<x.y>`. */
export function cassandraTags(version: string): string[] {
  const minor = version.split('.').slice(0, 2).join('.');
  return [`docker.io/library/cassandra:${version}`, `docker.io/library/cassandra:${minor}`];
}

export function cassandraImageConfig(version: string): ImageArchive['config'] {
  return {
    Entrypoint: ['/docker-entrypoint.sh'],
    Cmd: ['cassandra', '-f'],
    Env: [
      `PATH=${CASSANDRA_HOME}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
      `CASSANDRA_HOME=${CASSANDRA_HOME}`,
      `CASSANDRA_CONF=${CASSANDRA_HOME}/conf`,
      `CASSANDRA_VERSION=${version}`,
      `JAVA_HOME=${baseImage.javaHome}`,
      'LANG=C.UTF-8',
    ],
    WorkingDir: CASSANDRA_HOME,
    // Numeric, so a pod with runAsNonRoot can be admitted (the kubelet cannot check a user name).
    User: `${baseImage.user.uid}:${baseImage.user.gid}`,
  };
}

async function assembleCassandraLayer(layer: string, progress: Progress): Promise<void> {
  const home = join(layer, CASSANDRA_HOME.slice(1));
  await mkdir(home, { recursive: true });
  await copyMavenArtifacts(cassandraFixtures, layer, progress, 'maven (cassandra)');
  await cp(join(cassandraFixtures, 'conf'), join(home, 'conf'), { recursive: true });
  await cp(join(cassandraFixtures, 'bin'), join(home, 'bin'), { recursive: true });
  await mkdir(join(home, 'triggers'));
  await cp(join(cassandraFixtures, 'docker-entrypoint.sh'), join(layer, 'docker-entrypoint.sh'));
  await chmod(join(layer, 'docker-entrypoint.sh'), 0o755);
  const data = join(layer, CASSANDRA_DATA.slice(1));
  await mkdir(data, { recursive: true });
  const { uid, gid } = baseImage.user;
  // conf/ must be writable by the image user: the entry point renders cassandra.yaml there.
  await run('sh', ['-c', `chmod 755 "${home}"/bin/* && chown -R ${uid}:${gid} "${home}" "${data}"`]);
}

/** Builds the Cassandra image archive when it is missing or its inputs changed. */
export async function ensureCassandraImage(base: BaseRootfs, progress: Progress): Promise<ImageArchive & { version: string }> {
  const version = await cassandraVersion();
  const hash = await hashInputs({ strings: [CASSANDRA_RECIPE, base.hash], dirs: [cassandraFixtures] });
  const name = `cassandra-${version}-${hash}`;
  const layer = join(labPaths.images, 'layers', name);
  const archive = join(labPaths.images, 'archives', `${name}.tar`);
  const tags = cassandraTags(version);
  const config = cassandraImageConfig(version);
  const result = { name: 'cassandra', tags, path: archive, layers: [base.dir, layer], config, version };
  if ((await exists(archive)) && (await exists(layer))) return result;

  const started = Date.now();
  if (!(await exists(layer))) {
    progress(`▶ cassandra ${version} layer: jars from Maven Central, entry point and configuration`);
    await buildAtomically(layer, (dir) => assembleCassandraLayer(dir, progress));
  }
  progress(`  cassandra ${version}: writing image archive`);
  const ports = Object.fromEntries(Object.values(cassandraPorts).map((p) => [`${p}/tcp`, {}]));
  await buildImageArchive({ tags, layers: [base.dir, layer], config: { ...config, ExposedPorts: ports } }, archive);
  await writeFile(`${archive}.json`, JSON.stringify({ name: 'cassandra', version, tags, layers: [base.dir, layer] }, null, 2));
  await pruneStale(join(labPaths.images, 'layers'), 'cassandra-', [name]);
  await pruneStale(join(labPaths.images, 'archives'), 'cassandra-', [`${name}.tar`]);
  const du = await run('du', ['-sm', layer, archive]);
  progress(`  cassandra ${version} image ready in ${seconds(started)} (${du.stdout.trim().replace(/\n/g, ', ').replace(/\t/g, ' MiB ')})`);
  return result;
}
