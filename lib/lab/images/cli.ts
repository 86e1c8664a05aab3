// Builds the lab's images from the command line: `npx tsx lib/lab/images/cli.ts` prints the archives,
// CRDs and versions as JSON on stdout (progress on stderr).
import { ensureImages } from './index.ts';

const result = await ensureImages({ progress: true });
process.stdout.write(
  `${JSON.stringify({ archives: result.archives, crds: result.crds, versions: result.versions, layers: { flink: result.images.flink.layers, operator: result.images.operator.layers } }, null, 2)}\n`,
);
