// The summary printed when a run ends: enough to act on without opening anything (which suite, which
// check, why, where the evidence is), then where the full reports are, then the one-line count that
// CI log scrapers read. Plain text, no colour codes: it also lands in CI logs and files.
import path from 'node:path';
import type { RunResult } from '../results/model.ts';
import { countCases, countsText, formatDuration, runCounts, suiteCases, VERDICT_SYMBOL } from './summary.ts';

export interface TextSummaryOptions {
  /** The run's report folder as the user should see it (relative to the cwd reads best). */
  runDir: string;
  /** Override the file names if writeReports was asked to use others. */
  htmlPath?: string;
  resultsPath?: string;
}

export function renderTextSummary(result: RunResult, options: TextSummaryOptions): string {
  const lines: string[] = [];
  const idWidth = Math.max(0, ...result.suites.map((s) => s.id.length));

  for (const suite of result.suites) {
    // Dots rather than commas: the comma form is kept for the closing line alone, so a scraper
    // looking for `N passed, N failed` cannot pick up a single suite's counts instead of the run's.
    const c = countCases(suiteCases(suite));
    const counts = `${c.passed} passed · ${c.failed} failed · ${c.skipped} skipped`;
    const duration = formatDuration(suite.durationMs).padStart(8);
    // A failed suite's reason is spelled out under "Failed:"; a skipped one's appears only here.
    const why = suite.verdict === 'skipped' && suite.reason ? `  (${oneLine(suite.reason)})` : '';
    lines.push(`${VERDICT_SYMBOL[suite.verdict]} ${suite.id.padEnd(idWidth)}  ${duration}  ${counts}${why}`);
  }
  if (result.suites.length === 0) lines.push('(no suite ran)');

  const failed = result.suites.flatMap(suiteCases).filter((c) => c.verdict === 'failed');
  if (failed.length > 0) {
    lines.push('', 'Failed:');
    for (const c of failed) {
      lines.push(`  ${VERDICT_SYMBOL.failed} ${c.suiteId} › ${c.name}`);
      // Reasons can span lines (an expected/seen diff); indent them all so the block stays readable.
      for (const line of (c.reason ?? 'failed without a reason').split(/\r?\n/)) lines.push(`      ${line}`);
      if (c.evidence) lines.push(`      evidence: ${path.join(options.runDir, c.evidence)}`);
    }
  }

  // A clean cluster reached by removing finalizers is not a deletion that worked: always say so.
  const forced = result.suites.flatMap((s) => (s.forcedRemovals ?? []).map((f) => ({ suiteId: s.id, ...f })));
  if (forced.length > 0) {
    lines.push('', 'Forced removals (teardown removed finalizers their owner had not):');
    for (const f of forced) {
      lines.push(`  ${f.suiteId} › ${f.object}: ${f.finalizers.join(', ')} removed ${f.afterSeconds} s after its deletion was requested`);
    }
  }

  lines.push(
    '',
    `Report:  ${options.htmlPath ?? path.join(options.runDir, 'report.html')}`,
    `Results: ${options.resultsPath ?? path.join(options.runDir, 'results.json')}`,
    '',
    countsText(runCounts(result)),
  );
  return lines.join('\n') + '\n';
}

function oneLine(text: string): string {
  return text.replace(/\s*\r?\n\s*/g, ' ');
}
