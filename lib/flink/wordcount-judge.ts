// 06's decisions, over what was observed: the session cluster Flink reports, the generator pod's end,
// each WordCount job's end state and the counts it wrote (compared with the counts computed from the
// generator, never read from the input file), and the sweep's measured durations.
import { fail, pass, type Judgement } from '../util/judgement.ts';
import type { FlinkJobState } from './rest.ts';
import { compareCounts } from './wordcount-input.ts';

export interface SessionObservation {
  wantedTaskManagers: number;
  /** GET /overview */
  registeredTaskManagers: number;
  slotsTotal: number;
  waitedSeconds: number;
}

export function judgeSessionReady(o: SessionObservation): Judgement {
  const where = `after ${o.waitedSeconds.toFixed(1)} s (GET /overview)`;
  if (o.registeredTaskManagers !== o.wantedTaskManagers) {
    return fail(`expected ${o.wantedTaskManagers} TaskManagers registered with the JobManager, saw ${o.registeredTaskManagers} (${o.slotsTotal} slots) ${where}`);
  }
  if (o.slotsTotal <= 0) return fail(`${o.registeredTaskManagers} TaskManagers registered but they offer no slot ${where}`);
  return pass(`${o.registeredTaskManagers} TaskManagers registered, ${o.slotsTotal} slots ${where}`);
}

export interface GeneratorObservation {
  pod: string;
  /** The pod's phase when the wait ended; undefined: the pod was never seen. */
  phase?: string;
  /** Its container's termination message or the pod's reason, when it failed. */
  message?: string;
  waitedSeconds: number;
}

export function judgeInputWritten(o: GeneratorObservation): Judgement {
  const where = `(kubectl logs ${o.pod})`;
  if (o.phase === 'Succeeded') return pass(`the generator pod ${o.pod} wrote the input in ${o.waitedSeconds.toFixed(1)} s`);
  if (o.phase === 'Failed') return fail(`the input generator failed: ${o.message ?? 'no message'} ${where}`);
  return fail(`the input generator pod ${o.pod} is ${o.phase ?? 'absent'} after ${o.waitedSeconds.toFixed(1)} s, expected Succeeded ${where}`);
}

export interface WordCountRunObservation {
  parallelism: number;
  jobId: string;
  /** The job's state when the wait ended. */
  state: FlinkJobState;
  /** The job's root exception, when it FAILED. */
  failure?: string;
  waitedSeconds: number;
  /** Where the job wrote its counts (read back from a TaskManager pod). */
  output: string;
  /** The counts computed from the generator, word → count. */
  expected: Record<string, number>;
  /** The counts Flink wrote, word → count (empty when it wrote nothing readable). */
  counted: Record<string, number>;
}

/** The job FINISHED and wrote exactly the expected count for every word; no output never passes. */
export function judgeWordCountRun(o: WordCountRunObservation): Judgement {
  const at = `WordCount at parallelism ${o.parallelism} (job ${o.jobId})`;
  if (o.state === 'FAILED') return fail(`${at} FAILED: ${o.failure ?? 'no exception recorded'} (GET /jobs/${o.jobId}/exceptions)`);
  if (o.state !== 'FINISHED') return fail(`${at} is ${o.state} after ${o.waitedSeconds.toFixed(1)} s, expected FINISHED (GET /jobs/${o.jobId})`);
  const expected = new Map(Object.entries(o.expected));
  const counted = new Map(Object.entries(o.counted));
  if (expected.size === 0) return fail(`${at}: no expected counts to compare with (the generator produced no words)`);
  if (counted.size === 0) return fail(`${at} FINISHED but wrote no counts to ${o.output} (expected ${expected.size} words)`);
  const diff = compareCounts(expected, counted);
  if (diff.differing > 0) {
    return fail(`${at}: ${diff.differing} of ${expected.size} words with wrong counts in ${o.output}: ${diff.examples.join('; ')}`);
  }
  const total = [...counted.values()].reduce((a, b) => a + b, 0);
  return pass(`${at} FINISHED; all ${expected.size} words counted as expected (${total} words) in ${o.output}`);
}

/** The sweep measured at least one parallelism; the fastest is reported. None measured never passes. */
export function judgeFastest(measured: { parallelism: number; seconds: number }[]): Judgement & { fastest?: { parallelism: number; seconds: number } } {
  if (measured.length === 0) return fail('no parallelism was measured: every WordCount run was skipped or failed');
  const fastest = measured.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  return { ...pass(`fastest: parallelism ${fastest.parallelism} in ${fastest.seconds} s (of ${measured.map((m) => `p${m.parallelism} ${m.seconds} s`).join(', ')})`), fastest };
}
