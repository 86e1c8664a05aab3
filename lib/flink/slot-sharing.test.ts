// judgeSlotSharing on each of its sides. /overview, /jobs/:id and /taskmanagers are responses recorded
// from a real Flink 1.20 session cluster (see __fixtures__/rest/README.md): 1 TaskManager with 2 slots,
// both in use, TopSpeedWindowing RUNNING. No second job and no /jobs/:id/vertices/:vid/taskmanagers
// were recorded: the second job is the recorded one under another id, and the placement is
// hand-written in that endpoint's shape with the recorded TaskManager's id.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseJobSummary, parseOverview, parseVertexTaskManagers } from './rest.ts';
import { judgeSlotSharing, type SlotSharingObservation } from './slot-sharing.ts';

const recorded = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/rest/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

const runningRaw = recorded('job-running.json');
const sessionJob = parseJobSummary(runningRaw);
const restJob = parseJobSummary({ ...runningRaw, jid: 'a1b2c3d4e5f60718293a4b5c6d7e8f90' });
const overview = parseOverview(recorded('overview.json'));
const tm = (recorded('taskmanagers.json')['taskmanagers'] as Record<string, unknown>[])[0]!['id'] as string;
const placedOn = (...ids: string[]): string[] => parseVertexTaskManagers({ taskmanagers: ids.map((id) => ({ 'taskmanager-id': id })) });
const where = 'GET /jobs/overview, /overview, /jobs/:id/vertices/:vid/taskmanagers';

const base: SlotSharingObservation = {
  jobs: [
    { label: 'FlinkSessionJob', id: sessionJob.id },
    { label: 'REST-submitted job', id: restJob.id },
  ],
  jobsOverview: [sessionJob, restJob],
  overview,
  slotsPerTaskManager: 2,
  taskManagersByJob: { [sessionJob.id]: placedOn(tm), [restJob.id]: placedOn(tm) },
};
const onSlots = `2 of 2 slot(s) in use on 1 TaskManager(s) (GET /overview)`;

