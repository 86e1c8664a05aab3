// Resolves an image's jars from Maven Central with the ordinary Maven client: each image has a
// dependency manifest (a pom.xml that compiles nothing) whose executions copy the jars into the
// layer directory. The local repository lives in the lab cache, so a rebuild downloads nothing.
import { join } from 'node:path';
import { commandExists } from '../exec.ts';
import { ensureAptPackages } from '../install.ts';
import { labPaths } from '../paths.ts';
import { runStreaming, type Progress } from './util.ts';

export async function ensureMaven(): Promise<void> {
  if (!(await commandExists('mvn'))) await ensureAptPackages(['maven']);
  if (!(await commandExists('java'))) await ensureAptPackages(['openjdk-17-jdk-headless']);
}

/**
 * Runs the `lib` (copy-dependencies) and `extras` (copy) executions of the manifest in `pomDir`,
 * with `-Dlayer.dir=layerDir`.
 */
export async function copyMavenArtifacts(pomDir: string, layerDir: string, progress: Progress, label: string): Promise<void> {
  await ensureMaven();
  let downloaded = 0;
  await runStreaming(
    'mvn',
    [
      '-B',
      '-Dstyle.color=never',
      `-Dmaven.repo.local=${labPaths.m2}`,
      `-Dlayer.dir=${layerDir}`,
      '-f',
      join(pomDir, 'pom.xml'),
      'dependency:copy-dependencies@lib',
      'dependency:copy@extras',
    ],
    {
      progress,
      label,
      interesting: (line) => {
        const m = /Downloaded from \S+: (\S+)/.exec(line);
        if (m) {
          downloaded++;
          return `${downloaded} files downloaded, last ${m[1]!.split('/').pop()}`;
        }
        if (/Copying |BUILD SUCCESS/.test(line)) return line.replace(/^\[INFO\]\s*/, '');
        return undefined;
      },
    },
  );
}

/** The project's own Flink jobs (fixtures/jobs), built with Maven; returns the jar's path. */
export async function buildJobsJar(jobsDir: string, progress: Progress): Promise<string> {
  await ensureMaven();
  await runStreaming(
    'mvn',
    ['-B', '-Dstyle.color=never', `-Dmaven.repo.local=${labPaths.m2}`, '-f', join(jobsDir, 'pom.xml'), 'package'],
    {
      progress,
      label: 'maven (streamcert jobs)',
      interesting: (line) => (/BUILD SUCCESS|Building jar/.test(line) ? line.replace(/^\[INFO\]\s*/, '') : undefined),
    },
  );
  return join(jobsDir, 'target', 'streamcert-jobs.jar');
}
