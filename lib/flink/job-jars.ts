// Where job jars come from. Application mode reads `local://` paths inside the Flink image; the
// operator downloads FlinkSessionJob jars over http(s), so session jobs need a URL: configured for a
// real cluster, the lab's artifact server on the lab. 03 needs no configuration at all: a jar it is
// not given comes from the Flink image, served by a pod of its own (./jar-server.ts).
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { StreamcertConfig } from '../config/schema.ts';
import { servedJarUrl, type ServedJar } from './jar-server.ts';

/** The lab serves the Flink image's example jars at this base URL (see lib/lab/example-jars.ts). */
export const labArtifactBase = 'http://artifacts.streamcert-lab.svc.cluster.local:8080';

export function sessionJobJarUrl(config: StreamcertConfig, jar = 'TopSpeedWindowing.jar'): string | undefined {
  if (config.flink.sessionJobJar) return config.flink.sessionJobJar;
  return config.target === 'lab' ? `${labArtifactBase}/${jar}` : undefined;
}

/** A local jar file for REST upload: configured path, a configured URL downloaded once, or the lab's copy. */
export async function restJobJarPath(
  config: StreamcertConfig,
  configured = config.flink.restJobJar,
  labJar = 'TopSpeedWindowing.jar',
): Promise<string | undefined> {
  if (configured && /^https?:\/\//.test(configured)) {
    const res = await fetch(configured, { signal: AbortSignal.timeout(120_000) });
    if (!res.ok) throw new Error(`cannot download flink.restJobJar ${configured}: HTTP ${res.status}`);
    const file = join(await mkdtemp(join(tmpdir(), 'streamcert-jar-')), basename(new URL(configured).pathname) || 'job.jar');
    await writeFile(file, Buffer.from(await res.arrayBuffer()));
    return file;
  }
  if (configured) return configured;
  if (config.target !== 'lab') return undefined;
  const { labExampleJar } = await import('../lab/index.ts');
  return labExampleJar(labJar);
}

/** What 03 runs when no jar is configured: an example every Flink image carries, upstream's and the lab's. */
export const defaultSessionModeJar = 'local:///opt/flink/examples/streaming/TopSpeedWindowing.jar';

/** A job jar for 03: a location streamcert or the operator reads as given, or a jar of the image that 03's server serves. */
export type SessionModeJar = { configured: string } | { served: ServedJar; url: string };

export interface SessionModeJars {
  /** The FlinkSessionJob's jarURI source. */
  sessionJob: SessionModeJar;
  /** The jar uploaded through REST. */
  rest: SessionModeJar;
  /** What 03's jar server must serve (empty: both jars are configured, no server). */
  served: ServedJar[];
}

/**
 * 03's two jars. A configured http(s) URL or file wins; `local://` (or nothing) means a path in the
 * Flink image, served from the suite's namespace by a pod of the same image, on the lab as on any
 * cluster, so the path a real cluster takes is the one the lab exercises.
 */
export function sessionModeJars(config: StreamcertConfig, namespace: string): SessionModeJars {
  const served: ServedJar[] = [];
  const pick = (configured: string | undefined, name: string): SessionModeJar => {
    const uri = configured ?? defaultSessionModeJar;
    if (!uri.startsWith('local://')) return { configured: uri };
    const jar = { name, imagePath: uri.slice('local://'.length) };
    served.push(jar);
    return { served: jar, url: servedJarUrl(namespace, name) };
  };
  const sessionJob = pick(config.flink.sessionJobJar, 'session-job.jar');
  const rest = pick(config.flink.restJobJar, 'rest-job.jar');
  return { sessionJob, rest, served };
}

export const jarLocation = (jar: SessionModeJar): string => ('configured' in jar ? jar.configured : jar.url);