describe('judgeSlotSharing', () => {
  it('reads the recorded responses as the judge needs them', () => {
    expect(sessionJob).toMatchObject({ id: '7cd7fc3d569c4b09e9256871557bc937', state: 'RUNNING' });
    expect(overview).toMatchObject({ taskManagers: 1, slotsTotal: 2, slotsAvailable: 0 });
    expect(tm).toBe('127.0.0.1:34081-645c5d');
  });

  it('passes when both jobs run with a slot each on the one TaskManager', () => {
    expect(judgeSlotSharing(base)).toEqual({ ok: true, reason: `both jobs RUNNING, ${onSlots}, TaskManager ${tm} runs tasks of both` });
  });

  it('fails on an empty observation: no jobs', () => {
    const empty: SlotSharingObservation = { jobs: [], jobsOverview: [], overview: parseOverview({}), slotsPerTaskManager: 2, taskManagersByJob: {} };
    expect(judgeSlotSharing(empty)).toEqual({ ok: false, reason: `sharing needs two jobs, 0 observed (${where})` });
  });

  it('fails with one job: nothing to share with', () => {
    expect(judgeSlotSharing({ ...base, jobs: base.jobs.slice(0, 1) })).toEqual({ ok: false, reason: `sharing needs two jobs, 1 observed (${where})` });
  });

  it('fails naming the job whose step produced no id', () => {
    const j = judgeSlotSharing({ ...base, jobs: [base.jobs[0]!, { label: 'REST-submitted job' }] });
    expect(j).toEqual({ ok: false, reason: 'REST-submitted job did not run (no job id): sharing needs both jobs RUNNING' });
  });

  it('fails naming the job the cluster does not list, and what it lists', () => {
    const j = judgeSlotSharing({ ...base, jobsOverview: [sessionJob] });
    expect(j).toEqual({
      ok: false,
      reason: `REST-submitted job ${restJob.id} is not in GET /jobs/overview (listed: ${sessionJob.id} RUNNING): sharing needs both jobs RUNNING`,
    });
  });

  it("says 'listed: none' when GET /jobs/overview lists no job", () => {
    const j = judgeSlotSharing({ ...base, jobsOverview: [] });
    expect(j).toEqual({ ok: false, reason: `FlinkSessionJob ${sessionJob.id} is not in GET /jobs/overview (listed: none): sharing needs both jobs RUNNING` });
  });

  it('fails naming a listed job that is not RUNNING (the recorded /jobs/overview: CANCELED)', () => {
    const listed = (recorded('jobs-overview.json')['jobs'] as Record<string, unknown>[]).map(parseJobSummary);
    const canceled = listed.find((s) => s.id === sessionJob.id)!;
    expect(canceled.state).toBe('CANCELED');
    const j = judgeSlotSharing({ ...base, jobsOverview: [canceled, restJob] });
    expect(j).toEqual({ ok: false, reason: `FlinkSessionJob ${sessionJob.id} is CANCELED in GET /jobs/overview: sharing needs both jobs RUNNING` });
  });

  it('fails when fewer slots are in use than there are RUNNING jobs', () => {
    const j = judgeSlotSharing({ ...base, overview: { ...overview, slotsAvailable: 1 } });
    expect(j).toEqual({ ok: false, reason: '2 RUNNING jobs need a slot each, 1 of 2 slot(s) in use on 1 TaskManager(s) (GET /overview)' });
  });

  it('fails, not passes, when /overview gave no numbers', () => {
    const j = judgeSlotSharing({ ...base, overview: parseOverview({}) });
    expect(j).toEqual({ ok: false, reason: '2 RUNNING jobs need a slot each, NaN of NaN slot(s) in use on NaN TaskManager(s) (GET /overview)' });
  });

  it('fails when the used slots would fit on fewer TaskManagers than exist: spread, not packed', () => {
    const j = judgeSlotSharing({ ...base, overview: { ...overview, taskManagers: 2, slotsTotal: 4, slotsAvailable: 2 } });
    expect(j).toEqual({
      ok: false,
      reason: '2 of 4 slot(s) in use on 2 TaskManager(s) (GET /overview): 2 used slot(s) of 2 per TaskManager need 1 TaskManager(s), 2 exist: the jobs are spread, not packed',
    });
  });

  it.each([0, -2, NaN, 1.5, Infinity])('fails naming an impossible %s slot(s) per TaskManager, even when the jobs are spread', (slotsPerTaskManager) => {
    const spread = { ...base, slotsPerTaskManager, overview: { ...overview, taskManagers: 2, slotsTotal: 4, slotsAvailable: 2 } };
    const reason =
      `2 of 4 slot(s) in use on 2 TaskManager(s) (GET /overview): ${slotsPerTaskManager} slot(s) per TaskManager is no slot count (expected an integer from 1: ` +
      'flink.taskManager.slots, taskmanager.numberOfTaskSlots of the session cluster), so whether the jobs are packed cannot be judged';
    expect(judgeSlotSharing(spread)).toEqual({ ok: false, reason });
    expect(judgeSlotSharing({ ...base, slotsPerTaskManager })).toMatchObject({ ok: false, reason: expect.stringContaining(`${slotsPerTaskManager} slot(s) per TaskManager is no slot count`) });
  });

  it('fails naming the job with no task on any TaskManager', () => {
    const j = judgeSlotSharing({ ...base, taskManagersByJob: { [sessionJob.id]: placedOn(tm) } });
    expect(j).toEqual({ ok: false, reason: `REST-submitted job ${restJob.id} has no task on any TaskManager (GET /jobs/:id/vertices/:vid/taskmanagers)` });
  });

  it('fails naming where each job runs when no TaskManager runs tasks of both', () => {
    const other = '127.0.0.1:40123-9e1f2a';
    const j = judgeSlotSharing({ ...base, slotsPerTaskManager: 1, overview: { ...overview, taskManagers: 2 }, taskManagersByJob: { [sessionJob.id]: placedOn(tm), [restJob.id]: placedOn(other) } });
    expect(j).toEqual({
      ok: false,
      reason: `no TaskManager runs tasks of both jobs (FlinkSessionJob on ${tm}; REST-submitted job on ${other}) with 1 slot(s) per TaskManager (GET /jobs/:id/vertices/:vid/taskmanagers)`,
    });
  });
});
