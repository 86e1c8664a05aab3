import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile, appendFile, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReports } from '../reports/index.ts';
import { sampleRunResult } from '../testing/sample-results.ts';
import { createBundle, describeVerification, verifyBundle, type BundleInfo } from './bundle.ts';

const evidenceFile = 'evidence/09-chaos/writes-continue-while-a-cassandra-pod-is-deleted/pods.yaml';
const manifestFile = 'manifests/09-chaos/001-namespace-sc-x-09.yaml';

describe('certification bundle', () => {
  let root: string;
  let bundle: BundleInfo;
  const result = sampleRunResult();

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'streamcert-bundle-'));
    const runDir = path.join(root, result.runId);
    await writeReports(runDir, result);
    for (const [f, text] of [[evidenceFile, 'kind: Pod\n'], [manifestFile, 'kind: Namespace\n']] as const) {
      await mkdir(path.dirname(path.join(runDir, f)), { recursive: true });
      await writeFile(path.join(runDir, f), text);
    }
    bundle = await createBundle(runDir, result, root);
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  /** Unpacks the bundle, lets `change` edit the folder, packs it again under another name. */
  async function tampered(name: string, change: (folder: string) => Promise<void>): Promise<string> {
    const work = path.join(root, `work-${name}`);
    await mkdir(work, { recursive: true });
    await tar.x({ file: bundle.file, cwd: work });
    const folder = path.join(work, `certification-${result.runId}`);
    await change(folder);
    const file = path.join(root, `${name}.tar.gz`);
    await tar.c({ gzip: true, file, cwd: work }, [`certification-${result.runId}`]);
    return file;
  }

  it('holds the results, reports, evidence, manifests, fingerprint and SHA256SUMS, and verifies', async () => {
    expect(path.basename(bundle.file)).toBe('certification-20250612-101500-a1b2.tar.gz');
    expect(bundle.files).toEqual(['results.json', 'junit.xml', 'report.html', 'environment.json', evidenceFile, manifestFile, 'SHA256SUMS']);
    expect(bundle.sha256).toMatch(/^[0-9a-f]{64}$/);
    const v = await verifyBundle(bundle.file);
    expect(v).toMatchObject({ ok: true, missing: [], extra: [], changed: [], problems: [], verifiedFiles: 6, folder: 'certification-20250612-101500-a1b2' });
    expect(v.run).toEqual({ runId: result.runId, profile: 'default', verdict: 'failed', startedAt: result.startedAt });
    expect(describeVerification(v)).toMatch(/^✔ .*: 6 files match SHA256SUMS; run 20250612-101500-a1b2, profile default, verdict FAILED\n$/);
  });

  it('is checkable with sha256sum once unpacked', async () => {
    const file = await tampered('unpacked', async () => {});
    expect(file).toBeTruthy();
    const folder = path.join(root, 'work-unpacked', `certification-${result.runId}`);
    expect(execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: folder, encoding: 'utf8' })).toContain(`${evidenceFile}: OK`);
    expect(JSON.parse(await readFile(path.join(folder, 'environment.json'), 'utf8'))).toEqual(result.environment);
  });

  it('fails naming a changed file', async () => {
    const file = await tampered('changed', (folder) => appendFile(path.join(folder, evidenceFile), 'status: edited\n'));
    const v = await verifyBundle(file);
    expect(v).toMatchObject({ ok: false, changed: [evidenceFile], missing: [], extra: [] });
    expect(describeVerification(v)).toContain(`✘ changed: ${evidenceFile} (its SHA-256 differs from SHA256SUMS)`);
  });

  it('fails naming a removed and an added file', async () => {
    const file = await tampered('moved', async (folder) => {
      await unlink(path.join(folder, manifestFile));
      await writeFile(path.join(folder, 'evidence', 'extra.txt'), 'not from the run\n');
    });
    expect(await verifyBundle(file)).toMatchObject({ ok: false, changed: [], missing: [manifestFile], extra: ['evidence/extra.txt'] });
  });

  it('fails when a required file is removed together with its line in SHA256SUMS', async () => {
    const file = await tampered('required', async (folder) => {
      await unlink(path.join(folder, 'report.html'));
      const sums = (await readFile(path.join(folder, 'SHA256SUMS'), 'utf8')).split('\n').filter((l) => !l.endsWith('  report.html'));
      await writeFile(path.join(folder, 'SHA256SUMS'), sums.join('\n'));
    });
    expect(await verifyBundle(file)).toMatchObject({ ok: false, missing: ['report.html'] });
  });

  it('fails on a file that is not a bundle', async () => {
    const file = path.join(root, 'not-a-bundle.tar.gz');
    await writeFile(file, 'hello');
    const v = await verifyBundle(file);
    expect(v.ok).toBe(false);
    expect(v.problems[0]).toMatch(/^cannot read .* as a \.tar\.gz|expected one folder/);
  });
});
