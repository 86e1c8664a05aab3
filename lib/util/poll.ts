// Polling, for what cannot be watched (Flink REST, CQL): a short interval, a deadline, progress
// lines on long waits, and the last observation in the timeout message.
import { log } from '../log.ts';
import { formatDuration, pollPause, TimeoutError, WaitEnded } from './time.ts';

export interface PollOptions<T> {
  description: string;
  /**
   * Returns a value when done, undefined to poll again. Errors count as "not yet" until the deadline,
   * except WaitEnded, which ends the wait at once.
   */
  check: () => Promise<T | undefined>;
  observe?: () => string;
  timeoutMs: number;
  intervalMs?: number;
  progressEveryMs?: number;
  /** Where progress lines go (the lab's own output can be silenced); log.info by default. */
  progress?: (line: string) => void;
}

export async function pollUntil<T>(o: PollOptions<T>): Promise<{ value: T; elapsedMs: number }> {
  const started = Date.now();
  const interval = o.intervalMs ?? 500;
  const progressEvery = o.progressEveryMs ?? 15_000;
  let nextProgress = started + progressEvery;
  let lastError: string | undefined;
  for (;;) {
    try {
      const value = await o.check();
      if (value !== undefined) return { value, elapsedMs: Date.now() - started };
      lastError = undefined;
    } catch (err) {
      if (err instanceof WaitEnded) throw err;
      lastError = (err as Error).message.split('\n')[0];
    }
    const now = Date.now();
    const seen = `${o.observe?.() ?? ''}${lastError ? ` (last error: ${lastError})` : ''}`.trim() || 'nothing yet';
    if (now - started >= o.timeoutMs) {
      throw new TimeoutError(`timed out after ${formatDuration(o.timeoutMs)} waiting for ${o.description}; last observed: ${seen}`);
    }
    if (now >= nextProgress) {
      (o.progress ?? log.info)(`… waiting ${formatDuration(now - started)} for ${o.description}; now: ${seen}`);
      nextProgress = now + progressEvery;
    }
    await pollPause(interval);
  }
}
