// judgeRestJob and judgeWebUi on each of their sides. The observations are what the judges received on
// the lab on 2026-12-04 (see __fixtures__/observations/README.md): suite 02 passing (run
// 20261204-021610-7948), and the job run by the adaptive scheduler on a cluster capped at one slot (run
// 20261204-021727-040d: RUNNING at parallelism 1 where 2 was requested). Other sides are minimal edits.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { judgeRestJob, judgeWebUi, type RestJobObservation, type WebUiObservation } from './application-job-judge.ts';

const recorded = <T>(name: string): T => JSON.parse(readFileSync(new URL(`./__fixtures__/observations/${name}`, import.meta.url), 'utf8')) as T;
const running = () => recorded<RestJobObservation>('02-rest-job.json');
const id = '599da56a8a25bf943e6cb5b49d9c6b7d';

describe('judgeRestJob', () => {
  it('passes on the recorded run: the operator\'s job RUNNING at parallelism 2 as requested', () => {
    expect(judgeRestJob(running())).toEqual({
      ok: true,
      reason: `job ${id} RUNNING at parallelism 2 as requested (vertices: Source: Car data generator source -> Timestamps/Watermarks: 1; GlobalWindows -> Sink: Print to Std. Out: 2)`,
    });
  });

  it('fails on the recorded job the adaptive scheduler ran at parallelism 1 on one slot', () => {
    const o = recorded<RestJobObservation>('02-rest-job-one-slot-adaptive.json');
    expect(judgeRestJob(o)).toEqual({
      ok: false,
      reason: `job ${o.jobId} runs at parallelism 1, expected 2 (spec.job.parallelism); vertices: Source: Car data generator source -> Timestamps/Watermarks: 1; GlobalWindows -> Sink: Print to Std. Out: 1 (Flink REST of app-mode)`,
    });
  });

  it('fails when the operator reports no job id, when REST does not list it, when it is not RUNNING, and when no vertex was read (recorded run edited)', () => {
    expect(judgeRestJob({ ...running(), jobId: undefined }).reason).toMatch(/^the operator reports no job id \(status\.jobStatus\.jobId null\); Flink REST of app-mode \/jobs\/overview shows 599d.*:RUNNING$/);
    expect(judgeRestJob({ ...running(), jobs: [{ id: 'f'.repeat(32), state: 'RUNNING' }] })).toEqual({
      ok: false,
      reason: `job ${id} (status.jobStatus.jobId) is not in /jobs/overview of Flink REST of app-mode: it shows ${'f'.repeat(32)}:RUNNING`,
    });
    expect(judgeRestJob({ ...running(), jobs: [{ id, state: 'RESTARTING' }] })).toEqual({
      ok: false,
      reason: `job ${id} is RESTARTING in /jobs/overview of Flink REST of app-mode, expected RUNNING`,
    });
    expect(judgeRestJob({ ...running(), vertices: [] }).ok).toBe(false);
    expect(judgeRestJob({ ...running(), vertices: undefined }).ok).toBe(false);
  });
});

describe('judgeWebUi', () => {
  const ui = () => recorded<WebUiObservation>('02-web-ui.json');
  it('passes on the recorded dashboard', () => {
    expect(judgeWebUi(ui())).toEqual({ ok: true, reason: 'the Flink web dashboard answers at http://127.0.0.1:38153/' });
  });
  it('fails on no answer, another status, and a page that is not the dashboard (recorded edited)', () => {
    expect(judgeWebUi({ ...ui(), status: undefined, error: 'fetch failed' })).toEqual({ ok: false, reason: 'the web UI at http://127.0.0.1:38153/ did not answer: fetch failed' });
    expect(judgeWebUi({ ...ui(), status: 404 })).toEqual({ ok: false, reason: 'the web UI at http://127.0.0.1:38153/ answered HTTP 404, expected 200 (the JobManager\'s log says why; the dashboard is served from web.tmpdir)' });
    expect(judgeWebUi({ ...ui(), isFlinkDashboard: false }).ok).toBe(false);
  });
  it('fails on the recorded 404 of a dashboard Flink could not unpack (web.tmpdir not writable)', () => {
    expect(judgeWebUi(recorded<WebUiObservation>('02-web-ui-tmpdir-unwritable.json'))).toEqual({
      ok: false,
      reason: "the web UI at http://127.0.0.1:38969/ answered HTTP 404, expected 200 (the JobManager's log says why; the dashboard is served from web.tmpdir)",
    });
  });
});
