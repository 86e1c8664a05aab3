// judgeCounterGrowth on each of its sides. The observations are what the judge received on the lab on
// 2026-12-03 (see __fixtures__/counter-growth/README.md): suite 10 passing (run 20261203-151800-2bf2,
// the job's records-in counter 167 → 216 in 4 s), and failing with the TaskManager frozen while the
// counter was watched (run 20261203-153701-11d4: stuck at 127, its target down). Sides nothing recorded
// are minimal edits of these, named in each test.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fail, pass } from '../util/judgement.ts';
import { judgeCounterGrowth, type CounterGrowthObservation } from './counter-growth.ts';

const recorded = (name: string): CounterGrowthObservation =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/counter-growth/${name}`, import.meta.url), 'utf8')) as CounterGrowthObservation;

const growing = () => recorded('10-counter-growth.json');
const frozen = () => recorded('10-counter-growth-taskmanager-frozen.json');
const frozenPromql = 'sum(flink_taskmanager_job_task_numRecordsIn{job_id="6cb1cb81018653f327b88a1dad63068f"})';
const frozenTargets =
  'scrape targets in sc-20261203-153701-11d4-10: kubernetes-pods 1 up, 1 not up (Get "http://10.211.0.109:9249/metrics": context deadline exceeded)';
const promql = 'sum(flink_taskmanager_job_task_numRecordsIn{job_id="7da3b60f3cfe6e318320fb5925d1d6c1"})';
const prometheus = 'Prometheus at Service prometheus in namespace monitoring port 9090 (port-forward)';

describe('judgeCounterGrowth', () => {
  it('passes on the recorded run: the records-in counter grew 167 → 216 in 4.0 s', () => {
    expect(judgeCounterGrowth(growing())).toEqual(pass(`${promql} grew 167 → 216 in 4.0 s (${prometheus})`));
  });

  it('fails when the query returned nothing (recorded run with before and last removed, reads 1, all empty: no such series)', () => {
    const { before: _b, last: _l, ...o } = growing();
    expect(judgeCounterGrowth({ ...o, reads: 1, emptyReads: 1, seconds: 0 })).toEqual(
      fail(`${promql} returned nothing: there is no counter to see grow (${prometheus})`),
    );
  });

  it('fails on the recorded frozen TaskManager: the counter stayed at 127 for the 30 s deadline, 11 of 17 reads empty, its target down', () => {
    expect(judgeCounterGrowth(frozen())).toEqual(
      fail(`${frozenPromql} did not grow beyond 127 in 30.1 s (deadline 30 s): last 127; 11 of 17 reads returned nothing (${prometheus}; ${frozenTargets})`),
    );
  });

  it('fails when the series went stale for good (recorded frozen TaskManager with last removed and emptyReads edited to 16 of 17: no sample after the first)', () => {
    const { last: _l, ...o } = frozen();
    expect(judgeCounterGrowth({ ...o, emptyReads: 16 })).toEqual(
      fail(`${frozenPromql} was 127 once, then returned nothing in 16 reads over 30.1 s: the series went stale (${prometheus}; ${frozenTargets})`),
    );
  });

  it('fails when the counter stayed put without empty reads (recorded frozen TaskManager with emptyReads edited to 0: a stalled job whose target stays up)', () => {
    const { targets: _t, ...o } = frozen();
    expect(judgeCounterGrowth({ ...o, emptyReads: 0 })).toEqual(fail(`${frozenPromql} did not grow beyond 127 in 30.1 s (deadline 30 s): last 127 (${prometheus})`));
  });

  it('fails when the counter went back (recorded run with last edited to 12: a counter reset, e.g. a restarted TaskManager)', () => {
    expect(judgeCounterGrowth({ ...growing(), last: 12 })).toEqual(fail(`${promql} did not grow beyond 167 in 4.0 s (deadline 180 s): last 12 (${prometheus})`));
  });
});
