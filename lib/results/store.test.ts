import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleRunResult } from '../testing/sample-results.ts';
import { listRuns, readRunResult, RunResultError, updateLatestLink, writeRunResult } from './store.ts';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'streamcert-store-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function readError(file: string): Promise<RunResultError> {
  const err = await readRunResult(file).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(RunResultError);
  return err as RunResultError;
}

describe('writeRunResult / readRunResult', () => {
  it('round-trips a run as pretty JSON and leaves no temp file behind', async () => {
    const dir = path.join(root, 'run-1');
    const file = await writeRunResult(dir, sampleRunResult());
    expect(file).toBe(path.join(dir, 'results.json'));
    expect(await readdir(dir)).toEqual(['results.json']);
    const text = await readFile(file, 'utf8');
    expect(text).toContain('\n  "schemaVersion": 1,');
    expect(await readRunResult(file)).toEqual(sampleRunResult());
    // A run folder works as well as the file.
    expect(await readRunResult(dir)).toEqual(sampleRunResult());
  });

  it('replaces an existing results.json', async () => {
    const first = sampleRunResult();
    await writeRunResult(root, first);
    const second = { ...sampleRunResult(), profile: 'nightly' };
    await writeRunResult(root, second);
    expect((await readRunResult(root)).profile).toBe('nightly');
  });

  it('refuses to write a result that could not be read back, naming the field', async () => {
    const bad = sampleRunResult();
    (bad.suites[0]!.measurements[0] as { value: unknown }).value = Number.NaN;
    const err = await writeRunResult(root, bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RunResultError);
    expect((err as RunResultError).problems).toEqual([expect.stringMatching(/^suites\[0\]\.measurements\[0\]\.value: /)]);
    expect(await readdir(root)).toEqual([]);
  });

  it('names the bad field of a corrupt file', async () => {
    const bad = sampleRunResult() as unknown as { suites: { checks: { verdict: string }[] }[] };
    bad.suites[1]!.checks[0]!.verdict = 'PASS';
    const file = path.join(root, 'results.json');
    await writeFile(file, JSON.stringify(bad));
    const err = await readError(file);
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatch(/^suites\[1\]\.checks\[0\]\.verdict: .*"passed"\|"failed"\|"skipped"/);
    expect(err.message).toContain(file);
    expect(err.message).toContain('suites[1].checks[0].verdict');
  });

  it('says clearly when the file is not ours at all', async () => {
    const file = path.join(root, 'package.json');
    await writeFile(file, JSON.stringify({ name: 'something', version: '1.0.0' }));
    const err = await readError(file);
    expect(err.message).toMatch(/is not a streamcert results file/);
    expect(err.problems).toContain('schemaVersion: Invalid input: expected 1');
    expect(err.problems.some((p) => p.startsWith('runId: '))).toBe(true);
  });

  it('reports a top-level value that is not an object', async () => {
    const file = path.join(root, 'results.json');
    await writeFile(file, '[1,2]');
    expect((await readError(file)).problems[0]).toMatch(/^\(top level\): /);
  });

  it('names an unsupported schemaVersion instead of listing fields', async () => {
    const file = path.join(root, 'results.json');
    await writeFile(file, JSON.stringify({ ...sampleRunResult(), schemaVersion: 2 }));
    expect((await readError(file)).message).toMatch(/schemaVersion 2; this streamcert reads schemaVersion 1/);
  });

  it('reports invalid JSON and a missing file', async () => {
    const file = path.join(root, 'results.json');
    await writeFile(file, '{"schemaVersion": 1,');
    expect((await readError(file)).message).toMatch(/is not valid JSON/);
    expect((await readError(path.join(root, 'nope.json'))).message).toMatch(/does not exist/);
  });

  it('rejects times without a zone', async () => {
    const file = path.join(root, 'results.json');
    await writeFile(file, JSON.stringify({ ...sampleRunResult(), startedAt: '2025-06-12 10:15' }));
    expect((await readError(file)).problems[0]).toMatch(/^startedAt: /);
  });
});

describe('updateLatestLink', () => {
  it('creates a relative link and replaces it on the next run', async () => {
    const runA = path.join(root, 'run-a');
    const runB = path.join(root, 'run-b');
    await mkdir(runA);
    await mkdir(runB);

    const link = await updateLatestLink(root, runA);
    expect(link).toBe(path.join(root, 'latest'));
    expect(await readlink(link)).toBe('run-a');

    await updateLatestLink(root, runB);
    expect(await readlink(link)).toBe('run-b');
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect((await readdir(root)).sort()).toEqual(['latest', 'run-a', 'run-b']);
  });

  it('uses an absolute target for a run outside the reports folder', async () => {
    const elsewhere = await mkdtemp(path.join(tmpdir(), 'streamcert-elsewhere-'));
    try {
      await updateLatestLink(path.join(root, 'reports'), elsewhere);
      expect(await readlink(path.join(root, 'reports', 'latest'))).toBe(elsewhere);
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it('will not replace a real folder named latest', async () => {
    await mkdir(path.join(root, 'latest', 'keep'), { recursive: true });
    await mkdir(path.join(root, 'run-a'));
    await expect(updateLatestLink(root, path.join(root, 'run-a'))).rejects.toThrow(/cannot point/);
    expect(await readdir(path.join(root, 'latest'))).toEqual(['keep']);
    expect((await readdir(root)).sort()).toEqual(['latest', 'run-a']);
  });
});

describe('listRuns', () => {
  it('lists runs newest first, flags unusable folders and skips latest and dot-files', async () => {
    const older = { ...sampleRunResult(), runId: 'older', startedAt: '2025-06-10T08:00:00.000Z', verdict: 'passed' as const };
    const newer = { ...sampleRunResult(), runId: 'newer', startedAt: '2025-06-12T10:15:00.000Z' };
    await writeRunResult(path.join(root, 'older'), older);
    await writeRunResult(path.join(root, 'newer'), newer);
    // A run killed before it wrote results.json, dated between the two.
    const broken = path.join(root, 'broken');
    await mkdir(broken);
    const brokenTime = new Date('2025-06-11T00:00:00Z');
    await utimes(broken, brokenTime, brokenTime);
    await updateLatestLink(root, path.join(root, 'newer'));
    await writeFile(path.join(root, '.gitkeep'), '');

    const runs = await listRuns(root);
    expect(runs.map((r) => r.runId)).toEqual(['newer', 'broken', 'older']);
    expect(runs[0]).toMatchObject({ dir: path.join(root, 'newer'), verdict: 'failed', startedAt: newer.startedAt });
    expect(runs[1]).toMatchObject({ startedAt: brokenTime.toISOString(), problem: expect.stringMatching(/does not exist/) });
    expect(runs[1]!.verdict).toBeUndefined();
    expect(runs[2]).toMatchObject({ verdict: 'passed' });
  });

  it('returns nothing for a reports folder that does not exist yet', async () => {
    expect(await listRuns(path.join(root, 'missing'))).toEqual([]);
  });
});
