// `--profile certification` end to end on the lab, as a platform owner runs it: a skipped check is a
// failed check (exit 1), the bundle is written anyway, `streamcert verify` passes on it as written and
// fails, naming the file, once one file in it is changed. 01 alone keeps it short: with no operator
// release promised, its version check is a skip, which certification must refuse.
import { appendFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tar from 'tar';
import { describe, expect, it } from 'vitest';
import { bundleName } from '../certify/bundle.ts';
import { failures, streamcert, suiteOf } from './streamcert.ts';

describe('certification profile on the lab', () => {
  it('refuses a skip (exit 1), writes the bundle, and verify passes on it and fails on a changed file', async () => {
    const run = await streamcert(['run', '--profile', 'certification', '--partial', '--suite', '01']);
    expect(run.exitCode, run.stderr.slice(-2000)).toBe(1);
    const platform = suiteOf(run, '01-platform');
    const version = platform.checks.find((c) => c.name === 'the Flink operator is the expected release')!;
    expect(version.verdict).toBe('failed');
    expect(version.reason).toMatch(/^not run \(certification does not allow skips\): expect\.operatorVersion is not set/);
    expect(failures(platform)).not.toMatch(/expected \[/);

    const bundle = join(run.reportsDir, bundleName(run.result!));
    const verified = await streamcert(['verify', bundle]);
    expect(verified.exitCode, verified.stderr).toBe(0);

    // The same bundle with one byte more in results.json, packed again as the original was.
    const work = await mkdtemp(join(tmpdir(), 'streamcert-tampered-'));
    await tar.x({ file: bundle, cwd: work });
    const folder = `certification-${run.result!.runId}`;
    await appendFile(join(work, folder, 'results.json'), ' ');
    const tampered = join(work, 'tampered.tar.gz');
    await tar.c({ gzip: true, file: tampered, cwd: work }, [folder]);
    const refused = await streamcert(['verify', tampered]);
    expect(refused.exitCode).toBe(4);
    expect(refused.stderr).toContain('✘ changed: results.json (its SHA-256 differs from SHA256SUMS)');
    process.stderr.write(`certification run of 01: ${run.seconds.toFixed(0)} s; verify ${verified.seconds.toFixed(1)} s\n`);
  });
});
