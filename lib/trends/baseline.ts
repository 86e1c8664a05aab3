// Which run a run is compared with, and where the comparison is kept (comparison.json beside
// results.json, so report.html can be rebuilt with it and CI can archive it).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.ts';
import type { RunResult } from '../results/model.ts';
import { listRuns, readRunResult } from '../results/store.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { compareRuns, comparisonSchema, type Comparison, type CompareOptions } from './compare.ts';

export const COMPARISON_FILE = 'comparison.json';

export interface BaselineRef {
  result: RunResult;
  source: 'previous' | 'baseline';
  ref: string;
}

/**
 * The run to compare `current` with. `ref`: a results.json path, a run folder, a run id under
 * reportsRoot, or `previous` / nothing for the newest run that started before `current` and has a
 * usable results.json. Returns undefined when there is no earlier run (the first run has no trend).
 */
export async function resolveBaseline(reportsRoot: string, current: Pick<RunResult, 'runId' | 'startedAt'>, ref?: string): Promise<BaselineRef | undefined> {
  if (!ref || ref === 'previous') {
    const earlier = (await listRuns(reportsRoot)).find(
      (r) => !r.problem && r.runId !== current.runId && Date.parse(r.startedAt) < Date.parse(current.startedAt),
    );
    return earlier ? { result: await readRunResult(earlier.dir), source: 'previous', ref: earlier.dir } : undefined;
  }
  const candidates = [path.resolve(ref), path.join(reportsRoot, ref)];
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new UsageError(`baseline ${ref} is neither a results.json, a run folder, nor a run id under ${reportsRoot}`);
  }
  return { result: await readRunResult(found), source: 'baseline', ref };
}

export type TrendOptions = Omit<CompareOptions, 'source' | 'ref'> & { baseline?: string };

/** Compares `current` with its baseline and writes comparison.json into runDir; undefined when there is nothing to compare with. */
export async function compareWithBaseline(runDir: string, reportsRoot: string, current: RunResult, opts: TrendOptions): Promise<Comparison | undefined> {
  const base = await resolveBaseline(reportsRoot, current, opts.baseline);
  if (!base) return undefined;
  const comparison = compareRuns(current, base.result, { ...opts, source: base.source, ref: base.ref });
  await writeComparison(runDir, comparison);
  return comparison;
}

export async function writeComparison(runDir: string, comparison: Comparison): Promise<string> {
  const file = path.join(runDir, COMPARISON_FILE);
  await writeFileAtomic(file, JSON.stringify(comparison, null, 2) + '\n');
  return file;
}

/** The stored comparison of a run, if it has one that this streamcert can read (for that run id). */
export async function readComparison(runDir: string, runId: string): Promise<Comparison | undefined> {
  const text = await readFile(path.join(runDir, COMPARISON_FILE), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const parsed = comparisonSchema.safeParse(JSON.parse(text));
    return parsed.success && parsed.data.runId === runId ? (parsed.data as Comparison) : undefined;
  } catch {
    return undefined;
  }
}
