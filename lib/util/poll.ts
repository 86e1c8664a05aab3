// Polling, for what cannot be watched (Flink REST, CQL): a short interval, a deadline, progress
// lines on long waits, and the last observation in the timeout message. Two modes over one loop:
// pollUntil waits for a value and fails at the deadline; observeUntil returns the last observation at
// the deadline, for a judge to decide (an observation, not a timeout, is what the check reports).
import { log } from '../log.ts';
import { formatDuration, pollPause, TimeoutError, WaitEnded } from './time.ts';

interface Pacing {
  description: string;
  timeoutMs: number;
  intervalMs?: number;
  progressEveryMs?: number;
  /** Where progress lines go (the lab's own output can be silenced); log.info by default. */
  progress?: (line: string) => void;
}

export interface PollOptions<T> extends Pacing {
  /**
   * Returns a value when done, undefined to poll again. Errors count as "not yet" until the deadline,
   * except WaitEnded, which ends the wait at once.
   */
  check: () => Promise<T | undefined>;
  observe?: () => string;
}

export interface ObserveOptions<T> extends Pacing {
  /** One observation. Errors count as "not yet" (the last one is kept), except WaitEnded. */
  observe: () => Promise<T>;
  /** Enough has been seen for the judge to decide (or waiting longer cannot help). */
  done: (seen: T) => boolean;
  /** What the progress lines say of the last observation. */
  describe?: (seen: T | undefined) => string;
  /** When the deadline started, if before this call (a rescale asked for earlier); default now. */
  sinceMs?: number;
}

interface Outcome<T> {
  last?: T;
  observed: boolean;
  done: boolean;
  lastError?: string;
  elapsedMs: number;
}

async function pollLoop<T>(o: Pacing & { observe: () => Promise<T>; done: (t: T) => boolean; note: (t: T | undefined) => string; sinceMs?: number }): Promise<Outcome<T>> {
  const started = o.sinceMs ?? Date.now();
  const interval = o.intervalMs ?? 500;
  const progressEvery = o.progressEveryMs ?? 15_000;
  let nextProgress = started + progressEvery;
  let last: T | undefined;
  let observed = false;
  let lastError: string | undefined;
  for (;;) {
    try {
      last = await o.observe();
      observed = true;
      lastError = undefined;
      if (o.done(last)) return { last, observed, done: true, elapsedMs: Date.now() - started };
    } catch (err) {
      if (err instanceof WaitEnded) throw err;
      lastError = (err as Error).message.split('\n')[0];
    }
    const now = Date.now();
    if (now - started >= o.timeoutMs) return { last, observed, done: false, lastError, elapsedMs: now - started };
    if (now >= nextProgress) {
      const seen = `${o.note(last)}${lastError ? ` (last error: ${lastError})` : ''}`.trim() || 'nothing yet';
      (o.progress ?? log.info)(`… waiting ${formatDuration(now - started)} for ${o.description}; now: ${seen}`);
      nextProgress = now + progressEvery;
    }
    await pollPause(interval);
  }
}

export async function pollUntil<T>(o: PollOptions<T>): Promise<{ value: T; elapsedMs: number }> {
  const r = await pollLoop<T | undefined>({ ...o, observe: o.check, done: (v) => v !== undefined, note: () => o.observe?.() ?? '' });
  if (r.done) return { value: r.last as T, elapsedMs: r.elapsedMs };
  const seen = `${o.observe?.() ?? ''}${r.lastError ? ` (last error: ${r.lastError})` : ''}`.trim() || 'nothing yet';
  throw new TimeoutError(`timed out after ${formatDuration(o.timeoutMs)} waiting for ${o.description}; last observed: ${seen}`);
}

/**
 * Observes until `done` or the deadline and returns the last observation either way; throws only when
 * nothing could be observed at all (then there is nothing to judge), naming the last error.
 */
export async function observeUntil<T>(o: ObserveOptions<T>): Promise<T> {
  const r = await pollLoop<T>({ ...o, note: o.describe ?? (() => '') });
  if (r.observed) return r.last as T;
  throw new Error(`could not observe ${o.description} within ${formatDuration(o.timeoutMs)}: ${r.lastError || 'no answer'}`);
}
