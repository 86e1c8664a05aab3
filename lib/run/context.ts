// The run context: what `streamcert run` decided (run id, config, target, report folder) handed to
// the suite workers through a private file named in STREAMCERT_RUN_CONTEXT. The file may hold
// credentials from the config, so it lives outside reports/ with mode 0600 and is removed at the end.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StreamcertConfig } from '../config/schema.ts';
import type { EnvironmentFingerprint } from '../results/model.ts';

export const managedByLabel = 'app.kubernetes.io/managed-by';
export const managedByValue = 'streamcert';
export const runIdLabel = 'streamcert.io/run-id';
export const suiteLabel = 'streamcert.io/suite';

export interface RunSelection {
  suites: string[];
  /** Only checks whose name (as reports show it) matches are declared (lib/run/selection.ts). */
  grep?: string;
}

export interface RunContext {
  runId: string;
  profile: string;
  config: StreamcertConfig;
  /** Absolute path of reports/<run-id>. */
  reportDir: string;
  flinkKubeconfig?: string;
  flinkContext?: string;
  cassandraKubeconfig?: string;
  cassandraContext?: string;
  environment?: EnvironmentFingerprint;
  startedAt: string;
  /** No retries and no skips (certification profile). */
  strict: boolean;
  /** What `--suite` / `--grep` narrowed the run to; absent when it runs every check. */
  selection?: RunSelection;
}

/** `20261124-001502-a1b2`: sortable, unique enough, valid as a label value. */
export function newRunId(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}-${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

export function runLabels(runId: string, suite?: string): Record<string, string> {
  return { [managedByLabel]: managedByValue, [runIdLabel]: runId, ...(suite ? { [suiteLabel]: suite } : {}) };
}

export const runContextEnv = 'STREAMCERT_RUN_CONTEXT';

export function writeRunContext(ctx: RunContext): string {
  const dir = join(tmpdir(), `streamcert-${process.getuid?.() ?? 'user'}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `run-${ctx.runId}.json`);
  writeFileSync(file, JSON.stringify(ctx), { mode: 0o600 });
  return file;
}

export function removeRunContext(file: string): void {
  rmSync(file, { force: true });
}

let cached: RunContext | undefined;

/** The context of the current run, in a suite worker. */
export function currentRunContext(): RunContext {
  if (cached) return cached;
  const file = process.env[runContextEnv];
  if (!file || !existsSync(file)) {
    throw new Error(
      `no run context (${runContextEnv} unset): start suites with \`streamcert run\`, not with vitest directly`,
    );
  }
  cached = JSON.parse(readFileSync(file, 'utf8')) as RunContext;
  return cached;
}
