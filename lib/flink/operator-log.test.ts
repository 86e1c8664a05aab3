import { describe, expect, it } from 'vitest';
import { classifyErrorLines, judgeOperatorLog, operatorErrorAllowlist } from './operator-log.ts';

describe('operator log ERROR classification', () => {
  it('separates allowed from unexpected ERROR lines and ignores other levels', () => {
    const log = [
      '2026-11-24 00:01:02,000 o.a.f.k.o.l.AuditUtils [INFO ] Event | Info | JOBSTATUSCHANGED',
      '2026-11-24 00:01:03,000 o.a.f.k.o.o.JobStatusObserver [ERROR] Failed to get job status for ha-app',
      '2026-11-24 00:01:04,000 o.a.f.k.o.r.Reconciler [ERROR] Could not deploy: quota exceeded',
      '2026-11-24 00:01:05,000 o.a.f.k.o.r.Reconciler [WARN ] retrying',
    ].join('\n');
    const r = classifyErrorLines(log);
    expect(r.unexpected).toEqual(['2026-11-24 00:01:04,000 o.a.f.k.o.r.Reconciler [ERROR] Could not deploy: quota exceeded']);
    expect(r.allowed).toHaveLength(1);
  });

  it("judges only lines about the given namespace's resources or none; another namespace's are counted", () => {
    const log = [
      '2026-11-24 00:01:03,000 o.a.f.k.o.r.Reconciler [ERROR][sc-run1-04/ha-app] Could not deploy: quota exceeded',
      '2026-11-24 00:01:04,000 o.a.f.k.o.r.Reconciler [ERROR][sc-run2-02/app-mode] Could not deploy: jar not found',
      '2026-11-24 00:01:05,000 o.a.f.k.o.FlinkOperator [ERROR] Leader election lost',
    ].join('\n');
    const r = classifyErrorLines(log, 'sc-run1-04');
    expect(r.unexpected).toEqual([
      '2026-11-24 00:01:03,000 o.a.f.k.o.r.Reconciler [ERROR][sc-run1-04/ha-app] Could not deploy: quota exceeded',
      '2026-11-24 00:01:05,000 o.a.f.k.o.FlinkOperator [ERROR] Leader election lost',
    ]);
    expect(r.otherNamespaces).toBe(1);
    expect(classifyErrorLines(log).unexpected).toHaveLength(3);
  });

  it('goes by the level, not the word: an INFO line saying ERROR is no error line (seen in CI, from another run of 02)', () => {
    const log = [
      '2026-12-03 16:33:04,885 o.a.f.k.o.o.d.ApplicationObserver [INFO ][sc-20261203-163239-e184-02/app-mode] Observing JobManager deployment. Previous status: ERROR',
      '2026-12-03 16:33:05,000 o.a.f.k.o.o.d.ApplicationObserver [INFO ] Previous status: ERROR',
      '2026-12-03 16:33:06,000 o.a.f.k.o.r.Reconciler [ERROR][sc-x-04/ha-session] Could not deploy: quota exceeded',
    ].join('\n');
    expect(classifyErrorLines(log, 'sc-x-04')).toEqual({
      unexpected: ['2026-12-03 16:33:06,000 o.a.f.k.o.r.Reconciler [ERROR][sc-x-04/ha-session] Could not deploy: quota exceeded'],
      allowed: [],
      otherNamespaces: 0,
    });
    expect(classifyErrorLines(log).unexpected).toHaveLength(1);
  });

  it('every allowlist entry carries a reason', () => {
    for (const a of operatorErrorAllowlist) expect(a.reason.length).toBeGreaterThan(20);
  });

  describe('judgeOperatorLog', () => {
    const o = (unexpected: string[], pods = ['flink-operator/flink-kubernetes-operator-6b9f-x2']) => ({
      errors: { unexpected, allowed: [], otherNamespaces: 2 },
      pods,
      since: '2026-12-03T16:33:00.000Z',
      resourceNamespace: 'sc-x-04',
    });
    it('passes on a log with no unexpected ERROR line, counting the other namespaces', () => {
      expect(judgeOperatorLog(o([]))).toEqual({
        ok: true,
        reason: 'no unexpected operator ERROR line in the log of flink-operator/flink-kubernetes-operator-6b9f-x2 since 2026-12-03T16:33:00.000Z (0 allowed, 2 about other namespaces)',
      });
    });
    it('fails naming each unexpected line, without a test-runner diff', () => {
      const j = judgeOperatorLog(o(['… [ERROR][sc-x-04/ha-app] Could not deploy: quota exceeded']));
      expect(j.ok).toBe(false);
      expect(j.reason).toBe(
        '1 operator ERROR line(s) about sc-x-04 or the operator itself, not in the allowlist (lib/flink/operator-log.ts), in the log of flink-operator/flink-kubernetes-operator-6b9f-x2 since 2026-12-03T16:33:00.000Z:\n… [ERROR][sc-x-04/ha-app] Could not deploy: quota exceeded',
      );
    });
    it('never passes when no operator log was read', () => {
      expect(judgeOperatorLog(o([], [])).ok).toBe(false);
    });
  });
});
