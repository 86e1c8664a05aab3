// Small process helpers shared by the lab modules: run a command and capture its output, or check
// whether a command exists. The lab shells out to real tools (openssl, ip, iptables, ctr, apt-get).
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { plog as log } from './progress.ts';
import { daemonExited } from './procs.ts';
import { Deadline, polled, until } from '../util/until.ts';
import { WaitEnded } from '../util/time.ts';

const execFileP = promisify(execFile);

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Resolve with the result instead of throwing on a non-zero exit. */
  allowFail?: boolean;
  input?: string;
  timeoutMs?: number;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  log.debug(`$ ${cmd} ${args.join(' ')}`);
  if (opts.input !== undefined) return runWithInput(cmd, args, opts);
  try {
    const r = await execFileP(cmd, args, {
      env: opts.env ?? process.env,
      cwd: opts.cwd,
      maxBuffer: 64 << 20,
      timeout: opts.timeoutMs,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number | string; stdout?: string; stderr?: string; message: string };
    const res = { code: typeof err.code === 'number' ? err.code : 1, stdout: err.stdout ?? '', stderr: err.stderr ?? err.message };
    if (opts.allowFail) return res;
    throw new Error(`${cmd} ${args.join(' ')} failed (${res.code}): ${res.stderr.trim() || res.stdout.trim()}`);
  }
}

function runWithInput(cmd: string, args: string[], opts: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const res = { code: code ?? 1, stdout, stderr };
      if (code !== 0 && !opts.allowFail) reject(new Error(`${cmd} ${args.join(' ')} failed (${code}): ${stderr.trim()}`));
      else resolve(res);
    });
    child.stdin.end(opts.input);
  });
}

export async function commandExists(cmd: string): Promise<boolean> {
  const r = await run('sh', ['-c', `command -v ${cmd}`], { allowFail: true });
  return r.code === 0;
}

export interface WaitForOptions {
  timeoutMs?: number;
  intervalMs?: number;
  progressEveryMs?: number;
  quiet?: boolean;
  /** The lab process (startDaemon's name) whose health this is: the wait ends at once if it exits. */
  daemon?: string;
}

/**
 * `until` a polled condition, as the lab says it: `check` may answer false for "not yet", progress lines
 * are indented under the lab's step, and a line says how long it took. With `daemon`, the wait is on
 * that lab process's health: it ends at once, quoting the line of its log that says why, if it exits.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  { timeoutMs = 60_000, intervalMs = 250, progressEveryMs = 5_000, quiet = false, daemon }: WaitForOptions = {},
): Promise<T> {
  const deadline = Deadline.in(timeoutMs);
  const value = await until(
    polled({
      description: what,
      check: async () => {
        // A failed check is "not yet" unless the process it waits on has exited.
        const v = await check().catch(async (e: unknown) => {
          await endIfExited(daemon);
          throw e;
        });
        if (v !== false && v !== undefined) return v;
        await endIfExited(daemon);
        return undefined;
      },
      intervalMs,
    }),
    deadline,
    { progress: (line) => log.info(`  ${line}`), progressEveryMs: quiet ? Number.POSITIVE_INFINITY : progressEveryMs },
  );
  if (!quiet) log.info(`  ${what}: ready after ${(deadline.elapsedMs() / 1000).toFixed(1)}s`);
  return value as T;
}

async function endIfExited(daemon: string | undefined): Promise<void> {
  const exited = daemon === undefined ? undefined : await daemonExited(daemon);
  if (exited) throw new WaitEnded(exited);
}

/**
 * Writes `content` only if the file differs: kube-proxy exits when its config file is written, and
 * an idempotent `lab up` must not disturb a running component.
 */
export async function writeIfChanged(file: string, content: string, mode?: number): Promise<void> {
  const { readFile, writeFile } = await import('node:fs/promises');
  const old = await readFile(file, 'utf8').catch(() => undefined);
  if (old !== content) await writeFile(file, content, mode === undefined ? undefined : { mode });
}

