// `streamcert report` (trends, --fail-on-regression, --allure) and `streamcert verify` as a user runs
// them: the real command line on run folders made from the sample results.
import { existsSync } from 'node:fs';
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBundle } from '../certify/bundle.ts';
import { writeReports } from '../reports/index.ts';
import { sampleRunResult, sampleSuite } from '../testing/sample-results.ts';
import type { RunResult } from '../results/model.ts';
import { streamcert } from '../selftest/streamcert.ts';

let root: string;
const before = sampleRunResult();
/** The same run a day later with the session RTO up 30% (41.3 s → 53.69 s). */
const after: RunResult = (() => {
  const r = sampleRunResult();
  r.runId = '20250613-101500-c3d4';
  r.startedAt = '2025-06-13T10:15:00.000Z';
  r.finishedAt = '2025-06-13T10:58:31.500Z';
  sampleSuite(r, '04-jobmanager-ha').measurements.find((m) => m.name === 'rto' && m.labels?.variant === 'session')!.value = 53.69;
  return r;
})();
const cli = (args: string[]) => streamcert(args, { env: { STREAMCERT_REPORTS__DIR: root } });

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'streamcert-report-cli-'));
  await writeReports(path.join(root, before.runId), before);
  await writeReports(path.join(root, after.runId), after);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('streamcert report --compare', () => {
  it('flags the injected regression, keeps comparison.json and shows it in report.html', async () => {
    const run = await cli(['report', '--run', after.runId, '--compare', before.runId]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`Compared with run ${before.runId} (baseline ${before.runId}), threshold 20%:`);
    expect(run.stdout).toMatch(/✘ REGRESSED 04-jobmanager-ha rto\{variant=session\} +41\.3 → 53\.69 s {2}\(\+30\.0%, over 20%\)/);
    expect(run.stdout).toContain('1 regression(s), 0 improvement(s)');
    const comparison = JSON.parse(await readFile(path.join(root, after.runId, 'comparison.json'), 'utf8'));
    expect(comparison).toMatchObject({ runId: after.runId, regressions: 1, baseline: { runId: before.runId, source: 'baseline' } });
    const page = await readFile(path.join(root, after.runId, 'report.html'), 'utf8');
    expect(page).toContain('<section id="trends">');
    expect(page).toMatch(/<tr class="trend-regressed">\s*<td><span class="badge trend-regressed">regressed<\/span><\/td>\s*<td><a href="#suite-04-jobmanager-ha"><code>04-jobmanager-ha<\/code><\/a><\/td>\s*<td><code>rto\{variant=session\}<\/code><\/td>\s*<td class="num">41\.3<\/td>\s*<td class="num">53\.69<\/td>/);
    expect(page).toContain('1 regression vs 20250612-101500-a1b2</a>');
  }, 60_000);

  it('exits 1 with --fail-on-regression, and 0 when the threshold is above the change', async () => {
    const failing = await cli(['report', '--run', after.runId, '--compare', 'previous', '--fail-on-regression']);
    expect(failing.exitCode).toBe(1);
    expect(failing.stderr).toMatch(/1 figure\(s\) regressed against run 20250612-101500-a1b2: failing \(--fail-on-regression\)/);
    const lenient = await cli(['report', '--run', after.runId, '--compare', 'previous', '--fail-on-regression', '--threshold', '40']);
    expect(lenient.exitCode).toBe(0);
    expect(lenient.stdout).toContain('0 regression(s)');
    const byConfig = await cli(['report', '--run', after.runId, '--compare', 'previous', '--set', 'reports.failOnRegression=true']);
    expect(byConfig.exitCode).toBe(1);
  }, 60_000);

  it('keeps the stored comparison when the report is rebuilt without --compare', async () => {
    const run = await cli(['report', '--run', after.runId]);
    expect(run.exitCode).toBe(0);
    expect(await readFile(path.join(root, after.runId, 'report.html'), 'utf8')).toContain('<section id="trends">');
    const first = await cli(['report', '--run', before.runId, '--compare', 'previous']);
    expect(first.exitCode).toBe(0);
    expect(first.stderr).toContain('no run before 20250612-101500-a1b2');
    expect(await readFile(path.join(root, before.runId, 'report.html'), 'utf8')).not.toContain('<section id="trends">');
  }, 60_000);
});

