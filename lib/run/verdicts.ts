// Suite verdicts of the current run, shared between suite workers through a file in the report
// folder: a later suite reads it to skip itself when a prerequisite failed.
import { existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Verdict } from '../results/model.ts';
import { blockedBy, type VerdictMap } from '../results/verdict.ts';

export { blockedBy, type VerdictMap };

const fileName = 'suite-verdicts.json';

export function readVerdicts(reportDir: string): VerdictMap {
  const file = join(reportDir, fileName);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as VerdictMap) : {};
}

export function recordVerdict(reportDir: string, suiteId: string, verdict: Verdict, reason?: string, blocks?: boolean): void {
  const all = readVerdicts(reportDir);
  all[suiteId] = { verdict, reason, blocks };
  const file = join(reportDir, fileName);
  writeFileSync(`${file}.tmp`, JSON.stringify(all, null, 2));
  renameSync(`${file}.tmp`, file);
}
