// 06's judges on each of their sides. The session and WordCount observations are what the judges
// received on the lab on 2026-12-03 (see __fixtures__/observations/README.md): a passing sweep at
// parallelism 1, 2 and 4 (run 20261203-150013-d317, 5000 distinct words, 12954710 in all), and a run
// whose input had one word appended after the expected counts were computed (run 20261203-151557-f790).
// Sides nothing recorded are minimal edits of a recorded observation, named in each test. No generator
// pod observation was recorded: judgeInputWritten's are hand-written in observeGeneratorPod's shape.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { judgeFastest, judgeInputWritten, judgeSessionReady, judgeWordCountRun, type SessionObservation, type WordCountRunObservation } from './wordcount-judge.ts';

const recorded = <T>(name: string): T => JSON.parse(readFileSync(new URL(`./__fixtures__/observations/${name}`, import.meta.url), 'utf8')) as T;
/** As recorded, with the JobEnd's durationMs the suite measures the sweep by. */
type RecordedRun = WordCountRunObservation & { durationMs: number };

const session = recorded<SessionObservation>('06-session.json');
const p1 = recorded<RecordedRun>('06-p1.json');
const p2 = recorded<RecordedRun>('06-p2.json');
const p4 = recorded<RecordedRun>('06-p4.json');
const corrupted = recorded<RecordedRun>('06-p1-corrupted-input.json');
const at1 = `WordCount at parallelism 1 (job ${p1.jobId})`;

describe('judgeSessionReady', () => {
  it('passes on the recorded session cluster: 2 TaskManagers, 4 slots', () => {
    expect(judgeSessionReady(session)).toEqual({ ok: true, reason: '2 TaskManagers registered, 4 slots after 0.1 s (GET /overview)' });
  });

  it('fails with fewer TaskManagers registered than wanted (recorded, registeredTaskManagers edited to 1 and slotsTotal to 2: one TaskManager did not register)', () => {
    expect(judgeSessionReady({ ...session, registeredTaskManagers: 1, slotsTotal: 2 })).toEqual({
      ok: false,
      reason: 'expected 2 TaskManagers registered with the JobManager, saw 1 (2 slots) after 0.1 s (GET /overview)',
    });
  });

  it('fails with more TaskManagers registered than wanted (recorded, registeredTaskManagers edited to 3: a stale TaskManager of another cluster)', () => {
    expect(judgeSessionReady({ ...session, registeredTaskManagers: 3, slotsTotal: 6 })).toEqual({
      ok: false,
      reason: 'expected 2 TaskManagers registered with the JobManager, saw 3 (6 slots) after 0.1 s (GET /overview)',
    });
  });

  it('fails when the TaskManagers offer no slot (recorded, slotsTotal edited to 0: numberOfTaskSlots not applied)', () => {
    expect(judgeSessionReady({ ...session, slotsTotal: 0 })).toEqual({
      ok: false,
      reason: '2 TaskManagers registered but they offer no slot after 0.1 s (GET /overview)',
    });
  });

  it('fails on an empty observation: nothing registered', () => {
    expect(judgeSessionReady({ wantedTaskManagers: 2, registeredTaskManagers: 0, slotsTotal: 0, waitedSeconds: 0 })).toEqual({
      ok: false,
      reason: 'expected 2 TaskManagers registered with the JobManager, saw 0 (0 slots) after 0.0 s (GET /overview)',
    });
    expect(judgeSessionReady({ wantedTaskManagers: 0, registeredTaskManagers: 0, slotsTotal: 0, waitedSeconds: 0 }).ok).toBe(false);
  });
});