describe('streamcert report --allure', () => {
  it('adds parameters and the environment to the Allure results and builds the Allure report with the Java CLI', async () => {
    const results = path.join(root, after.runId, 'allure-results');
    await mkdir(results, { recursive: true });
    const uuid = '6b0f9d7e-0000-4000-8000-000000000001';
    await writeFile(path.join(results, `${uuid}-attachment.yaml`), 'kind: Namespace\n');
    await writeFile(
      path.join(results, `${uuid}-result.json`),
      JSON.stringify({
        uuid, historyId: 'h1', name: 'application: the same job id is RUNNING again', fullName: 'suites/04-jobmanager-ha.test.ts#application: the same job id is RUNNING again',
        status: 'passed', stage: 'finished', start: 1749723480000, stop: 1749723516000,
        labels: [{ name: 'suite', value: '04-jobmanager-ha JobManager high availability' }], links: [], parameters: [], steps: [],
        attachments: [{ name: 'applied Namespace sc-x-04', source: `${uuid}-attachment.yaml`, type: 'application/yaml' }],
      }),
    );
    const run = await cli(['report', '--run', after.runId, '--allure']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain(path.join(root, after.runId, 'allure-report', 'index.html'));
    expect(existsSync(path.join(root, after.runId, 'allure-report', 'index.html'))).toBe(true);
    expect(await readFile(path.join(results, 'environment.properties'), 'utf8')).toContain('kubernetes=v1.31.4\n');
    const cases = await readdir(path.join(root, after.runId, 'allure-report', 'data', 'test-cases'));
    const testCase = JSON.parse(await readFile(path.join(root, after.runId, 'allure-report', 'data', 'test-cases', cases[0]!), 'utf8'));
    expect(testCase.parameters).toEqual(expect.arrayContaining([{ name: 'target', value: 'lab' }, { name: 'profile', value: 'default' }]));
    expect(testCase.testStage.attachments[0]).toMatchObject({ name: 'applied Namespace sc-x-04', type: 'application/yaml' });
  }, 180_000);
});

describe('streamcert verify', () => {
  it('passes an intact bundle and fails a tampered one with exit 4, naming the file', async () => {
    const runDir = path.join(root, after.runId);
    const evidence = 'evidence/09-chaos/writes-continue-while-a-cassandra-pod-is-deleted/operator.log';
    await mkdir(path.dirname(path.join(runDir, evidence)), { recursive: true });
    await writeFile(path.join(runDir, evidence), 'ERROR nothing to see\n');
    const bundle = await createBundle(runDir, after, root);

    const ok = await cli(['verify', bundle.file]);
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toMatch(/^✔ .*certification-20250613-101500-c3d4\.tar\.gz: \d+ files match SHA256SUMS; run 20250613-101500-c3d4, profile default, verdict FAILED$/m);

    const work = path.join(root, 'tamper');
    await mkdir(work);
    await tar.x({ file: bundle.file, cwd: work });
    await appendFile(path.join(work, `certification-${after.runId}`, evidence), 'a line someone removed\n');
    const tampered = path.join(root, 'tampered.tar.gz');
    await tar.c({ gzip: true, file: tampered, cwd: work }, [`certification-${after.runId}`]);
    const bad = await cli(['verify', tampered]);
    expect(bad.exitCode).toBe(4);
    expect(bad.stderr).toContain(`✘ changed: ${evidence} (its SHA-256 differs from SHA256SUMS)`);
    expect(bad.stderr).toMatch(/tampered\.tar\.gz FAILED verification/);

    expect((await cli(['verify', path.join(root, 'nope.tar.gz')])).exitCode).toBe(2);
  }, 60_000);
});

describe('streamcert run --profile certification', () => {
  it('refuses a selection of suites or checks before contacting any cluster (a certificate covers every suite)', async () => {
    for (const args of [['--suite', '4'], ['--grep', 'RUNNING']]) {
      const run = await cli(['run', '--profile', 'certification', ...args]);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toContain('the certification profile runs every suite: drop --suite and --grep');
    }
  }, 60_000);
});
