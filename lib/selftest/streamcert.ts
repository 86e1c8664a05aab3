// For our own tests: run the real `streamcert` command line as a user would, in a report folder of
// its own, and read back its exit code, output and results.json.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { MANIFESTS_DIR } from '../certify/applied-manifests.ts';
import type { K8sObject } from '../k8s/objects.ts';
import type { RunResult, SuiteResult } from '../results/model.ts';
import { readRunResult } from '../results/store.ts';
import { comparePlanWithApplied, type PlanComparison } from '../suite/plan-compare.ts';

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

/** Every object a run applied, as recorded under reports/<run>/manifests (every suite's folder). */
function appliedObjects(run: CliRun): K8sObject[] {
  const root = join(run.reportsDir, 'latest', MANIFESTS_DIR);
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => parseAllDocuments(readFileSync(join(root, f), 'utf8')).map((d) => d.toJS() as K8sObject));
}

/**
 * What `run` applied against what `streamcert plan` prints for the same suites and settings (`planArgs`:
 * its --suite and --set), with the cluster reachable so that the plan finds what the run found.
 */
export async function appliedVersusPlanned(run: CliRun, planArgs: string[]): Promise<PlanComparison> {
  const plan = await streamcert(['plan', ...planArgs]);
  if (plan.exitCode !== 0) throw new Error(`streamcert plan exited ${plan.exitCode}:\n${plan.stderr.slice(-2000)}`);
  const planned = parseAllDocuments(plan.stdout)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => !!o?.kind);
  return comparePlanWithApplied(planned, appliedObjects(run), run.result!.runId);
}
