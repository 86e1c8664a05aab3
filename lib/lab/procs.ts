// The lab's long-running components are plain host processes: started detached (they outlive the
// `streamcert` command that started them), each with a log file in logs/ and a pid file in the state
// dir. A pid counts as ours only if /proc/<pid>/exe is still the binary we started, so a reused pid
// is never signalled.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { openSync, closeSync } from 'node:fs';
import { mkdir, readFile, readlink, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { plog as log } from './progress.ts';
import { labPaths } from './paths.ts';
import { statePaths } from './topology.ts';
import { Deadline, polled, until } from '../util/until.ts';

export interface DaemonSpec {
  name: string;
  bin: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Content of the component's config files: a change restarts a running component like new args do. */
  config?: string;
}

interface PidRecord {
  pid: number;
  bin: string;
  args: string[];
  configHash?: string;
}

function hashOf(s: string | undefined): string | undefined {
  return s === undefined ? undefined : createHash('sha256').update(s).digest('hex').slice(0, 16);
}

export function logFile(name: string): string {
  return join(labPaths.logs, `${name}.log`);
}

function pidFile(name: string): string {
  return join(statePaths.pids, `${name}.json`);
}

async function readPid(name: string): Promise<PidRecord | undefined> {
  try {
    return JSON.parse(await readFile(pidFile(name), 'utf8')) as PidRecord;
  } catch {
    return undefined;
  }
}

async function isAlive(rec: PidRecord): Promise<boolean> {
  try {
    const exe = await readlink(`/proc/${rec.pid}/exe`);
    // A zombie has no exe; a replaced binary shows " (deleted)".
    return exe.replace(/ \(deleted\)$/, '') === rec.bin;
  } catch {
    return false;
  }
}

/** Pid of the running component, or undefined if it is not running. */
export async function daemonPid(name: string): Promise<number | undefined> {
  const rec = await readPid(name);
  return rec && (await isAlive(rec)) ? rec.pid : undefined;
}

/**
 * Why a wait on `name` can end now: undefined while it runs, otherwise that it exited and the line of
 * its log that says why: the last error among its last lines (the kubelet's "failed to run Kubelet: …",
 * a Go panic above its stack trace), else its last line.
 */
export async function daemonExited(name: string): Promise<string | undefined> {
  const rec = await readPid(name);
  if (rec && (await isAlive(rec))) return undefined;
  const tail = await readFile(logFile(name), 'utf8').then((t) => t.slice(-16384), () => '');
  const lines = tail.split('\n').map((l) => l.trim()).filter(Boolean).slice(-60);
  const why = [...lines].reverse().find((l) => /^panic:|^[EF]\d{4} |\b(error|fatal|failed)\b/i.test(l)) ?? lines.at(-1);
  const pid = rec ? ` (pid ${rec.pid})` : '';
  return `${name}${pid} is not running; ${logFile(name)} says: ${why ? why.slice(0, 400) : '(nothing)'}`;
}

/** Starts `spec` unless it already runs with the same arguments; returns its pid. */
export async function startDaemon(spec: DaemonSpec): Promise<number> {
  const rec = await readPid(spec.name);
  if (rec && (await isAlive(rec))) {
    if (JSON.stringify(rec.args) === JSON.stringify(spec.args) && rec.configHash === hashOf(spec.config)) return rec.pid;
    log.info(`  ${spec.name}: arguments or configuration changed, restarting`);
    await stopDaemon(spec.name);
  }
  await mkdir(labPaths.logs, { recursive: true });
  await mkdir(statePaths.pids, { recursive: true });
  // Logs append across ups; one rotation keeps a long-lived lab's logs bounded.
  const file = logFile(spec.name);
  const size = await stat(file).then((st) => st.size, () => 0);
  if (size > 64 << 20) await rename(file, `${file}.1`);
  const fd = openSync(file, 'a');
  try {
    const child = spawn(spec.bin, spec.args, {
      detached: true,
      stdio: ['ignore', fd, fd],
      env: spec.env ?? process.env,
    });
    const pid = child.pid;
    if (pid === undefined) throw new Error(`could not start ${spec.bin}`);
    child.unref();
    await writeFile(pidFile(spec.name), JSON.stringify({ pid, bin: spec.bin, args: spec.args, configHash: hashOf(spec.config) } satisfies PidRecord));
    log.info(`  ${spec.name}: started (pid ${pid}, log ${logFile(spec.name)})`);
    return pid;
  } finally {
    closeSync(fd);
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; removes the pid file. */
export async function stopDaemon(name: string, graceMs = 10_000): Promise<boolean> {
  const rec = await readPid(name);
  if (!rec || !(await isAlive(rec))) {
    await rm(pidFile(name), { force: true });
    return false;
  }
  process.kill(rec.pid, 'SIGTERM');
  const exited = () => polled({ description: `${name} (pid ${rec.pid}) to exit`, check: async () => ((await isAlive(rec)) ? undefined : true), intervalMs: 50 });
  const stopped = await until(exited(), Deadline.in(graceMs), { progressEveryMs: Number.POSITIVE_INFINITY }).catch(() => false);
  if (!stopped) {
    log.warn(`${name} (pid ${rec.pid}) ignored SIGTERM for ${graceMs / 1000}s; killing`);
    process.kill(rec.pid, 'SIGKILL');
    await until(exited(), Deadline.in(30_000));
  }
  await rm(pidFile(name), { force: true });
  return true;
}

/** Resident set size of a process in MiB (from /proc/<pid>/status), or undefined. */
export async function rssMiB(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Names of every component with a pid file (the lab's own and any a caller started with startDaemon). */
export async function listDaemons(): Promise<string[]> {
  const { readdir } = await import('node:fs/promises');
  const files = await readdir(statePaths.pids).catch(() => [] as string[]);
  return files.filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length));
}
