// Suite verdicts of the current run, shared between suite workers through a file in the report
// folder: a later suite reads it to skip itself when a prerequisite failed.
import { existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Verdict } from '../results/model.ts';

const fileName = 'suite-verdicts.json';

/** `blocks`: whether the suite's dependents must be held back (absent: any verdict but passed blocks). */
export type VerdictMap = Record<string, { verdict: Verdict; reason?: string; blocks?: boolean }>;

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

/** Why a suite must be skipped, or undefined when every prerequisite that ran passed. */
export function blockedBy(needs: string[], verdicts: VerdictMap): string | undefined {
  const failed = needs.filter((n) => verdicts[n] && (verdicts[n].blocks ?? verdicts[n].verdict !== 'passed'));
  if (failed.length === 0) return undefined;
  return `prerequisite ${failed.map((n) => `${n} ${verdicts[n]!.verdict}`).join(', ')}`;
}
