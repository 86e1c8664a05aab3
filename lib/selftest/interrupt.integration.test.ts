// Ctrl-C and CI cancellation in the middle of a suite, as they really arrive: a terminal's Ctrl-C
// signals the whole process group, a CI runner's cancellation often only the top process, which may
// be npm or npx rather than node. Each way the run stops, says so, removes what it had created, and
// exits 130; a second signal during the cleanup does not cut it short.
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { list, type K8sObject } from '../k8s/objects.ts';
import { kinds } from '../k8s/resources.ts';
import { labCluster } from '../lab/index.ts';
import { runIdLabel } from '../run/context.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/streamcert.mjs', import.meta.url));

interface Started {
  child: ChildProcess;
  output: () => string;
  runId: () => string;
  /** Resolves once the suite's FlinkDeployment exists (its first progress line shows the operator's status). */
  applied: Promise<void>;
  exited: Promise<number | null>;
}

function start(cmd: string, args: string[]): Started {
  // detached: a process group of its own, as a terminal gives a foreground job.
  const child = spawn(cmd, args, { cwd: repo, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const applied = new Promise<void>((resolve) => {
    const onData = (c: Buffer) => {
      out += c.toString();
      if (/lifecycle=/.test(out)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
  });
  // Killed by a signal: the shell's convention, 128 + its number.
  const exited = new Promise<number | null>((done) =>
    child.on('close', (code, signal) => done(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : null))),
  );
  return { child, output: () => out, runId: () => /run (\d{8}-\d{6}-[0-9a-f]{4}):/.exec(out)?.[1] ?? '', applied, exited };
}

async function leftovers(runId: string): Promise<string[]> {
  const cluster = await labCluster();
  return (await list<K8sObject>(cluster, kinds.Namespace, { labelSelector: `${runIdLabel}=${runId}` })).map((n) => n.metadata.name);
}

// Each test is a run of its own, found and cleaned by its own run id: two at a time (the integration project's
// maxConcurrency), as two users' runs would be.
describe.concurrent('Ctrl-C and cancellation during a suite', () => {
  it('Ctrl-C to the process group, twice: the run cleans up all the same and exits 130', async () => {
    await labCluster();
    const run = start(process.execPath, [bin, 'run', '--suite', '02']);
    await run.applied;
    process.kill(-run.child.pid!, 'SIGINT');
    // A second Ctrl-C once the first has been taken: acknowledged, not obeyed.
    await new Promise((r) => setTimeout(r, 1_500));
    process.kill(-run.child.pid!, 'SIGINT');
    const code = await run.exited;
    expect(code, run.output().slice(-3000)).toBe(130);
    expect(run.output()).toMatch(/SIGINT: cancelling run/);
    expect(run.output()).toMatch(/SIGINT again: the (cleanup|cancellation) of run \S+ goes on so nothing is left behind/);
    expect(run.output()).not.toMatch(/removeListener is not a function|internal error/);
    expect(await leftovers(run.runId())).toEqual([]);
  });

  it('SIGTERM to npx alone (a CI runner cancelling the job): the run notices, cancels and cleans up', async () => {
    const run = start('npx', ['--no-install', 'streamcert', 'run', '--suite', '02']);
    await run.applied;
    run.child.kill('SIGTERM');
    // npx itself dies of the signal (143, npm's doing); streamcert, orphaned under npx's shell, notices
    // its parent is gone and cancels. 'close' comes once streamcert has ended too (it holds the pipes).
    const code = await run.exited;
    expect(code, run.output().slice(-3000)).toBe(143);
    expect(run.output()).toMatch(/the npm process that started this run \(pid \d+\) has ended/);
    expect(run.output()).toMatch(/SIGTERM: cancelling run/);
    expect(run.output()).not.toMatch(/removeListener is not a function|internal error/);
    expect(await leftovers(run.runId())).toEqual([]);
  });

  it('Ctrl-C to `npm start` (npm, its shell and node in one group): the run cleans up and exits 130', async () => {
    const run = start('npm', ['start', '--', '--suite', '02']);
    await run.applied;
    process.kill(-run.child.pid!, 'SIGINT');
    const code = await run.exited;
    expect(code, run.output().slice(-3000)).toBe(130);
    expect(run.output()).toMatch(/SIGINT: cancelling run/);
    expect(run.output()).not.toMatch(/removeListener is not a function|internal error/);
    expect(await leftovers(run.runId())).toEqual([]);
  });
});
