// Job jars on the lab: the Flink image's own example jars (and the project's jobs), as files
// for REST uploads from the harness, and over HTTP for FlinkSessionJobs, which the operator downloads.
import { join } from 'node:path';
import { ensureImages } from './images/index.ts';

/** Path on this machine of a jar the lab's Flink image carries under /opt/flink/examples/streaming. */
export async function labExampleJar(name: string): Promise<string> {
  const { images } = await ensureImages({ progress: false });
  return join(images.flink.layers.at(-1)!, 'opt', 'flink', 'examples', 'streaming', name);
}
