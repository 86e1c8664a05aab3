// For our own tests of the harness under faults in the control path: a kube-apiserver restart (which
// drops every watch and every port-forward tunnel at once) and a sampler that records what a client
// saw around it. Lab only: it stops and starts the lab's own apiserver process.
import { apiserverReady, startApiserver } from './controlplane.ts';
import { stopDaemon } from './procs.ts';
import { fail, pass, type Judgement } from '../util/judgement.ts';
import { Deadline, observed, until } from '../util/until.ts';

export interface Outage {
  down: number;
  up: number;
}

/** Stops the lab's kube-apiserver and starts it again; returns when it answers /readyz. */
export async function restartApiserver(): Promise<Outage> {
  const down = Date.now();
  await stopDaemon('kube-apiserver');
  if (await apiserverReady()) throw new Error('kube-apiserver still answers after it was stopped');
  await startApiserver();
  return { down, up: Date.now() };
}

export interface Sample<T> {
  at: number;
  value?: T;
  error?: string;
}

/** Calls `read` every `intervalMs` until stopped; every answer and every failure is kept with its time. */
export function sampler<T>(read: () => Promise<T>, intervalMs = 250): { samples: Sample<T>[]; stop: () => Promise<void> } {
  const samples: Sample<T>[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const at = Date.now();
      try {
        samples.push({ at, value: await read() });
      } catch (err) {
        samples.push({ at, error: (err as Error).message });
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    samples,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

/** Waits until a sample taken after `since` succeeded, or `timeoutMs` passed. */
export function untilAnsweredAfter<T>(samples: Sample<T>[], since: number, timeoutMs: number): Promise<boolean> {
  return until(
    observed({ description: 'a sample answered after the restart', observe: async () => samples.some((s) => s.at > since && s.error === undefined), done: (answered) => answered, intervalMs: 250 }),
    Deadline.in(timeoutMs),
  );
}

/**
 * What a client must have seen around an outage: answers before it, answers again after it, every
 * answer the right one (nothing corrupted), and failures only from the outage until the first answer
 * after it (the client's reconnection).
 */
export function judgeSamplesAround<T>(samples: Sample<T>[], outage: Outage, expected: T): Judgement {
  const firstBack = samples.find((s) => s.at > outage.up && s.error === undefined)?.at ?? Infinity;
  const problems: string[] = [];
  if (!samples.some((s) => s.at < outage.down && s.error === undefined)) problems.push('no answer before the outage');
  if (firstBack === Infinity) problems.push('no answer after the outage');
  const wrong = samples.filter((s) => s.error === undefined && s.value !== expected);
  if (wrong.length) problems.push(`${wrong.length} wrong answer(s), e.g. ${JSON.stringify(wrong[0]!.value)}`);
  const stray = samples.filter((s) => s.error !== undefined && (s.at < outage.down || s.at > firstBack));
  if (stray.length) problems.push(`${stray.length} failure(s) outside the outage, e.g. ${stray[0]!.error}`);
  const seen = `${describeSamples(samples, outage)}; ${outageWindow(outage)}`;
  if (problems.length) {
    return fail(`samples around the outage: expected right answers (${JSON.stringify(expected)}) before and after it, failures only until the client answered again; ${problems.join('; ')} (${seen})`);
  }
  return pass(`samples around the outage: every answer ${JSON.stringify(expected)}, failures only until the client answered again (${seen})`);
}

// Sample times are Date.now() stamps: the window is what a reader matches them against.
const outageWindow = (outage: Outage): string => `apiserver down at ${new Date(outage.down).toISOString()}, answering /readyz at ${new Date(outage.up).toISOString()}`;

export function describeSamples<T>(samples: Sample<T>[], outage: Outage): string {
  const firstBack = samples.find((s) => s.at > outage.up && s.error === undefined)?.at;
  return `${samples.length} samples, ${samples.filter((s) => s.error).length} failed; answering again ${firstBack ? `${((firstBack - outage.up) / 1000).toFixed(1)} s after the apiserver` : 'never'}`;
}
