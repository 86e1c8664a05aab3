// Writes everything a run leaves in its report folder. results.json goes first: it is the record every
// other report derives from, so a bug in a renderer must never cost the run its results.
import path from 'node:path';
import type { RunResult } from '../results/model.ts';
import { writeRunResult } from '../results/store.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import type { Comparison } from '../trends/compare.ts';
import { renderHtml } from './html.ts';
import { renderJUnit } from './junit.ts';

export { renderHtml } from './html.ts';
export { renderJUnit } from './junit.ts';
export { renderTextSummary } from './text.ts';

export const REPORT_FILES = { results: 'results.json', junit: 'junit.xml', html: 'report.html' } as const;

export interface ReportPaths {
  results: string;
  junit: string;
  html: string;
}

/** Thrown when results.json was written but a derived report was not; `written` says what exists. */
export class ReportWriteError extends Error {
  constructor(
    message: string,
    readonly written: Partial<ReportPaths>,
    readonly failures: { file: string; error: unknown }[],
  ) {
    super(message);
    this.name = 'ReportWriteError';
  }
}

export interface WriteReportsOptions {
  /** Shown in report.html's Trends section (comparison.json is written by lib/trends/baseline.ts). */
  comparison?: Comparison;
}

/** Writes results.json, junit.xml and report.html into runDir (created if missing); returns their paths. */
export async function writeReports(runDir: string, result: RunResult, options: WriteReportsOptions = {}): Promise<ReportPaths> {
  const results = await writeRunResult(runDir, result);
  const written: Partial<ReportPaths> = { results };
  const failures: { file: string; error: unknown }[] = [];

  // Each derived report is attempted even if another failed: a broken HTML renderer should not also
  // deprive CI of junit.xml.
  const derived: [keyof ReportPaths, () => string][] = [
    ['junit', () => renderJUnit(result)],
    ['html', () => renderHtml(result, { links: { results: REPORT_FILES.results, junit: REPORT_FILES.junit }, ...(options.comparison ? { comparison: options.comparison } : {}) })],
  ];
  for (const [kind, render] of derived) {
    const file = path.join(runDir, REPORT_FILES[kind]);
    try {
      await writeFileAtomic(file, render());
      written[kind] = file;
    } catch (error) {
      failures.push({ file, error });
    }
  }

  if (failures.length > 0) {
    const detail = failures.map((f) => `${f.file}: ${f.error instanceof Error ? f.error.message : String(f.error)}`).join('; ');
    throw new ReportWriteError(`results.json written, but not every report: ${detail}`, written, failures);
  }
  return written as ReportPaths;
}
