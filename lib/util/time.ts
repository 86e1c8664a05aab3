// Time helpers: deadlines, elapsed seconds, ISO stamps. The only `sleep` in the code base lives
// here, for polling what cannot be watched (REST endpoints) at a short interval.

export const nowIso = (): string => new Date().toISOString();

export function secondsSince(startMs: number, untilMs = Date.now()): number {
  return Math.round((untilMs - startMs) / 10) / 100;
}

export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

/**
 * "Stop now, this will never become true" (a job FAILED, a login refused): thrown by a condition, it
 * ends a wait at once, poll or watch, and its message becomes the wait's reason.
 */
export class WaitEnded extends Error {
  override name = 'WaitEnded';
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new TimeoutError(message)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits `ms`, or less if `signal` aborts. Use only between polls of something that cannot be watched. */
export function pollPause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    // The listener goes when the pause ends: a wait polling on one signal would otherwise pile one up per poll.
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 90) return `${s.toFixed(1)}s`;
  return `${Math.floor(s / 60)}m${Math.round(s % 60)}s`;
}
