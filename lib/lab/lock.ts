// One lab operation at a time on this machine: `lab up` from the CLI and from a test run must not
// start components twice, and `lab down` must not race an `up`. A directory is the lock (mkdir is
// atomic); a lock whose owner pid is gone is stale and taken over. Within one process (two concurrent
// tests in one vitest worker) callers queue on a promise chain; only a lab operation started from inside
// another is an error, since it would wait on itself.
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { plog as log } from './progress.ts';
import { labPaths } from './paths.ts';

const lockDir = join(labPaths.state, 'run', 'lab.lock');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const inside = new AsyncLocalStorage<string>();
let queue: Promise<unknown> = Promise.resolve();

export async function withLabLock<T>(what: string, fn: () => Promise<T>, timeoutMs = 15 * 60_000): Promise<T> {
  const outer = inside.getStore();
  if (outer !== undefined) throw new Error(`lab ${what}: already inside a lab operation (${process.pid} ${outer})`);
  const turn = queue.then(() => inside.run(what, () => withMachineLock(what, fn, timeoutMs)));
  queue = turn.catch(() => undefined);
  return turn;
}

async function withMachineLock<T>(what: string, fn: () => Promise<T>, timeoutMs: number): Promise<T> {
  await mkdir(join(labPaths.state, 'run'), { recursive: true });
  const start = Date.now();
  let reported = false;
  for (;;) {
    try {
      await mkdir(lockDir);
      await writeFile(join(lockDir, 'owner'), `${process.pid} ${what}`);
      break;
    } catch {
      const owner = await readFile(join(lockDir, 'owner'), 'utf8').catch(() => '');
      const pid = Number(owner.split(' ')[0]);
      if (pid === process.pid) throw new Error(`lab ${what}: already inside a lab operation (${owner})`);
      if (owner && !alive(pid)) {
        await rm(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() - start > timeoutMs) throw new Error(`lab ${what}: another lab operation holds ${lockDir} (${owner})`);
      if (!reported) {
        log.info(`  waiting for another lab operation to finish (${owner || 'starting'})`);
        reported = true;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}
