// report.html in a real headless Chromium: no console or page error, every chart has drawn data, and a
// screenshot a person can look at (its path is printed). The second test is the check's own negative
// control: a page whose chart script is refused by the CSP must be reported, chart by chart.
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../suite/available.ts';
import { checkReportInBrowser } from './browser-check.ts';
import { chartLibrary, CHART_INIT_SCRIPT, scriptHash } from '../reports/charts-runtime.ts';
import { writeReports } from '../reports/index.ts';
import { sampleRunResult } from './sample-results.ts';

const dir = path.join(repoRoot, 'reports', 'selftest');
const runDir = path.join(dir, 'browser-check');

afterAll(async () => {
  await rm(path.join(dir, 'broken'), { recursive: true, force: true });
});

describe('report.html in headless Chromium', () => {
  it('opens from file:// with no console error and every chart drawn', async () => {
    await rm(runDir, { recursive: true, force: true });
    const paths = await writeReports(runDir, sampleRunResult());
    const screenshot = path.join(runDir, 'report.png');
    const check = await checkReportInBrowser(paths.html, screenshot);
    console.log(`report.html rendered in ${check.renderMs} ms with ${check.charts.length} charts; screenshot: ${screenshot}`);

    expect(check.problems).toEqual([]);
    expect(check.charts.map((c) => c.id)).toEqual([
      '01-platform-series-readyreplicas',
      '04-jobmanager-ha-ha-timeline',
      '05-reactive-scaling-scaling-kubectl-scale',
      '05-reactive-scaling-scaling-hpa',
      '06-wordcount-sweep-duration-by-parallelism',
      '08-flink-to-cassandra-writes',
      '09-chaos-resiliency',
    ]);
    for (const chart of check.charts) {
      expect(chart.instance, chart.id).toBe(true);
      expect(chart.datasets.every((d) => d.points > 0), `${chart.id} ${JSON.stringify(chart.datasets)}`).toBe(true);
      expect(chart.colouredPixels, chart.id).toBeGreaterThan(500);
    }
    const png = await readFile(screenshot);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect((await stat(screenshot)).size).toBeGreaterThan(50_000);
  }, 600_000);

  it('reports a page whose chart script does not run', async () => {
    const paths = await writeReports(path.join(dir, 'broken'), sampleRunResult());
    const page = await readFile(paths.html, 'utf8');
    // The init script's hash no longer matches: the CSP refuses it, so no chart is created.
    const broken = page.replace(scriptHash(CHART_INIT_SCRIPT).replace(/'/g, '&#39;'), scriptHash('something else').replace(/'/g, '&#39;'));
    expect(broken).not.toBe(page);
    expect(broken).toContain(scriptHash(chartLibrary()).replace(/'/g, '&#39;'));
    await mkdir(path.dirname(paths.html), { recursive: true });
    await writeFile(paths.html, broken);
    const check = await checkReportInBrowser(paths.html, path.join(dir, 'broken', 'report.png'));
    expect(check.consoleErrors.some((e) => /Content Security Policy/i.test(e))).toBe(true);
    expect(check.problems).toContain('chart 04-jobmanager-ha-ha-timeline: no Chart.js instance (the script did not run for it)');
    expect(check.problems.filter((p) => p.includes('no Chart.js instance'))).toHaveLength(7);
  }, 600_000);
});
