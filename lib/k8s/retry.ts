// Retries for idempotent calls only (get, list, server-side apply, delete): transient API errors
// are retried with jitter and a cap. A create is never retried blindly: it may have succeeded.
import pRetry, { AbortError } from 'p-retry';
import { log } from '../log.ts';

const transientCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'UND_ERR_SOCKET']);

export function isTransient(err: unknown): boolean {
  const e = err as { code?: number | string; cause?: { code?: string } };
  if (typeof e?.code === 'number') return e.code === 429 || (e.code >= 500 && e.code !== 501);
  const code = typeof e?.code === 'string' ? e.code : e?.cause?.code;
  return code !== undefined && transientCodes.has(code);
}

export async function retryIdempotent<T>(what: string, call: () => Promise<T>, retries = 5): Promise<T> {
  return pRetry(
    async () => {
      try {
        return await call();
      } catch (err) {
        if (!isTransient(err)) throw new AbortError(err as Error);
        throw err;
      }
    },
    {
      retries,
      minTimeout: 250,
      maxTimeout: 4000,
      randomize: true,
      onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
        if (retriesLeft > 0) log.debug(`${what}: attempt ${attemptNumber} failed (${error.message}); retrying`);
      },
    },
  );
}
