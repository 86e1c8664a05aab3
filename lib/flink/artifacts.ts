// Where job jars come from. Application mode reads `local://` paths inside the Flink image; the
// operator downloads FlinkSessionJob jars over http(s), so session jobs need a URL: configured for a
// real cluster, the lab's artifact server on the lab.
import type { StreamcertConfig } from '../config/schema.ts';

/** The lab serves the Flink image's example jars at this base URL (see lib/lab/artifacts.ts). */
export const labArtifactBase = 'http://artifacts.streamcert-lab.svc.cluster.local:8080';

export function sessionJobJarUrl(config: StreamcertConfig, jar = 'TopSpeedWindowing.jar'): string | undefined {
  if (config.flink.sessionJobJar) return config.flink.sessionJobJar;
  return config.target === 'lab' ? `${labArtifactBase}/${jar}` : undefined;
}
