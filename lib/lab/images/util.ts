// Helpers of the image builders: content hashes of build inputs, a command runner that turns a long
// tool's output into a few progress lines, and small file-system utilities.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, stat, access, rm, rename, mkdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { log } from '../../log.ts';

/** Where progress lines go; the default prints them with the shared logger (stderr). */
export type Progress = (line: string) => void;
export const defaultProgress: Progress = (line) => log.info(line);

/** Root of the repository (this file lives in lib/lab/images/). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** Build inputs of the images: Maven manifests, scripts, default configuration, package lists. */
export const imageFixtures = join(repoRoot, 'fixtures', 'lab', 'images');

export async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out.sort();
}

/**
 * A short content hash of build inputs: literal strings and every file below the given directories
 * (path relative to the directory, mode's executable bit, content). Changing any of them makes the
 * derived cache entry stale.
 */
export async function hashInputs(inputs: { strings?: string[]; dirs?: string[] }): Promise<string> {
  const h = createHash('sha256');
  for (const s of inputs.strings ?? []) h.update(`s:${s}\n`);
  for (const dir of inputs.dirs ?? []) {
    for (const file of await listFiles(dir)) {
      const st = await stat(file);
      h.update(`f:${relative(dir, file)}:${st.mode & 0o111 ? 'x' : '-'}\n`);
      h.update(await readFile(file));
    }
  }
  return h.digest('hex').slice(0, 16);
}

export interface StreamOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  progress: Progress;
  /** Label in front of progress lines. */
  label: string;
  /** Picks the output lines worth a progress line (others are only kept for the error message). */
  interesting?: (line: string) => string | undefined;
  /** At most one progress line per this many milliseconds (the last interesting line wins). */
  throttleMs?: number;
}

/**
 * Runs a long command, reporting its progress from its own output at a bounded rate, and throws with
 * the output's tail when it fails.
 */
export function runStreaming(cmd: string, args: string[], opts: StreamOptions): Promise<void> {
  const throttle = opts.throttleMs ?? 5000;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    let pending: string | undefined;
    let lastReport = 0;
    let buffered = '';
    const onLine = (line: string) => {
      tail.push(line);
      if (tail.length > 60) tail.shift();
      log.debug(`${opts.label}: ${line}`);
      const msg = opts.interesting ? opts.interesting(line) : undefined;
      if (msg === undefined) return;
      pending = msg;
      const now = Date.now();
      if (now - lastReport >= throttle) {
        opts.progress(`  ${opts.label} (${((now - started) / 1000).toFixed(0)}s): ${pending}`);
        lastReport = now;
        pending = undefined;
      }
    };
    const onData = (d: Buffer) => {
      buffered += d.toString();
      let i: number;
      while ((i = buffered.indexOf('\n')) >= 0) {
        onLine(buffered.slice(0, i).replace(/\r$/, ''));
        buffered = buffered.slice(i + 1);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => {
      if (buffered) onLine(buffered);
      if (code === 0) resolve();
      else reject(new Error(`${opts.label}: ${cmd} ${args.join(' ')} exited with ${code}:\n${tail.join('\n')}`));
    });
  });
}

/** Builds into `<final>.partial` and renames it into place only when `build` succeeds. */
export async function buildAtomically(finalDir: string, build: (dir: string) => Promise<void>): Promise<void> {
  const partial = `${finalDir}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  try {
    await build(partial);
  } catch (e) {
    await rm(partial, { recursive: true, force: true }).catch(() => undefined);
    throw e;
  }
  await rm(finalDir, { recursive: true, force: true });
  await rename(partial, finalDir);
}

export function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)}s`;
}

/**
 * Removes cache entries of earlier builds: names in `dir` that start with `prefix` and are not in
 * `keep` (e.g. the layer and archive of a previous script version), so the cache does not grow.
 */
export async function pruneStale(dir: string, prefix: string, keep: string[]): Promise<void> {
  if (!(await exists(dir))) return;
  for (const name of await readdir(dir)) {
    if (name.startsWith(prefix) && !keep.some((k) => name === k || name.startsWith(`${k}.`))) {
      await rm(join(dir, name), { recursive: true, force: true });
    }
  }
}
