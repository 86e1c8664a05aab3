// Judges are unit-tested on observations recorded from real runs. Setting
// STREAMCERT_RECORD_OBSERVATIONS=<dir> makes a lab run write each observation a judge received to
// <dir>/<name>.json (the judge input, exactly as the check saw it), to be copied into __fixtures__.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function recordObservation(name: string, observation: unknown, env: NodeJS.ProcessEnv = process.env): void {
  const dir = env.STREAMCERT_RECORD_OBSERVATIONS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name.replace(/[^\w.-]+/g, '-')}.json`), `${JSON.stringify(observation, null, 2)}\n`);
}
