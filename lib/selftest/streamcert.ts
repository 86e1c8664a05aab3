// For our own tests: run the real `streamcert` command line as a user would, in a report folder of
// its own, and read back its exit code, output and results.json.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunResult, SuiteResult } from '../results/model.ts';
import { readRunResult } from '../results/store.ts';

const bin = resolve(fileURLToPath(new URL('../../bin/streamcert.mjs', import.meta.url)));

export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** results.json of the run, when it got that far. */
  result?: RunResult;
  reportsDir: string;
  seconds: number;
}

export async function streamcert(
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number; onStderr?: (all: string) => void } = {},
): Promise<CliRun> {
  const reportsDir = mkdtempSync(join(tmpdir(), 'streamcert-selftest-'));
  const started = Date.now();
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, STREAMCERT_REPORTS__DIR: reportsDir, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
    // Long lab runs: let the test log show progress.
    process.stderr.write(c);
    opts.onStderr?.(stderr);
  });
  const timer = setTimeout(() => child.kill('SIGINT'), opts.timeoutMs ?? 40 * 60_000);
  const exitCode = await new Promise<number>((done) => child.on('close', (code) => done(code ?? 128)));
  clearTimeout(timer);
  const result = await readRunResult(join(reportsDir, 'latest')).catch(() => undefined);
  return { exitCode, stdout, stderr, result, reportsDir, seconds: (Date.now() - started) / 1000 };
}

export function suiteOf(run: CliRun, id: string): SuiteResult {
  const suite = run.result?.suites.find((s) => s.id === id);
  if (!suite) throw new Error(`suite ${id} not in results (exit ${run.exitCode}):\n${run.stderr.slice(-3000)}`);
  return suite;
}

/** Every failed check's name and reason, one per line: what a person would read first. */
export function failures(suite: SuiteResult): string {
  return suite.checks
    .filter((c) => c.verdict === 'failed')
    .map((c) => `${c.name}: ${c.reason ?? ''}`)
    .join('\n');
}