describe('judgeInputWritten (hand-written observations: none recorded)', () => {
  it('passes when the generator pod Succeeded', () => {
    expect(judgeInputWritten({ pod: 'wordcount-input', phase: 'Succeeded', waitedSeconds: 41.27 })).toEqual({
      ok: true,
      reason: 'the generator pod wordcount-input wrote the input in 41.3 s',
    });
  });

  it('fails naming the termination message of a Failed pod', () => {
    expect(judgeInputWritten({ pod: 'wordcount-input', phase: 'Failed', message: 'awk: write error on stdout: No space left on device', waitedSeconds: 12 })).toEqual({
      ok: false,
      reason: 'the input generator failed: awk: write error on stdout: No space left on device (kubectl logs wordcount-input)',
    });
  });

  it("says 'no message' for a Failed pod that left none", () => {
    expect(judgeInputWritten({ pod: 'wordcount-input', phase: 'Failed', waitedSeconds: 12 })).toEqual({
      ok: false,
      reason: 'the input generator failed: no message (kubectl logs wordcount-input)',
    });
  });

  it('fails on a pod still Pending or Running at the deadline', () => {
    expect(judgeInputWritten({ pod: 'wordcount-input', phase: 'Pending', waitedSeconds: 300 })).toEqual({
      ok: false,
      reason: 'the input generator pod wordcount-input is Pending after 300.0 s, expected Succeeded (kubectl logs wordcount-input)',
    });
    expect(judgeInputWritten({ pod: 'wordcount-input', phase: 'Running', waitedSeconds: 300 }).ok).toBe(false);
  });

  it('fails on an empty observation: the pod never seen', () => {
    expect(judgeInputWritten({ pod: 'wordcount-input', waitedSeconds: 0 })).toEqual({
      ok: false,
      reason: 'the input generator pod wordcount-input is absent after 0.0 s, expected Succeeded (kubectl logs wordcount-input)',
    });
  });
});

