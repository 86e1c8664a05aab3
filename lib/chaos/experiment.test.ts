// judgeExperiment on each of its sides. The records are shaped as Experiment builds them in 09's
// TaskManager kill and closes with finish(): the target pod, ISO stamps, and the probes it ran
// before, during (continuous) and after the fault, each with what it saw or why it failed.
import { describe, expect, it } from 'vitest';
import { judgeExperiment } from './experiment.ts';
import type { ChaosExperiment, ProbeResult } from '../results/model.ts';

const target = 'pod sc-20261202-1039-09/chaos-pipeline-taskmanager-1-1';
const probes: ProbeResult[] = [
  { name: 'job 3f9a1c2e RUNNING', phase: 'before', passed: true, at: '2026-12-02T10:39:02.114Z', detail: 'RUNNING (3f9a1c2e:RUNNING)' },
  { name: 'writes to example.topspeeds growing', phase: 'before', passed: true, at: '2026-12-02T10:39:02.310Z', detail: 'write count 1180 → 1420' },
  { name: 'job 3f9a1c2e RUNNING', phase: 'after', passed: true, at: '2026-12-02T10:39:09.871Z', detail: 'RUNNING (3f9a1c2e:RUNNING)' },
  { name: 'restored from a checkpoint ≥ #14 (latest completed at the kill)', phase: 'after', passed: true, at: '2026-12-02T10:39:31.502Z', detail: 'restored checkpoint #14' },
  { name: 'writes to example.topspeeds growing', phase: 'after', passed: true, at: '2026-12-02T10:39:31.640Z', detail: 'write count 1502 → 1766' },
  { name: 'job and deployment not FAILED (operator status)', phase: 'during', passed: true, at: '2026-12-02T10:39:02.402Z', detail: '15/15 samples passed (needed 100%); last: RUNNING' },
];
const record = (p: ProbeResult[]): ChaosExperiment => ({
  name: 'taskmanager-kill',
  target,
  verdict: p.length && p.every((x) => x.passed) ? 'Pass' : 'Fail',
  resiliencyScore: p.length ? Math.round((p.filter((x) => x.passed).length / p.length) * 1000) / 10 : 0,
  startedAt: '2026-12-02T10:39:02.101Z',
  faultAt: '2026-12-02T10:39:03.020Z',
  finishedAt: '2026-12-02T10:39:31.702Z',
  probes: p,
});

describe('judgeExperiment', () => {
  it('passes when every probe passed, counting them', () => {
    expect(judgeExperiment(record(probes))).toEqual({ ok: true, reason: `taskmanager-kill on ${target}: all 6 probes passed` });
  });

  it('fails on an experiment with no probe (an empty observation never passes)', () => {
    expect(judgeExperiment(record([]))).toEqual({ ok: false, reason: `taskmanager-kill on ${target}: no probe ran` });
  });

  it('fails on a record that stopped before any probe, even if marked Pass', () => {
    expect(judgeExperiment({ ...record([]), verdict: 'Pass', resiliencyScore: 100 }).ok).toBe(false);
  });

  it('fails naming each failed probe with its phase and what it saw', () => {
    const failed = probes.map((p, i) =>
      i === 3 ? { ...p, passed: false, detail: 'after the TaskManager kill the job restored checkpoint #12, older than #14' } : i === 5 ? { ...p, passed: false, detail: '9/15 samples passed (needed 100%); last failure: job FAILED' } : p,
    );
    expect(judgeExperiment(record(failed))).toEqual({
      ok: false,
      reason:
        `taskmanager-kill on ${target}: 2 of 6 probes failed:\n` +
        '[after] restored from a checkpoint ≥ #14 (latest completed at the kill): after the TaskManager kill the job restored checkpoint #12, older than #14\n' +
        '[during] job and deployment not FAILED (operator status): 9/15 samples passed (needed 100%); last failure: job FAILED',
    });
  });

  it('fails on a failed probe that carries no detail, still naming it', () => {
    const j = judgeExperiment(record([probes[0]!, { name: '3 Cassandra nodes Ready', phase: 'after', passed: false, at: '2026-12-02T10:40:12.000Z' }]));
    expect(j).toEqual({ ok: false, reason: `taskmanager-kill on ${target}: 1 of 2 probes failed:\n[after] 3 Cassandra nodes Ready: ` });
  });

  it("judges the probes, not the record's own verdict", () => {
    const failed = [{ ...probes[0]!, passed: false, detail: 'job 3f9a1c2e of chaos-pipeline to be RUNNING: not within 0 s (seen: no jobs)' }];
    const j = judgeExperiment({ ...record(failed), verdict: 'Pass' });
    expect(j.ok).toBe(false);
    expect(j.reason).toMatch(/^taskmanager-kill on pod sc-20261202-1039-09\/chaos-pipeline-taskmanager-1-1: 1 of 1 probes failed:\n\[before\] job 3f9a1c2e RUNNING: job 3f9a1c2e/);
  });
});
