// 10's "the job's records-in counter grows from one scrape to the next", as a judge over what the
// polling saw: a counter that Prometheus returned nothing for, or that stayed put until the deadline,
// never passes.
import { fail, pass, type Judgement } from '../util/judgement.ts';

export interface CounterGrowthObservation {
  promql: string;
  /** The Prometheus that answered, for messages. */
  where: string;
  timeoutSeconds: number;
  /** The first value read; undefined: the query returned nothing. */
  before?: number;
  /** The last value read after it; undefined: none. */
  last?: number;
  reads: number;
  /** Reads that returned no sample (a target down makes its series stale at once). */
  emptyReads: number;
  /** From the first read to the last. */
  seconds: number;
  /** The namespace's scrape targets, read when the counter did not grow: usually why. */
  targets?: string;
}

export function judgeCounterGrowth(o: CounterGrowthObservation): Judgement {
  const where = `(Prometheus at ${o.where}${o.targets ? `; ${o.targets}` : ''})`;
  if (o.before === undefined) return fail(`${o.promql} returned nothing: there is no counter to see grow ${where}`);
  if (o.last === undefined) {
    return fail(`${o.promql} was ${o.before} once, then returned nothing in ${o.reads - 1} reads over ${o.seconds.toFixed(1)} s: the series went stale ${where}`);
  }
  if (o.last <= o.before) {
    const empty = o.emptyReads > 0 ? `; ${o.emptyReads} of ${o.reads} reads returned nothing` : '';
    return fail(`${o.promql} did not grow beyond ${o.before} in ${o.seconds.toFixed(1)} s (deadline ${o.timeoutSeconds} s): last ${o.last}${empty} ${where}`);
  }
  return pass(`${o.promql} grew ${o.before} → ${o.last} in ${o.seconds.toFixed(1)} s (Prometheus at ${o.where})`);
}
