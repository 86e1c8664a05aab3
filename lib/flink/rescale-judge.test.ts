// judgeParallelismFollows on each of its sides. The observations are what the judge received on the lab
// on 2026-12-03 (see __fixtures__/observations/README.md): suite 05 passing with scheduler-mode=REACTIVE
// and 2 slots per TaskManager (run 20261203-150013-d317, with the intermediate states seen while
// waiting), and failing with the default scheduler and 1 slot per TaskManager (run 20261203-151403-bb46).
// Sides nothing recorded (no job, a job that ended, no TaskManager) are minimal edits of a recorded
// observation, named in each test.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeScheduler, judgeParallelismFollows, schedulerOf, type ParallelismObservation } from './rescale-judge.ts';

const recorded = (name: string): ParallelismObservation =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/observations/${name}`, import.meta.url), 'utf8')) as ParallelismObservation;

const reactiveJob = '21bd8381f547c65d731cbae1f25f3139';
const defaultJob = '2d944c3c4cfd858a941cd5049f1be3dd';
const where = (seconds: string, job = reactiveJob) => `after ${seconds} s (GET /overview, /jobs/${job}, /jobmanager/config)`;

describe('describeScheduler', () => {
  it('reads the scheduler from GET /jobmanager/config and names it in the configuration\'s words', () => {
    expect(schedulerOf({ 'scheduler-mode': 'REACTIVE' })).toEqual({ schedulerMode: 'REACTIVE', scheduler: undefined });
    expect(describeScheduler(schedulerOf({ 'scheduler-mode': 'REACTIVE' }))).toBe('scheduler-mode=REACTIVE');
    expect(describeScheduler(schedulerOf({}))).toBe('jobmanager.scheduler=default (unset), scheduler-mode unset: not reactive');
    expect(describeScheduler(schedulerOf({ 'jobmanager.scheduler': 'adaptive' }))).toBe('jobmanager.scheduler=adaptive, scheduler-mode unset: not reactive');
  });
});

describe('judgeParallelismFollows', () => {
  it('passes on the recorded start: parallelism 2 on the one TaskManager\'s 2 slots', () => {
    expect(judgeParallelismFollows(recorded('05-one-taskmanager.json'))).toEqual({
      ok: true,
      reason: `parallelism 2 uses the 2 slots of 1 TaskManager (scheduler-mode=REACTIVE; seen 2) ${where('0.2')}`,
    });
  });

  it('passes on the recorded scale to 3 TaskManagers: parallelism 2 → 6', () => {
    expect(judgeParallelismFollows(recorded('05-scale-to-3.json'))).toEqual({
      ok: true,
      reason: `parallelism 6 uses the 6 slots of 3 TaskManagers (scheduler-mode=REACTIVE; seen 2 → 6) ${where('16.1')}`,
    });
  });

  it('passes on the recorded scale back to 1 TaskManager: parallelism 6 → 2', () => {
    expect(judgeParallelismFollows(recorded('05-scale-to-1.json'))).toEqual({
      ok: true,
      reason: `parallelism 2 uses the 2 slots of 1 TaskManager (scheduler-mode=REACTIVE; seen 6 → 2) ${where('3.2')}`,
    });
  });

  it('passes on the recorded HPA scale-out: more than 1 TaskManager asked, 2 registered', () => {
    expect(judgeParallelismFollows(recorded('05-hpa-parallelism.json'))).toEqual({
      ok: true,
      reason: 'parallelism 4 uses the 4 slots of 2 TaskManagers (scheduler-mode=REACTIVE; seen 4) after 0.3 s (GET /overview, /jobs/3494b7a8a6fd39289746bbffdd19f509, /jobmanager/config)',
    });
  });

  it('fails naming the scheduler on the recorded default-scheduler run: parallelism stayed 1 with 3 TaskManagers', () => {
    const j = judgeParallelismFollows(recorded('05-scale-to-3-default-scheduler.json'));
    expect(j).toEqual({
      ok: false,
      reason: `jobmanager.scheduler=default (unset), scheduler-mode unset: not reactive: parallelism stayed 1 with 3 TaskManagers (3 slots), expected 3 ${where('60.0', defaultJob)}`,
    });
    expect(j.reason).toContain('not reactive: parallelism stayed 1 with 3 TaskManagers');
  });

  it('passes on the default-scheduler run\'s start (1 slot, parallelism 1): a scheduler only shows once the TaskManagers change', () => {
    expect(judgeParallelismFollows(recorded('05-one-taskmanager-default-scheduler.json'))).toEqual({
      ok: true,
      reason: `parallelism 1 uses the 1 slots of 1 TaskManager (jobmanager.scheduler=default (unset), scheduler-mode unset: not reactive; seen 1) ${where('0.2', defaultJob)}`,
    });
  });

  it('fails on the recorded state with 3 pods but 2 TaskManagers registered (default-scheduler run, while waiting)', () => {
    expect(judgeParallelismFollows(recorded('05-scale-to-3-default-scheduler-seen-tm2-slots2-p1.json'))).toEqual({
      ok: false,
      reason: `asked for 3 TaskManagers, 2 registered with the JobManager; TaskManager pods ready: 3 ${where('8.8', defaultJob)}`,
    });
  });

  it('fails on the recorded state before the new TaskManagers registered: asked for 3, 1 registered', () => {
    expect(judgeParallelismFollows(recorded('05-scale-to-3-seen-tm1-slots2-p2.json'))).toEqual({
      ok: false,
      reason: `asked for 3 TaskManagers, 1 registered with the JobManager; TaskManager pods ready: 1 ${where('0.1')}`,
    });
  });

  it('fails on the recorded state after scaling to 1 while a second TaskManager is still registered', () => {
    expect(judgeParallelismFollows(recorded('05-scale-to-1-seen-tm2-slots4-p6.json'))).toEqual({
      ok: false,
      reason: `asked for 1 TaskManagers, 2 registered with the JobManager; TaskManager pods ready: 1 ${where('0.6')}`,
    });
  });

  it('fails on the recorded state with all 3 TaskManagers but only 4 of their slots offered yet: reactive, yet stayed 2', () => {
    expect(judgeParallelismFollows(recorded('05-scale-to-3-seen-tm3-slots4-p2.json'))).toEqual({
      ok: false,
      reason: `scheduler-mode=REACTIVE, yet parallelism stayed 2 with 3 TaskManagers (4 slots), expected 4 ${where('8.7')}`,
    });
  });

  it('fails on the recorded state with 6 slots offered and the job not yet rescaled', () => {
    expect(judgeParallelismFollows(recorded('05-scale-to-3-seen-tm3-slots6-p2.json'))).toEqual({
      ok: false,
      reason: `scheduler-mode=REACTIVE, yet parallelism stayed 2 with 3 TaskManagers (6 slots), expected 6 ${where('9.2')}`,
    });
  });

  it('fails on the recorded state after scaling down with the job still at parallelism 6 on 2 slots', () => {
    expect(judgeParallelismFollows(recorded('05-scale-to-1-seen-tm1-slots2-p6.json'))).toEqual({
      ok: false,
      reason: `scheduler-mode=REACTIVE, yet parallelism stayed 6 with 1 TaskManager (2 slots), expected 2 ${where('1.1')}`,
    });
  });

  it('names every parallelism seen when the job rescaled but not far enough (recorded scale-to-3 with slotsTotal edited to 8: one more TaskManager\'s slots)', () => {
    const o = { ...recorded('05-scale-to-3.json'), slotsTotal: 8 };
    expect(judgeParallelismFollows(o)).toEqual({
      ok: false,
      reason: `scheduler-mode=REACTIVE, yet parallelism is 6 (seen 2 → 6) with 3 TaskManagers (8 slots), expected 8 ${where('16.1')}`,
    });
  });

  it('fails when fewer than "more than" TaskManagers registered (recorded HPA observation with registeredTaskManagers edited to 1: the HPA added none)', () => {
    const o = { ...recorded('05-hpa-parallelism.json'), registeredTaskManagers: 1, slotsTotal: 2, podsReady: 1 };
    expect(judgeParallelismFollows(o)).toEqual({
      ok: false,
      reason: 'asked for more than 1 TaskManagers, 1 registered with the JobManager; TaskManager pods ready: 1 after 0.3 s (GET /overview, /jobs/3494b7a8a6fd39289746bbffdd19f509, /jobmanager/config)',
    });
  });

  it('fails when the job was not found (recorded scale-to-3 with job removed: GET /jobs/<id> answered 404)', () => {
    const { job: _job, ...o } = recorded('05-scale-to-3.json');
    expect(judgeParallelismFollows(o)).toEqual({
      ok: false,
      reason: 'the job was not found on the JobManager after 16.1 s (GET /overview, /jobs/<id>, /jobmanager/config)',
    });
  });

  it('fails naming the state and exception of a job that ended (recorded scale-to-3 with job.state edited to FAILED and a jobFailure added)', () => {
    const r = recorded('05-scale-to-3.json');
    const o: ParallelismObservation = { ...r, job: { ...r.job!, state: 'FAILED' }, jobFailure: 'org.apache.flink.runtime.JobException: Recovery is suppressed by NoRestartBackoffTimeStrategy' };
    expect(judgeParallelismFollows(o)).toEqual({
      ok: false,
      reason: `job ${reactiveJob} is FAILED (org.apache.flink.runtime.JobException: Recovery is suppressed by NoRestartBackoffTimeStrategy), expected RUNNING on 3 TaskManager(s) ${where('16.1')}`,
    });
  });

  it('fails on a job not RUNNING without an exception (recorded scale-to-1 with job.state edited to RESTARTING: mid-rescale)', () => {
    const r = recorded('05-scale-to-1.json');
    expect(judgeParallelismFollows({ ...r, job: { ...r.job!, state: 'RESTARTING' } })).toEqual({
      ok: false,
      reason: `job ${reactiveJob} is RESTARTING, expected RUNNING on 1 TaskManager(s) ${where('3.2')}`,
    });
  });

  it('fails when no TaskManager registered (recorded start with registeredTaskManagers and slotsTotal edited to 0: TaskManagers lost)', () => {
    const o = { ...recorded('05-one-taskmanager.json'), registeredTaskManagers: 0, slotsTotal: 0 };
    expect(judgeParallelismFollows(o)).toEqual({
      ok: false,
      reason: `no TaskManager registered with the JobManager (0 TaskManagers, 0 slots; TaskManager pods ready: 1) ${where('0.2')}: parallelism cannot follow TaskManagers that are not there`,
    });
    const { podsReady: _p, ...unread } = o;
    expect(judgeParallelismFollows(unread).reason).toBe(
      `no TaskManager registered with the JobManager (0 TaskManagers, 0 slots) ${where('0.2')}: parallelism cannot follow TaskManagers that are not there`,
    );
  });

  it('fails when the registered TaskManagers offer no slot (recorded start with slotsTotal and job.parallelism edited to 0)', () => {
    const o = recorded('05-one-taskmanager.json');
    const j = judgeParallelismFollows({ ...o, slotsTotal: 0, job: { ...o.job!, parallelism: 0 } });
    expect(j.ok).toBe(false);
    expect(j.reason).toBe(`1 TaskManager registered but offer 0 slots (taskmanager.numberOfTaskSlots) ${where('0.2')}: no parallelism can follow them`);
  });

  it('fails on an empty observation: nothing registered, no job, nothing seen', () => {
    const empty: ParallelismObservation = { taskManagers: { exactly: 1 }, registeredTaskManagers: 0, slotsTotal: 0, scheduler: {}, parallelismSeen: [], waitedSeconds: 0 };
    expect(judgeParallelismFollows(empty)).toEqual({ ok: false, reason: 'the job was not found on the JobManager after 0.0 s (GET /overview, /jobs/<id>, /jobmanager/config)' });
    const r = recorded('05-one-taskmanager.json');
    expect(judgeParallelismFollows({ ...empty, job: r.job }).ok).toBe(false);
  });
});
