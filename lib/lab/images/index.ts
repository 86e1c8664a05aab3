// Container images of the lab. There is no registry and no Docker engine: every image a pod names is
// built here from Debian packages (debootstrap) and Maven Central jars, written as a docker-archive
// tarball, and imported into the node's containerd by the node code
// (`ctr -n k8s.io images import --no-unpack=false <archive>`).
//
//   base layer (shared)   Debian bookworm minbase + openjdk-17-jre-headless + a few tools
//   flink:1.20            + /opt/flink (Flink 1.20 jars, the project's own entry point and bin/ scripts)
//   flink-kubernetes-operator:<ver>  + /flink-kubernetes-operator (operator jars) and its entry point
//   cassandra:5.0.x       + /opt/cassandra (cassandra-all and its dependencies), entry point, nodetool
//
// Everything is cached under ~/.cache/streamcert/images keyed by a content hash of its inputs, so a
// second call returns at once and a changed script rebuilds only what depends on it.
import { ensureBaseRootfs } from './base.ts';
import { cassandraTags, ensureCassandraImage } from './cassandra.ts';
import { ensureFlinkImage, flinkTags, flinkVersion, type ImageArchive } from './flink.ts';
import { ensureOperatorImage, operatorTags } from './operator.ts';
import { defaultProgress, seconds, type Progress } from './util.ts';

export type { ImageArchive } from './flink.ts';
export type { Progress } from './util.ts';
export { ensureBaseRootfs } from './base.ts';
export { ensureFlinkImage } from './flink.ts';
export { ensureOperatorImage, extractOperatorCrds } from './operator.ts';
export { ensureCassandraImage, cassandraPorts, CASSANDRA_DATA, CASSANDRA_HOME } from './cassandra.ts';

/** Versions the images carry (also in fixtures/lab/images/{flink,operator,cassandra}/pom.xml). */
export const labImageVersions = {
  flink: '1.20.0',
  /** Newest flink-kubernetes-operator release the reachable Maven Central serves. */
  operator: '1.7.0',
  /** Flink version the operator release was built against (its client libraries). */
  operatorFlink: '1.17.1',
  /** Newest Cassandra 5.0.x release the reachable Maven Central serves. */
  cassandra: '5.0.9',
} as const;

/**
 * Image references as manifests name them. Unqualified names resolve to docker.io/library/..., which
 * is how the archives are tagged, so `image: flink:1.20` in a FlinkDeployment finds the imported
 * image (imagePullPolicy IfNotPresent, the default for a non-latest tag).
 */
export const labImages = {
  flink: 'flink:1.20',
  flinkQualified: flinkTags(labImageVersions.flink)[0]!,
  flinkPatch: `flink:${labImageVersions.flink}`,
  operator: operatorTags(labImageVersions.operator)[0]!,
  /** `spec.flinkVersion` to use with this operator release and the 1.20 image (1.7.0 knows up to v1_18). */
  operatorFlinkVersionEnum: 'v1_18',
  /** `cassandra:5.0.x` as manifests (a CassandraDatacenter's pods) name it; also tagged `cassandra:5.0`. */
  cassandra: `cassandra:${labImageVersions.cassandra}`,
  cassandraQualified: cassandraTags(labImageVersions.cassandra)[0]!,
} as const;

export interface LabImages {
  archives: { name: string; tags: string[]; path: string }[];
  /** CRD manifests (apiextensions.k8s.io/v1) of the operator release, from its API jar. */
  crds: string[];
  versions: { flink: string; operator: string; cassandra: string };
  /** Full details, including layer directories (for running an image with runc directly). */
  images: { flink: ImageArchive; operator: ImageArchive; cassandra: ImageArchive };
}

/** Builds whatever is missing or stale and returns the archives to import and the CRDs to apply. */
export async function ensureImages(opts: { progress?: Progress | boolean } = {}): Promise<LabImages> {
  const progress: Progress =
    typeof opts.progress === 'function' ? opts.progress : opts.progress === false ? () => undefined : defaultProgress;
  const started = Date.now();
  const base = await ensureBaseRootfs(progress);
  const flink = await ensureFlinkImage(base, progress);
  const operator = await ensureOperatorImage(base, progress);
  const cassandra = await ensureCassandraImage(base, progress);
  const version = await flinkVersion();
  if (version !== labImageVersions.flink || operator.version !== labImageVersions.operator || cassandra.version !== labImageVersions.cassandra) {
    throw new Error(
      `labImageVersions (${labImageVersions.flink}, ${labImageVersions.operator}, ${labImageVersions.cassandra}) disagree with the image manifests (${version}, ${operator.version}, ${cassandra.version})`,
    );
  }
  progress(`  images ready (${seconds(started)}): ${[flink, operator, cassandra].map((i) => i.tags[0]).join(', ')}`);
  return {
    archives: [flink, operator, cassandra].map(({ name, tags, path }) => ({ name, tags, path })),
    crds: operator.crds,
    versions: { flink: version, operator: operator.version, cassandra: cassandra.version },
    images: { flink, operator, cassandra },
  };
}
