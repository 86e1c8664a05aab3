// judgeRestore, judgeCheckpointsAgain and judgeSingleStart on each of their sides. The checkpoints
// are GET /jobs/:id/checkpoints as recorded from a real Flink 1.20 (see __fixtures__/rest/README.md):
// 9 completed, latest chk-9, nothing restored. The restore is that response with latest.restored set
// the way rest.test.ts does it (no recovery was recorded). The JobManager pod lists are hand-written in
// the shape ha.ts's jobManagerStartsSinceKill gives them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCheckpoints } from './rest.ts';
import { judgeCheckpointsAgain, judgeRestore, judgeSingleStart } from './recovery-judges.ts';

const recorded = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/rest/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

const raw = recorded('job-checkpoints.json');
const beforeKill = parseCheckpoints(raw);
const atKill = beforeKill.latestCompleted!.id;
const chk = (id: number) => `file:/shared/checkpoints/7cd7fc3d569c4b09e9256871557bc937/chk-${id}`;
/** The checkpoints as the recovered job reports them, having restored `restored`. */
const afterRestore = (restored: Record<string, unknown>) => {
  const latest = raw['latest'] as Record<string, unknown>;
  return parseCheckpoints({ ...raw, counts: { ...(raw['counts'] as object), restored: 1 }, latest: { ...latest, restored: { restore_timestamp: 1795479990000, is_savepoint: false, ...restored } } });
};

describe('judgeRestore', () => {
  it('reads the recorded checkpoints: chk-9 the latest completed, nothing restored', () => {
    expect(atKill).toBe(9);
    expect(beforeKill.latestRestored).toBeUndefined();
  });

  it('passes on a restore of the latest checkpoint completed at the kill', () => {
    const { latestRestored } = afterRestore({ id: 9, external_path: chk(9) });
    expect(judgeRestore({ checkpointAtKill: atKill, restored: latestRestored })).toEqual({ ok: true, reason: `restored checkpoint #9 (${chk(9)}) (latest completed at the kill: #9)` });
  });

  it('passes on a newer one, and names a savepoint as such, without a path when there is none', () => {
    const { latestRestored } = afterRestore({ id: 10, is_savepoint: true });
    expect(judgeRestore({ checkpointAtKill: atKill, restored: latestRestored })).toEqual({ ok: true, reason: 'restored savepoint #10 (latest completed at the kill: #9)' });
  });

  it('fails when nothing was restored (an empty observation never passes): the recorded response as is', () => {
    expect(judgeRestore({ checkpointAtKill: atKill, restored: beforeKill.latestRestored })).toEqual({
      ok: false,
      reason:
        'the recovered job restored no checkpoint (latest.restored empty, counts.restored = 0 in /jobs/:id/checkpoints); ' +
        'expected #9 or newer, the latest completed at the kill: it started from empty state',
    });
  });

  it('fails on a restore of an older checkpoint than the one completed at the kill', () => {
    const { latestRestored } = afterRestore({ id: 7, external_path: chk(7) });
    expect(judgeRestore({ checkpointAtKill: atKill, restored: latestRestored })).toEqual({
      ok: false,
      reason: `restored checkpoint #7 (${chk(7)}), older than #9, the latest completed at the kill: the state since then is lost`,
    });
  });

  it('fails naming a restored id that is not a number (an id the response gave as null parses to NaN)', () => {
    const { latestRestored } = afterRestore({ id: null, external_path: chk(9) });
    expect(latestRestored!.id).toBeNaN();
    expect(judgeRestore({ checkpointAtKill: atKill, restored: latestRestored })).toEqual({
      ok: false,
      reason: `restored checkpoint #NaN (${chk(9)}): id NaN is not a checkpoint id (an integer from 1; latest.restored.id in /jobs/:id/checkpoints); expected #9 or newer`,
    });
  });

  it.each([Infinity, 9.5, 0, -3])('fails naming a restored id %s, which is no checkpoint id', (id) => {
    expect(judgeRestore({ checkpointAtKill: atKill, restored: { id, isSavepoint: false } })).toEqual({
      ok: false,
      reason: `restored checkpoint #${id}: id ${id} is not a checkpoint id (an integer from 1; latest.restored.id in /jobs/:id/checkpoints); expected #9 or newer`,
    });
  });

  it.each([NaN, Infinity, 8.5, 0])('fails naming a checkpoint at the kill of %s, whatever was restored', (checkpointAtKill) => {
    const { latestRestored } = afterRestore({ id: 9, external_path: chk(9) });
    const reason =
      `the checkpoint completed at the kill has id ${checkpointAtKill}, not a checkpoint id (an integer from 1; latest.completed.id in /jobs/:id/checkpoints before the kill): ` +
      'no restore can be judged against it';
    expect(judgeRestore({ checkpointAtKill, restored: latestRestored })).toEqual({ ok: false, reason });
    expect(judgeRestore({ checkpointAtKill, restored: beforeKill.latestRestored })).toEqual({ ok: false, reason });
  });
});

