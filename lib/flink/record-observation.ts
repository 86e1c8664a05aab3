// Judges are unit-tested on observations recorded from real runs. Setting
// STREAMCERT_RECORD_OBSERVATIONS=<dir> makes a lab run write each observation a judge received to
// <dir>/run-<run-id>/<name>.json (the judge input, exactly as the check saw it), to be copied into
// __fixtures__. One folder a run: runs side by side (the negative controls) never overwrite each other.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { runContextEnv } from '../run/context.ts';

export function recordObservation(name: string, observation: unknown, env: NodeJS.ProcessEnv = process.env): void {
  const root = env.STREAMCERT_RECORD_OBSERVATIONS;
  if (!root) return;
  const context = env[runContextEnv];
  const dir = context ? join(root, basename(context, '.json')) : root;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name.replace(/[^\w.-]+/g, '-')}.json`), `${JSON.stringify(observation, null, 2)}\n`);
}
