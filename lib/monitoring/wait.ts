// Waiting on what Prometheus has scraped: a series to appear, a counter to grow. Prometheus cannot be
// watched, so these poll (`polled` in lib/util/until.ts) at a short interval with a deadline, reporting the scrape
// targets of the namespace under test as progress, since a target that is down is usually why.
import type { CounterGrowthObservation } from './counter-growth.ts';
import { describeTargets, type Prometheus, type Sample } from './prometheus.ts';
import { Deadline, polled, until } from '../util/until.ts';

export interface SeriesWait {
  timeoutMs: number;
  /** Namespace whose scrape targets the progress lines and the timeout message describe. */
  namespace?: string;
}

async function targetsOf(p: Prometheus, namespace: string | undefined): Promise<string> {
  if (!namespace) return '';
  const targets = (await p.activeTargets()).filter((t) => t.labels.namespace === namespace);
  if (targets.length === 0) {
    // The usual cause on a real cluster: a Prometheus Operator, which ignores annotations.
    return `no scrape target in ${namespace} (does this Prometheus scrape pods annotated prometheus.io/scrape, and label their series with namespace? A Prometheus Operator needs a PodMonitor for the Flink pods' port 9249)`;
  }
  return `scrape targets in ${namespace}: ${describeTargets(targets)}`;
}

/** Polls `promql` until it returns at least one sample; the samples. */
export async function untilSeries(p: Prometheus, promql: string, o: SeriesWait): Promise<Sample[]> {
  let seen = 'no answer yet';
  const value = await until(
    polled({
      description: `Prometheus series ${promql} (at ${p.where})`,
      check: async () => {
        const samples = await p.query(promql);
        if (samples.length > 0) return samples;
        seen = `no such series; ${await targetsOf(p, o.namespace)}`;
        return undefined;
      },
      observe: () => seen,
      intervalMs: 2_000,
    }),
    Deadline.in(o.timeoutMs),
  );
  return value;
}

/** The value of a one-sample query (e.g. a `sum(...)`), or undefined when it returns nothing. */
export async function scalarOf(p: Prometheus, promql: string): Promise<number | undefined> {
  return (await p.query(promql))[0]?.value;
}

/**
 * Polls `promql` (one sample, a counter) until its value exceeds the first one read, or the deadline;
 * returns what was seen for judgeCounterGrowth. Never throws on "did not grow": that is the judge's call.
 */
export async function observeCounterGrowth(p: Prometheus, promql: string, o: SeriesWait): Promise<CounterGrowthObservation> {
  const started = Date.now();
  const before = await scalarOf(p, promql);
  const seen: CounterGrowthObservation = { promql, where: p.where, timeoutSeconds: o.timeoutMs / 1000, before, reads: 1, emptyReads: before === undefined ? 1 : 0, seconds: 0 };
  // When the counter did not grow, the namespace's scrape targets usually say why.
  const withTargets = async () => {
    seen.targets = await targetsOf(p, o.namespace).catch((err: Error) => `targets not read: ${err.message}`);
    return seen;
  };
  if (before === undefined) return withTargets();
  await until(
    polled({
      description: `${promql} to grow beyond ${before} (at ${p.where})`,
      check: async () => {
        const now = await scalarOf(p, promql);
        seen.reads++;
        seen.seconds = (Date.now() - started) / 1000;
        if (now === undefined) seen.emptyReads++;
        else seen.last = now;
        return now !== undefined && now > before ? true : undefined;
      },
      observe: () => `still ${seen.last ?? before}`,
      intervalMs: 2_000,
    }),
    Deadline.in(o.timeoutMs),
  ).catch(() => undefined);
  return seen.last === undefined || seen.last <= before ? withTargets() : seen;
}

/** Median round trip of `runs` instant queries, in whole ms (one query alone is mostly noise). */
export async function medianQueryMs(p: Prometheus, promql: string, runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await p.query(promql);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length / 2)]!);
}
