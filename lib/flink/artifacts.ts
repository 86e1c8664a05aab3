// Where job jars come from. Application mode reads `local://` paths inside the Flink image; the
// operator downloads FlinkSessionJob jars over http(s), so session jobs need a URL: configured for a
// real cluster, the lab's artifact server on the lab.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { StreamcertConfig } from '../config/schema.ts';

/** The lab serves the Flink image's example jars at this base URL (see lib/lab/artifacts.ts). */
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
  const { labExampleJar } = await import('../lab/artifacts.ts');
  return labExampleJar(labJar);
}
