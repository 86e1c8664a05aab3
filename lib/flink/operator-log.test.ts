import { describe, expect, it } from 'vitest';
import { classifyErrorLines, operatorErrorAllowlist } from './operator-log.ts';

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

  it('every allowlist entry carries a reason', () => {
    for (const a of operatorErrorAllowlist) expect(a.reason.length).toBeGreaterThan(20);
  });
});
