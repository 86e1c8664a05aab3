// Judges 08's sampling window: the table's write count, read every couple of seconds, must grow and
// never go down. A sample the harness could not read (the port-forward dropped, the API server
// restarted: the control path, not the platform) is a gap, kept with its error and counted; it is never
// replaced by a partial value (a sum over the nodes that happened to answer would look like a
// decrease). The property is judged on the samples that were read, and only if they are enough to
// judge it: with fewer than three, or fewer than half the samples read, the check fails saying that
// the measurement was disturbed rather than passing on what little it saw.
export interface WriteSample {
  at: number;
  count?: number;
  error?: string;
}

export interface WriteGrowthVerdict {
  ok: boolean;
  reason: string;
  /** Writes per second between the first and the last sample read (0 when not judged). */
  writesPerSecond: number;
  unread: number;
}

export function judgeWriteGrowth(samples: WriteSample[], table: string): WriteGrowthVerdict {
  const read = samples.filter((s): s is WriteSample & { count: number } => s.count !== undefined);
  const unread = samples.length - read.length;
  const series = read.map((s) => s.count).join(' → ');
  const lastError = [...samples].reverse().find((s) => s.error)?.error;
  const fail = (reason: string) => ({ ok: false, reason, writesPerSecond: 0, unread });
  if (read.length < 3 || read.length * 2 < samples.length) {
    return fail(
      `measurement disturbed: only ${read.length} of ${samples.length} samples of the write count of ${table} could be read` +
        `${lastError ? ` (last error: ${lastError})` : ''}; at least 3 and half are needed to judge its growth`,
    );
  }
  const decreases = read.slice(1).filter((s, i) => s.count < read[i]!.count);
  if (decreases.length) return fail(`write count of ${table} went down between samples: ${series}`);
  const first = read[0]!;
  const last = read.at(-1)!;
  const seconds = (last.at - first.at) / 1000;
  if (last.count <= first.count) return fail(`write count of ${table} did not grow over ${seconds} s: ${series}`);
  const writesPerSecond = Math.round(((last.count - first.count) / seconds) * 10) / 10;
  const gaps = unread ? `; ${unread} of ${samples.length} samples could not be read and are left out (last error: ${lastError})` : '';
  return { ok: true, reason: `write count of ${table} grew ${series} over ${seconds} s (${writesPerSecond}/s)${gaps}`, writesPerSecond, unread };
}