describe('judgeWordCountRun', () => {
  it('reads the recorded runs: 5000 distinct words, the same expected counts at every parallelism', () => {
    expect(Object.keys(p1.expected)).toHaveLength(5000);
    expect(p2.expected).toEqual(p1.expected);
    expect(p4.expected).toEqual(p1.expected);
  });

  it.each([
    [p1, 1],
    [p2, 2],
    [p4, 4],
  ])('passes on the recorded run at parallelism $1: FINISHED, every word counted as expected', (run, parallelism) => {
    expect(judgeWordCountRun(run)).toEqual({
      ok: true,
      reason: `WordCount at parallelism ${parallelism} (job ${run.jobId}) FINISHED; all 5000 words counted as expected (12954710 words) in /flink-data/wordcount/out-p${parallelism}`,
    });
  });

  it('fails naming the word and both counts on the recorded run over a corrupted input (one word appended)', () => {
    expect(judgeWordCountRun(corrupted)).toEqual({
      ok: false,
      reason: `WordCount at parallelism 1 (job 353ac26318f5e156f5d7fb2c3b420993): 1 of 5000 words with wrong counts in /flink-data/wordcount/out-p1: a: expected 550, got 551`,
    });
  });

  it('fails naming a word Flink did not write (recorded p1 with the word "b" deleted from counted: a lost partition)', () => {
    const { b: _b, ...counted } = p1.counted;
    expect(judgeWordCountRun({ ...p1, counted })).toEqual({
      ok: false,
      reason: `${at1}: 1 of 5000 words with wrong counts in /flink-data/wordcount/out-p1: b: expected 2639, got 0`,
    });
  });

  it('fails naming a word Flink wrote that the generator never produced (recorded p1 with "zzzzzz" added to counted: a stale output file)', () => {
    expect(p1.expected['zzzzzz']).toBeUndefined();
    expect(judgeWordCountRun({ ...p1, counted: { ...p1.counted, zzzzzz: 1 } })).toEqual({
      ok: false,
      reason: `${at1}: 1 of 5000 words with wrong counts in /flink-data/wordcount/out-p1: zzzzzz: expected 0, got 1`,
    });
  });

  it('counts every wrong word but names at most 5 (recorded p1 with 7 counts doubled: output written twice)', () => {
    const words = Object.keys(p1.counted).slice(0, 7);
    const counted = { ...p1.counted, ...Object.fromEntries(words.map((w) => [w, p1.counted[w]! * 2])) };
    const j = judgeWordCountRun({ ...p1, counted });
    expect(j.ok).toBe(false);
    const named = words.slice(0, 5).map((w) => `${w}: expected ${p1.expected[w]}, got ${p1.expected[w]! * 2}`);
    expect(j.reason).toBe(`${at1}: 7 of 5000 words with wrong counts in /flink-data/wordcount/out-p1: ${named.join('; ')}`);
  });

  it('fails on a job that FINISHED but wrote nothing readable (recorded p1 with counted emptied: no part files under the output)', () => {
    expect(judgeWordCountRun({ ...p1, counted: {} })).toEqual({
      ok: false,
      reason: `${at1} FINISHED but wrote no counts to /flink-data/wordcount/out-p1 (expected 5000 words)`,
    });
  });

  it('fails with nothing to compare with (recorded p1 with expected emptied: the generator produced no words)', () => {
    expect(judgeWordCountRun({ ...p1, expected: {} })).toEqual({
      ok: false,
      reason: `${at1}: no expected counts to compare with (the generator produced no words)`,
    });
  });

  it('fails naming the exception of a FAILED job (recorded p1 with state edited to FAILED, failure added, counted emptied: as the suite records it)', () => {
    const failure = 'java.io.FileNotFoundException: File file:/flink-data/wordcount/input.txt does not exist or the user running Flink has insufficient permissions to access it.';
    expect(judgeWordCountRun({ ...p1, state: 'FAILED', failure, counted: {} })).toEqual({
      ok: false,
      reason: `${at1} FAILED: ${failure} (GET /jobs/${p1.jobId}/exceptions)`,
    });
    expect(judgeWordCountRun({ ...p1, state: 'FAILED', counted: {} }).reason).toBe(`${at1} FAILED: no exception recorded (GET /jobs/${p1.jobId}/exceptions)`);
  });

  it('fails on a job that had not ended at the deadline (recorded p1 with state edited to RUNNING, counted emptied)', () => {
    expect(judgeWordCountRun({ ...p1, state: 'RUNNING', counted: {} })).toEqual({
      ok: false,
      reason: `${at1} is RUNNING after 24.8 s, expected FINISHED (GET /jobs/${p1.jobId})`,
    });
  });

  it('fails on an empty observation: nothing expected, nothing counted', () => {
    const empty: WordCountRunObservation = { parallelism: 1, jobId: '', state: 'FINISHED', waitedSeconds: 0, output: '', expected: {}, counted: {} };
    expect(judgeWordCountRun(empty).ok).toBe(false);
    expect(judgeWordCountRun({ ...empty, expected: p1.expected }).ok).toBe(false);
  });
});

describe('judgeFastest', () => {
  // What the suite measures: each FINISHED run's durationMs / 1000.
  const measured = [p1, p2, p4].map((r) => ({ parallelism: r.parallelism, seconds: r.durationMs / 1000 }));

  it('reports the fastest of the recorded sweep: parallelism 2 in 17.414 s', () => {
    expect(judgeFastest(measured)).toEqual({
      ok: true,
      reason: 'fastest: parallelism 2 in 17.414 s (of p1 22.852 s, p2 17.414 s, p4 19.998 s)',
      fastest: { parallelism: 2, seconds: 17.414 },
    });
  });

  it('keeps the first of equally fast runs (recorded sweep with p4 edited to p2\'s time)', () => {
    expect(judgeFastest([measured[0]!, measured[1]!, { parallelism: 4, seconds: 17.414 }]).fastest).toEqual({ parallelism: 2, seconds: 17.414 });
  });

  it('fails on an empty observation: no parallelism measured', () => {
    const j = judgeFastest([]);
    expect(j).toEqual({ ok: false, reason: 'no parallelism was measured: every WordCount run was skipped or failed' });
    expect(j.fastest).toBeUndefined();
  });
});