describe('judgeCheckpointsAgain', () => {
  it('passes on a checkpoint newer than the restored one', () => {
    expect(judgeCheckpointsAgain({ restoredId: 9, firstNew: { id: 10 } })).toEqual({ ok: true, reason: 'checkpoint #10 completed after the restore of #9' });
  });

  it('fails when no checkpoint completed after the restore (an empty observation never passes)', () => {
    expect(judgeCheckpointsAgain({ restoredId: 9 })).toEqual({ ok: false, reason: 'no checkpoint completed after the restore of #9' });
  });

  it('fails when the first checkpoint seen is the restored one, or older', () => {
    expect(judgeCheckpointsAgain({ restoredId: 9, firstNew: { id: 9 } })).toEqual({ ok: false, reason: 'first checkpoint after the restore is #9, not newer than the restored #9' });
    expect(judgeCheckpointsAgain({ restoredId: 9, firstNew: { id: beforeKill.history.at(-1)!.id } })).toEqual({
      ok: false,
      reason: 'first checkpoint after the restore is #1, not newer than the restored #9',
    });
  });

  it.each([NaN, Infinity, 9.5, 0])('fails naming a restored id of %s, which no checkpoint is newer than', (restoredId) => {
    expect(judgeCheckpointsAgain({ restoredId, firstNew: { id: 10 } })).toEqual({
      ok: false,
      reason: `the restored checkpoint has id ${restoredId}, not a checkpoint id (an integer from 1; latest.restored.id in /jobs/:id/checkpoints): no later checkpoint can be judged against it`,
    });
  });

  it.each([NaN, Infinity, 10.5, -1])('fails naming a first new checkpoint id of %s', (id) => {
    expect(judgeCheckpointsAgain({ restoredId: 9, firstNew: { id } })).toEqual({
      ok: false,
      reason: `first checkpoint after the restore of #9 has id ${id}, not a checkpoint id (an integer from 1; latest.completed.id in /jobs/:id/checkpoints)`,
    });
  });
});

describe('judgeSingleStart', () => {
  const newPod = 'app-mode-6f9d8b7c5-x2k4p: restarts 0';
  const killedPod = 'app-mode-6f9d8b7c5-q7w8e: restarts 1';

  it('passes on one new JobManager pod that has not restarted (pod kill)', () => {
    expect(judgeSingleStart({ byExec: false, podsCreatedSinceKill: 1, restartsSinceKill: 0, pods: newPod })).toEqual({ ok: true, reason: `one new JobManager pod, no restarts (${newPod})` });
  });

  it('passes on one restart of the killed container in place (exec kill)', () => {
    expect(judgeSingleStart({ byExec: true, podsCreatedSinceKill: 0, restartsSinceKill: 1, pods: killedPod })).toEqual({
      ok: true,
      reason: `the killed JobManager container restarted once in place (${killedPod})`,
    });
  });

  it('fails when no JobManager came back after a pod kill (an empty observation never passes)', () => {
    expect(judgeSingleStart({ byExec: false, podsCreatedSinceKill: 0, restartsSinceKill: 0, pods: 'no JobManager pod' })).toEqual({
      ok: false,
      reason: 'expected 1 new JobManager pod after the kill, saw 0 (no JobManager pod)',
    });
  });

  it('fails when the exec-killed container did not restart (an empty observation never passes)', () => {
    expect(judgeSingleStart({ byExec: true, podsCreatedSinceKill: 0, restartsSinceKill: 0, pods: 'app-mode-6f9d8b7c5-q7w8e: restarts 0' })).toEqual({
      ok: false,
      reason: 'expected 1 restart of the killed JobManager container, saw 0 (app-mode-6f9d8b7c5-q7w8e: restarts 0)',
    });
  });

  it('fails when the exec-killed container restarted more than once: a crash loop', () => {
    const pods = 'app-mode-6f9d8b7c5-q7w8e: restarts 3';
    expect(judgeSingleStart({ byExec: true, podsCreatedSinceKill: 0, restartsSinceKill: 3, pods })).toEqual({ ok: false, reason: `expected 1 restart of the killed JobManager container, saw 3 (${pods})` });
  });

  it('fails on two new pods after a pod kill', () => {
    const pods = `${newPod}, app-mode-6f9d8b7c5-m3n5b: restarts 0`;
    expect(judgeSingleStart({ byExec: false, podsCreatedSinceKill: 2, restartsSinceKill: 0, pods })).toEqual({ ok: false, reason: `expected 1 new JobManager pod after the kill, saw 2 (${pods})` });
  });

  it('fails when the new pod restarted: a crash loop', () => {
    const pods = 'app-mode-6f9d8b7c5-x2k4p: restarts 2';
    expect(judgeSingleStart({ byExec: false, podsCreatedSinceKill: 1, restartsSinceKill: 2, pods })).toEqual({
      ok: false,
      reason: `the new JobManager pod restarted 2x: a crash loop (${pods}; see its --previous log)`,
    });
  });
});
