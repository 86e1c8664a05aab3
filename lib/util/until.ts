// The one way anything here waits: `until(condition, deadline)`. A condition says what it waits for,
// how to check it, what it observed last and whether what it saw is terminal (it throws WaitEnded:
// "stop now, this will never become true"). It has one of two sources: the resumable watch of
// lib/k8s/wait.ts for Kubernetes objects, or a poll (below) for what cannot be watched (Flink REST,
// CQL, HTTP). A Deadline is passed down instead of timeouts subtracted by hand, so a step inside a
// longer wait can never outlive it. Long waits print what they wait for and what they see now.
import { log } from '../log.ts';
import { formatDuration, pollPause, TimeoutError, WaitEnded } from './time.ts';

/** A moment by which a wait must be over, and when it was set (for "timed out after …" and figures). */
export class Deadline {
  private constructor(
    readonly startedMs: number,
    readonly atMs: number,
  ) {}

  /** `ms` from now. */
  static in(ms: number): Deadline {
    const now = Date.now();
    return new Deadline(now, now + ms);
  }

  /** `ms` from an earlier moment: a wait for the effect of something asked for before the wait began. */
  static since(startedMs: number, ms: number): Deadline {
    return new Deadline(startedMs, startedMs + ms);
  }

  /** The earlier of this deadline and `ms` from now: a step's own bound inside a longer wait. */
  within(ms: number): Deadline {
    const now = Date.now();
    return new Deadline(now, Math.min(this.atMs, now + ms));
  }

  get totalMs(): number {
    return this.atMs - this.startedMs;
  }

  remainingMs(): number {
    return Math.max(0, this.atMs - Date.now());
  }

  expired(): boolean {
    return Date.now() >= this.atMs;
  }

  elapsedMs(): number {
    return Date.now() - this.startedMs;
  }
}

export interface UntilOptions {
  /** Ends the wait early (a run cancelled, a recovery given up on); the wait then rejects. */
  signal?: AbortSignal;
  /** Where progress lines go (the lab's own output can be indented or silenced); log.info by default. */
  progress?: (line: string) => void;
  progressEveryMs?: number;
}

/** What a condition's source needs from until. */
export interface SourceOptions {
  signal?: AbortSignal;
  progress: (line: string) => void;
  progressEveryMs: number;
}

export interface Condition<T> {
  /** What is awaited, in words: `FlinkDeployment ns/app to be STABLE with job RUNNING`. */
  readonly description: string;
  /** Its source (a resumable watch or a poll), run by until: resolves with the value, or rejects. */
  run(deadline: Deadline, o: SourceOptions): Promise<T>;
}

/**
 * Waits until `condition` holds and returns what it returned. Rejects with the condition's WaitEnded
 * at once when what it saw is terminal, or with a TimeoutError at the deadline naming what was awaited
 * and what was observed last (an observation condition returns its last observation instead, for a
 * judge to decide).
 */
export function until<T>(condition: Condition<T>, deadline: Deadline, o: UntilOptions = {}): Promise<T> {
  return condition.run(deadline, { signal: o.signal, progress: o.progress ?? log.info, progressEveryMs: o.progressEveryMs ?? 15_000 });
}

export function progressLine(deadline: Deadline, description: string, now: string): string {
  return `… waiting ${formatDuration(deadline.elapsedMs())} for ${description}; now: ${now}`;
}

export function timedOut(deadline: Deadline, description: string, lastObserved: string): TimeoutError {
  return new TimeoutError(`timed out after ${formatDuration(deadline.totalMs)} waiting for ${description}; last observed: ${lastObserved}`);
}

export function aborted(description: string): Error {
  return new Error(`wait for ${description} aborted`);
}

interface Pacing {
  description: string;
  /** Between two checks; 500 ms by default. */
  intervalMs?: number;
}

interface Outcome<T> {
  last?: T;
  observed: boolean;
  done: boolean;
  lastError?: string;
}

// The poll source: errors count as "not yet" (the last one is kept for the message), except WaitEnded,
// which ends the wait at once.
async function pollLoop<T>(
  p: Pacing & { observe: () => Promise<T>; done: (t: T) => boolean; note: (t: T | undefined) => string },
  deadline: Deadline,
  o: SourceOptions,
): Promise<Outcome<T>> {
  let nextProgress = Date.now() + o.progressEveryMs;
  let last: T | undefined;
  let observed = false;
  let lastError: string | undefined;
  for (;;) {
    if (o.signal?.aborted) throw aborted(p.description);
    try {
      last = await p.observe();
      observed = true;
      lastError = undefined;
      if (p.done(last)) return { last, observed, done: true };
    } catch (err) {
      if (err instanceof WaitEnded) throw err;
      lastError = (err as Error).message.split('\n')[0];
    }
    if (deadline.expired()) return { last, observed, done: false, lastError };
    if (Date.now() >= nextProgress) {
      o.progress(progressLine(deadline, p.description, seenNow(p.note(last), lastError)));
      nextProgress = Date.now() + o.progressEveryMs;
    }
    await pollPause(Math.min(p.intervalMs ?? 500, Math.max(1, deadline.remainingMs())), o.signal);
  }
}

function seenNow(note: string, lastError: string | undefined): string {
  return `${note}${lastError ? ` (last error: ${lastError})` : ''}`.trim() || 'nothing yet';
}

/**
 * A polled condition: `check` returns a value when done, undefined for "not yet"; it throws WaitEnded
 * when what it saw is terminal. `observe` says what was seen last, for progress lines and the timeout.
 */
export function polled<T>(c: Pacing & { check: () => Promise<T | undefined>; observe?: () => string }): Condition<T> {
  return {
    description: c.description,
    async run(deadline, o) {
      const note = () => c.observe?.() ?? '';
      const r = await pollLoop<T | undefined>({ ...c, observe: c.check, done: (v) => v !== undefined, note }, deadline, o);
      if (r.done) return r.last as T;
      throw timedOut(deadline, c.description, seenNow(note(), r.lastError));
    },
  };
}

/**
 * An observation: polls `observe` until `done` or the deadline and returns the last observation either
 * way, for a judge to decide (an observation, not a timeout, is what the check reports). Rejects only
 * when nothing could be observed at all, naming the last error.
 */
export function observed<T>(c: Pacing & { observe: () => Promise<T>; done: (seen: T) => boolean; describe?: (seen: T | undefined) => string }): Condition<T> {
  return {
    description: c.description,
    async run(deadline, o) {
      const r = await pollLoop<T>({ ...c, note: c.describe ?? (() => '') }, deadline, o);
      if (r.observed) return r.last as T;
      throw new Error(`could not observe ${c.description} within ${formatDuration(deadline.totalMs)}: ${r.lastError || 'no answer'}`);
    },
  };
}
