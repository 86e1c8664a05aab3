// A job submitted through Flink's REST API (jar upload + run). When Flink refuses the jar, the failure
// is Flink's own words: the deepest cause of the error it answered, not a timeout.
import { basename } from 'node:path';
import { flinkCause } from './job-conditions.ts';
import { FlinkRestError, type FlinkRest } from './rest.ts';

/** Uploads and runs a jar; returns the job id. Flink refusing either step fails with its cause. */
export async function submitJar(rest: FlinkRest, file: string, opts: { entryClass?: string; parallelism?: number; args?: string[] } = {}): Promise<string> {
  try {
    return await rest.runJar(await rest.uploadJar(file), opts);
  } catch (err) {
    if (!(err instanceof FlinkRestError)) throw err;
    throw new Error(`Flink did not run ${basename(file)}: ${flinkCause(err.errors.join('\n'))} (${err.path} answered ${err.status})`);
  }
}
