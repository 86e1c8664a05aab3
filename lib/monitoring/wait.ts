// Waiting on what Prometheus has scraped: a series to appear, a counter to grow. Prometheus cannot be
// watched, so these poll (lib/util/poll.ts) at a short interval with a deadline, reporting the scrape
// targets of the namespace under test as progress, since a target that is down is usually why.
import { pollUntil } from '../util/poll.ts';
import { describeTargets, type Prometheus, type Sample } from './prometheus.ts';

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
  const { value } = await pollUntil({
    description: `Prometheus series ${promql} (at ${p.where})`,
    check: async () => {
      const samples = await p.query(promql);
      if (samples.length > 0) return samples;
      seen = `no such series; ${await targetsOf(p, o.namespace)}`;
      return undefined;
    },
    observe: () => seen,
    timeoutMs: o.timeoutMs,
    intervalMs: 2_000,
  });
  return value;
}

/** The value of a one-sample query (e.g. a `sum(...)`), or undefined when it returns nothing. */
export async function scalarOf(p: Prometheus, promql: string): Promise<number | undefined> {
  return (await p.query(promql))[0]?.value;
}

/** Polls `promql` (one sample, a counter) until its value exceeds the first one read. */
export async function untilGrows(p: Prometheus, promql: string, o: SeriesWait): Promise<{ before: number; after: number; seconds: number }> {
  const before = await scalarOf(p, promql);
  if (before === undefined) throw new Error(`Prometheus at ${p.where}: ${promql} returned nothing`);
  let last = before;
  const { value, elapsedMs } = await pollUntil({
    description: `${promql} to grow beyond ${before} (at ${p.where})`,
    check: async () => {
      last = (await scalarOf(p, promql)) ?? last;
      return last > before ? last : undefined;
    },
    observe: () => `still ${last}`,
    timeoutMs: o.timeoutMs,
    intervalMs: 2_000,
  });
  return { before, after: value, seconds: elapsedMs / 1000 };
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
