// judgeRestoreAfterKill on each of its sides. The observations are what the judge received on the lab on
// 2026-12-03 (see __fixtures__/restore/README.md): suite 09 passing after a TaskManager and a JobManager
// kill (run 20261203-151800-2bf2), failing with no restart strategy (run 20261203-152826-ff5d: the job
// FAILED, no restore) and with HA off (run 20261203-152940-3476: the job came back from an older
// checkpoint). Sides nothing recorded are minimal edits of a recorded observation, named in each test.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fail, pass } from '../util/judgement.ts';
import { judgeRestoreAfterKill, type RestoreObservation } from './restore.ts';

const recorded = (name: string): RestoreObservation =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/restore/${name}`, import.meta.url), 'utf8')) as RestoreObservation;

const tmKill = () => recorded('09-restore-after-TaskManager-kill.json');
const jmKill = () => recorded('09-restore-after-JobManager-kill.json');
const passingWhere = '/jobs/2d3391f248d7cd09320c0e977b4540ae/checkpoints of chaos-pipeline';
const tmBar = '#5, the latest completed at the kill (read 0.17 s before it)';

describe('judgeRestoreAfterKill', () => {
  it('passes on the recorded TaskManager kill: restored checkpoint #5, the latest completed at the kill', () => {
    expect(judgeRestoreAfterKill(tmKill())).toEqual(pass(`restored checkpoint #5 1.3 s after the TaskManager kill; ≥ ${tmBar}`));
  });

  it('passes on the recorded JobManager kill with HA: restored checkpoint #6, the latest completed at the kill', () => {
    expect(judgeRestoreAfterKill(jmKill())).toEqual(
      pass('restored checkpoint #6 20.6 s after the JobManager kill; ≥ #6, the latest completed at the kill (read 0.02 s before it)'),
    );
  });

  it('fails on the recorded TaskManager kill without a restart strategy: the job FAILED, no restore reported', () => {
    expect(judgeRestoreAfterKill(recorded('09-restore-after-TaskManager-kill-no-restart-strategy.json'))).toEqual(
      fail(
        'after the TaskManager kill the job reported no restore; expected one from ≥ #4, the latest completed at the kill (read 0.12 s before it) ' +
          '(/jobs/1fca517e9ea5ea616cd37f28752f1072/checkpoints of chaos-pipeline, latest.restored empty)',
      ),
    );
  });

  it('fails on the recorded JobManager kill with HA off: the job came back from checkpoint #1, older than #2 completed at the kill', () => {
    expect(judgeRestoreAfterKill(recorded('09-restore-after-JobManager-kill-ha-off.json'))).toEqual(
      fail(
        'after the JobManager kill the job restored checkpoint #1, older than #2, the latest completed at the kill (read 0.23 s before it) ' +
          '(/jobs/bdb159b40299ace387f7a647ec843979/checkpoints of chaos-pipeline)',
      ),
    );
  });

  it('passes on a restore newer than the bar (recorded TaskManager kill with restored.id edited to 6: a checkpoint completed during the kill)', () => {
    const o = tmKill();
    expect(judgeRestoreAfterKill({ ...o, restored: { ...o.restored!, id: 6 } })).toEqual(pass(`restored checkpoint #6 1.3 s after the TaskManager kill; ≥ ${tmBar}`));
  });

  it('fails when no checkpoint had completed at the kill (recorded TaskManager kill with checkpointAtKill removed: killed before the first checkpoint)', () => {
    const { checkpointAtKill: _c, ...o } = tmKill();
    expect(judgeRestoreAfterKill(o)).toEqual(
      fail(`no checkpoint had completed before the TaskManager kill, so a restore cannot be judged (${passingWhere}, latest.completed empty)`),
    );
  });

  it.each([
    [Number.NaN, 'NaN', 'an id that did not parse'],
    [0, '0', 'the id of no checkpoint'],
  ])('fails when the checkpoint at the kill has id %s (recorded TaskManager kill with checkpointAtKill.id edited to %s: %s)', (id, shown) => {
    const o = tmKill();
    expect(judgeRestoreAfterKill({ ...o, checkpointAtKill: { ...o.checkpointAtKill!, id } })).toEqual(
      fail(`the checkpoint read before the TaskManager kill has id ${shown}, not a checkpoint id (an integer from 1; latest.completed.id, ${passingWhere})`),
    );
  });

  it.each([
    ['restored.id edited to NaN: an id that did not parse', { id: Number.NaN }, 'restore id NaN at timestamp 1796311314321'],
    ['restored.id edited to 0: the id of no checkpoint', { id: 0 }, 'restore id 0 at timestamp 1796311314321'],
    ['restored.timestamp edited to NaN: a time that did not parse', { timestamp: Number.NaN }, 'restore id 5 at timestamp NaN'],
  ])('fails on a restore that is not a checkpoint id and a time (recorded TaskManager kill with %s)', (_edit, edit, shown) => {
    const o = tmKill();
    expect(judgeRestoreAfterKill({ ...o, restored: { ...o.restored!, ...edit } })).toEqual(
      fail(`after the TaskManager kill the job reported ${shown}: not a checkpoint id and a time (latest.restored, ${passingWhere})`),
    );
  });

  it('fails on a restore older than the kill (recorded JobManager kill with restored edited to the same run\'s TaskManager-kill restore: latest.restored still shows the earlier one)', () => {
    const o = { ...jmKill(), restored: tmKill().restored };
    expect(judgeRestoreAfterKill(o)).toEqual(
      fail(
        'after the JobManager kill the job reported no new restore: the latest, #5, is from 2026-12-03T15:21:54.321Z, before the kill; ' +
          `expected one from ≥ #6, the latest completed at the kill (read 0.02 s before it) (${passingWhere})`,
      ),
    );
  });

  it('fails on a restore from an older checkpoint (recorded TaskManager kill with restored.id edited to 4 and its path to chk-4: the state since #4 replayed)', () => {
    const o = tmKill();
    const restored = { ...o.restored!, id: 4, externalPath: 'file:/flink-data/checkpoints/2d3391f248d7cd09320c0e977b4540ae/chk-4' };
    expect(judgeRestoreAfterKill({ ...o, restored })).toEqual(fail(`after the TaskManager kill the job restored checkpoint #4, older than ${tmBar} (${passingWhere})`));
  });

  it('words a savepoint restore as one (recorded TaskManager kill with restored.isSavepoint edited to true, then also restored.id to 4: an old savepoint)', () => {
    const o = tmKill();
    expect(judgeRestoreAfterKill({ ...o, restored: { ...o.restored!, isSavepoint: true } })).toEqual(pass(`restored savepoint #5 1.3 s after the TaskManager kill; ≥ ${tmBar}`));
    expect(judgeRestoreAfterKill({ ...o, restored: { ...o.restored!, isSavepoint: true, id: 4 } })).toEqual(
      fail(`after the TaskManager kill the job restored savepoint #4, older than ${tmBar} (${passingWhere})`),
    );
  });

  it('leaves out how close the read was when it was not timed (recorded TaskManager kill with readAt removed)', () => {
    const { readAt: _r, ...o } = tmKill();
    expect(judgeRestoreAfterKill(o)).toEqual(pass('restored checkpoint #5 1.3 s after the TaskManager kill; ≥ #5, the latest completed at the kill'));
  });
});
