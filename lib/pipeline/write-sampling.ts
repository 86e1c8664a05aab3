// 08's sampling window: the table's write count read every 2 s, each reading or its error kept as a
// sample for judgeWriteGrowth (write-growth.ts). A sampler, not a wait: it runs for its window whatever
// it reads. Time lost to unread samples extends the window (up to twice its length), so a short outage
// of the control path still leaves a full window of readings to judge.
import type { TableWrites } from '../cassandra/table-stats.ts';
import { pollPause } from '../util/time.ts';
import type { WriteSample } from './write-growth.ts';

const everyMs = 2000;

export interface WriteSampling {
  samples: WriteSample[];
  /** The last count read (undefined when none was). */
  lastCount?: number;
  /** The worst node's p99 local write latency seen over the window, in ms. */
  p99Ms: number;
}

/** `onRead` gets each count read, when, and the rate since the previous reading (writes per second). */
export async function sampleWriteCount(
  read: () => Promise<TableWrites>,
  windowMs: number,
  onRead: (count: number, at: Date, perSecond?: number) => void,
): Promise<WriteSampling> {
  const samples: WriteSample[] = [];
  const answered = () => samples.filter((x): x is WriteSample & { count: number } => x.count !== undefined);
  const started = Date.now();
  let lostMs = 0;
  let p99Ms = 0;
  while (Date.now() < started + Math.min(windowMs + lostMs, 2 * windowMs) || answered().length < 3) {
    if (Date.now() > started + 2 * windowMs + 60_000) break;
    const before = Date.now();
    // A sample the harness cannot read is a gap, not a zero; the judge decides whether enough were read.
    const writes = await read().catch((err: Error) => ({ error: err.message }));
    const at = Date.now();
    if ('error' in writes) {
      samples.push({ at, error: writes.error });
      lostMs += at - before + everyMs;
    } else {
      const prev = answered().at(-1);
      samples.push({ at, count: writes.count });
      onRead(writes.count, new Date(at), prev ? Math.round(((writes.count - prev.count) / ((at - prev.at) / 1000)) * 10) / 10 : undefined);
      p99Ms = Math.max(p99Ms, writes.p99Ms ?? 0);
    }
    await pollPause(everyMs);
  }
  return { samples, lastCount: answered().at(-1)?.count, p99Ms };
}
