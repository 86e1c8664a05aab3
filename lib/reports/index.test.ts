import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRunResult } from '../results/store.ts';
import { ReportWriteError, writeReports } from './index.ts';
import { sampleRunResult } from '../testing/sample-results.ts';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'streamcert-reports-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('writeReports', () => {
  it('writes results.json, junit.xml and report.html into a new run folder and returns their paths', async () => {
    const runDir = path.join(root, '20250612-101500-a1b2');
    const paths = await writeReports(runDir, sampleRunResult());
    expect(paths).toEqual({
      results: path.join(runDir, 'results.json'),
      junit: path.join(runDir, 'junit.xml'),
      html: path.join(runDir, 'report.html'),
    });
    expect((await readdir(runDir)).sort()).toEqual(['junit.xml', 'report.html', 'results.json']);
    expect(await readRunResult(paths.results)).toEqual(sampleRunResult());
    expect(await readFile(paths.junit, 'utf8')).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
    const page = await readFile(paths.html, 'utf8');
    expect(page).toContain('<a href="results.json">results.json</a>');
    expect(page).toContain('<a href="junit.xml">junit.xml</a>');
  });

  it('keeps results.json and the other reports when one report cannot be written', async () => {
    const runDir = path.join(root, 'run');
    // A folder where junit.xml should go makes the rename fail.
    await mkdir(path.join(runDir, 'junit.xml'), { recursive: true });
    const err = await writeReports(runDir, sampleRunResult()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReportWriteError);
    const { written, failures, message } = err as ReportWriteError;
    expect(message).toMatch(/^results\.json written, but not every report: .*junit\.xml/);
    expect(written).toEqual({ results: path.join(runDir, 'results.json'), html: path.join(runDir, 'report.html') });
    expect(failures.map((f) => f.file)).toEqual([path.join(runDir, 'junit.xml')]);
    expect(await readRunResult(runDir)).toEqual(sampleRunResult());
    // No temp files left behind by the failed write.
    expect((await readdir(runDir)).sort()).toEqual(['junit.xml', 'report.html', 'results.json']);
  });

  it('writes nothing derived from a result that fails validation', async () => {
    const bad = sampleRunResult();
    (bad as { runId: string }).runId = '';
    await expect(writeReports(path.join(root, 'run'), bad)).rejects.toThrow(/runId/);
    expect(await readdir(root)).toEqual([]);
  });
});
